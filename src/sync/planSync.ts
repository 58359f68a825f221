/**
 * The planner: directory + LoginTC state → the exact list of changes. Pure and synchronous;
 * the same input in any order gives the same plan.
 *
 * Rules (the original tool's, from its guide https://www.logintc.com/docs/tools/user-sync/, plus
 * what admins asked for; docs/operations.md, "What a sync does"):
 * - usernames match case-insensitively, and the plan never creates a case variant of a user
 *   LoginTC already has (a duplicate account per spelling is a known failure of sync tools);
 * - a new user needs a name and an email (LoginTC requires both,
 *   https://www.logintc.com/docs/rest-api/users.html), else it is left out with the reason rather
 *   than sent to fail;
 * - name/email are updated only when they differ (emails ignoring case), only from values the
 *   directory has, and never from a field LoginTC did not return (absent = unknown);
 * - aliases: absent → untouched, "" → cleared, a value → set (guide: "If the directory
 *   attribute value is not set, then it will not update");
 * - phones are additive only (guide: "Phones are never disassociated");
 * - tokens are issued only to users this plan adds to the domain (guide, -t);
 * - -g adds every synced user not yet in the group;
 * - extension features follow LoginTCState.features (the capability probe): compared with what
 *   LoginTC shows, with what this tool last wrote (write-only), or not planned at all;
 * - add_only never removes; remove → removeFromDomain, delete → deleteUser (which also takes the
 *   user out of every domain);
 * - identity (./identity.ts, docs/operations.md "Identity"): entries sharing an anchor are left out;
 *   a reused username (the ledger's anchor differs from the directory's) is reassigned — the previous
 *   person's factors revoked, then name/email updated and a token issued as -t says; a rename pairs a
 *   new member with the leaver whose anchor it carries.
 */
import { escapeText } from "../output/escape.ts";
import { ALIAS_SLOTS, type DirectoryUser, type LoginTCUser } from "../types.ts";
import { countSteps, KINDS, PHASES, type Step, STEP_KINDS } from "./stepKinds.ts";
import { identify } from "./identity.ts";
import {
  ALL_FEATURES_READ,
  compareUsernames,
  type LeftOut,
  type LoginTCState,
  type Plan,
  type PlanOptions,
  type Rename,
  usernameKey,
} from "./types.ts";

/** `directory`: the users as read (DirectoryRead.users), in any order. */
export function planSync(
  directory: readonly DirectoryUser[],
  loginTC: LoginTCState,
  options: PlanOptions,
): Plan {
  const users = sortedUsers(directory);
  const members = indexByKey(loginTC.members);
  const orgUsers = indexByKey(loginTC.orgUsers);
  const steps: Step[] = [];
  const leftOut: LeftOut[] = [];
  const seen = new Map<string, DirectoryUser>();
  const identity = identify(users, loginTC.ledger, options.anchorAttribute);
  /** Users this plan adds to the domain, for the renames. */
  const joining: DirectoryUser[] = [];

  for (const user of users) {
    const key = usernameKey(user.username);
    const first = seen.get(key);
    if (first) {
      leftOut.push({
        username: user.username,
        dn: user.dn,
        reason: `same username as ${escapeText(first.dn)} (usernames are case-insensitive in LoginTC)`,
      });
      continue;
    }
    seen.set(key, user);
    const sameAnchor = identity.sameAnchor.get(user.dn);
    if (sameAnchor !== undefined) {
      leftOut.push({ username: user.username, dn: user.dn, reason: sameAnchor });
      continue;
    }
    const member = lookup(members, user.username);
    const existing = member ?? lookup(orgUsers, user.username);
    if (!existing && (!user.name || !user.email)) {
      const missing = [!user.name ? "name" : "", !user.email ? "email" : ""].filter(Boolean).join(" and ");
      leftOut.push({
        username: user.username,
        dn: user.dn,
        reason: `no ${missing}: LoginTC needs a name and an email to create a user (see -n/-e)`,
      });
      continue;
    }
    const previous = existing ? identity.previousAnchor(user) : undefined;
    if (previous !== undefined) {
      const others = existing!.domains?.filter((d) => d !== loginTC.domainId) ?? [];
      steps.push({
        kind: "reassignUser",
        username: existing!.username,
        userId: existing!.id,
        attribute: options.anchorAttribute!,
        from: previous,
        to: user.anchor!,
        member: member !== undefined,
        otherDomains: [...others].sort(),
      });
    }
    if (!member) joining.push(user);
    steps.push(...userSteps(user, existing, member !== undefined, loginTC, options, previous !== undefined));
  }

  const renames: Rename[] = [];
  if (identity.comparable && joining.length > 0) {
    const memberKeys = new Map(loginTC.members.map((m) => [usernameKey(m.username), m] as const));
    const shown = new Set(seen.keys());
    for (const user of joining) {
      const rename = identity.renameTo(user, memberKeys, shown);
      if (rename) renames.push(rename);
    }
  }

  if (options.syncMode !== "add_only") {
    for (const member of loginTC.members) {
      if (seen.has(usernameKey(member.username))) continue;
      steps.push(
        options.syncMode === "delete"
          ? { kind: "deleteUser", username: member.username, userId: member.id }
          : { kind: "removeFromDomain", username: member.username, userId: member.id },
      );
    }
  }

  steps.sort(compareSteps);
  leftOut.sort((a, b) => compareUsernames(a.username, b.username) || cmp(a.dn, b.dn));
  const plan: Plan = { domainId: loginTC.domainId, steps, leftOut, counts: countSteps(steps) };
  if (renames.length > 0) plan.renames = renames.sort((a, b) => compareUsernames(a.to, b.to));
  return plan;
}

/** The steps for one directory user; `existing` is its LoginTC user, if any. */
function userSteps(
  user: DirectoryUser,
  existing: LoginTCUser | undefined,
  isMember: boolean,
  loginTC: LoginTCState,
  options: PlanOptions,
  reassigned = false,
): Step[] {
  const username = existing?.username ?? user.username;
  const userId = existing?.id;
  const steps: Step[] = [];

  if (!existing) {
    // Both are present: planSync leaves out a new user without them.
    steps.push({ kind: "createUser", username, name: user.name!, email: user.email! });
  } else {
    // A field LoginTC did not return is unknown: never a write from its absence. Emails match
    // ignoring case (LoginTC may store them lowercased); names must match exactly.
    const changes: { name?: { from: string; to: string }; email?: { from: string; to: string } } = {};
    const name = existing.name;
    const email = existing.email;
    if (user.name && name !== undefined && user.name !== name) changes.name = { from: name, to: user.name };
    if (user.email && email !== undefined && user.email.toLowerCase() !== email.toLowerCase()) {
      changes.email = { from: email, to: user.email };
    }
    if (changes.name || changes.email) {
      steps.push({ kind: "updateUser", username, userId: existing.id, changes });
    }
  }

  // A reassigned member's token was the previous person's and is revoked: the new person gets one
  // as -t says, like a new member.
  if (!isMember) steps.push({ kind: "addToDomain", username, userId });
  if (!isMember || reassigned) {
    if (options.syncTokenMode !== "do_not_issue_token") {
      steps.push({
        kind: "issueToken",
        username,
        userId,
        sendEmail: options.syncTokenMode === "issue_token_with_email",
      });
    }
  }

  const features = loginTC.features ?? ALL_FEATURES_READ;
  const writeOnly = existing ? loginTC.writeOnlyValues?.[existing.id] : undefined;
  const group = loginTC.group;
  if (group && features.group !== "off") {
    const have = !existing ? [] : features.group === "read" ? existing.groups : writeOnly?.groups ?? [];
    if (have !== undefined && !have.includes(group.id)) {
      steps.push({ kind: "addToGroup", username, userId, groupId: group.id, groupName: group.name });
    }
  }

  for (const slot of features.aliases === "read" ? ALIAS_SLOTS : []) {
    const wanted = user.aliases[slot];
    if (wanted === undefined) continue;
    // A user created by this plan has no alias yet.
    const current = existing ? existing[slot] : "";
    if (current === undefined) continue;
    if (wanted === "" && current !== "") {
      steps.push({ kind: "clearAlias", username, userId, slot, from: current });
    }
    if (wanted !== "" && wanted !== current) {
      steps.push({ kind: "setAlias", username, userId, slot, from: current, to: wanted });
    }
  }

  if (features.phone !== "off" && user.phone !== undefined && user.phone.trim() !== "") {
    const have = !existing ? [] : features.phone === "read" ? existing.phones : writeOnly?.phones ?? [];
    if (have !== undefined && !have.map(phoneKey).includes(phoneKey(user.phone))) {
      steps.push({ kind: "addPhone", username, userId, number: user.phone });
    }
  }
  return steps;
}

/**
 * Two spellings of one number ("+1 555 0100", "+1-555-0100") are the same phone: compare the
 * digits and a leading "+", so a formatting difference never re-adds a phone on every run.
 */
function phoneKey(number: string): string {
  const trimmed = number.trim();
  return (trimmed.startsWith("+") ? "+" : "") + trimmed.replace(/\D/g, "");
}

function sortedUsers(users: readonly DirectoryUser[]): DirectoryUser[] {
  // The first of two case variants wins; sorting first makes "first" independent of input order.
  return [...users].sort((a, b) => compareUsernames(a.username, b.username) || cmp(a.dn, b.dn));
}

interface UserIndex {
  exact: Map<string, LoginTCUser>;
  byKey: Map<string, LoginTCUser>;
}

/**
 * Should LoginTC ever hold two case variants (a case-sensitive server), the exact spelling
 * wins, then the first in sort order; either way no third variant is created.
 */
function indexByKey(users: readonly LoginTCUser[]): UserIndex {
  const sorted = [...users].sort((a, b) => compareUsernames(a.username, b.username) || cmp(a.id, b.id));
  const exact = new Map<string, LoginTCUser>();
  const byKey = new Map<string, LoginTCUser>();
  for (const user of sorted) {
    if (!exact.has(user.username)) exact.set(user.username, user);
    const key = usernameKey(user.username);
    if (!byKey.has(key)) byKey.set(key, user);
  }
  return { exact, byKey };
}

function lookup(index: UserIndex, username: string): LoginTCUser | undefined {
  return index.exact.get(username) ?? index.byKey.get(usernameKey(username));
}

const PHASE_OF = new Map(KINDS.map((kind) => [kind, PHASES.indexOf(STEP_KINDS[kind].phase)] as const));
const KIND_ORDER = new Map(KINDS.map((kind, i) => [kind, i] as const));

/** Phase, then username, then alias slot (alias1..3, then phone), then kind. */
function compareSteps(a: Step, b: Step): number {
  return (PHASE_OF.get(a.kind)! - PHASE_OF.get(b.kind)!) ||
    compareUsernames(a.username, b.username) ||
    (slotRank(a) - slotRank(b)) ||
    (KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)!) ||
    cmp("userId" in a ? a.userId ?? "" : "", "userId" in b ? b.userId ?? "" : "");
}

function slotRank(step: Step): number {
  return "slot" in step ? ALIAS_SLOTS.indexOf(step.slot) : ALIAS_SLOTS.length;
}

function cmp(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
