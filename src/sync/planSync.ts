/**
 * The planner: directory + LoginTC state → the exact list of changes. Pure and synchronous;
 * the same input in any order gives the same plan.
 *
 * Rules (the original tool's, from its guide https://www.logintc.com/docs/tools/user-sync/, plus
 * what admins asked for; docs/operations.md, "What a sync does"):
 * - usernames match ignoring the case of ASCII letters only, and the plan never creates a case
 *   variant of a user LoginTC already has (a duplicate account per spelling is a known failure of
 *   sync tools); usernames that only look alike (src/usernames.ts: `Kelvin` with U+212A and
 *   `kelvin`) are never matched, created or removed beside each other: all of them are left out,
 *   with a warning naming them;
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
 *   user out of every domain), except a user whose object lists another domain or does not show its
 *   domains: only removed from this one (docs/operations.md, "Leavers");
 * - [sync] disabled_users = exclude: a user the directory shows disabled is treated as not in it;
 * - [sync] protect_users: never removed or deleted; kept, and shown as kept;
 * - identity (./identity.ts, docs/operations.md "Identity"): entries sharing an anchor are left out;
 *   a reused username (the ledger's anchor differs from the directory's) is reassigned — the previous
 *   person's factors revoked, then name/email updated and a token issued as -t says; a rename pairs a
 *   new member with the leaver whose anchor it carries.
 */
import { escapeNonAscii, escapeText } from "../output/escape.ts";
import { lookAlikeGroups, sortByUsername } from "../usernames.ts";
import { ALIAS_SLOTS, type DirectoryUser, type LoginTCUser } from "../types.ts";
import { countSteps, KINDS, PHASES, type Step, STEP_KINDS } from "./stepKinds.ts";
import { identify } from "./identity.ts";
import type { Kept } from "./kept.ts";
import { deletionDue, isDue } from "./dueDate.ts";
import { awaitingDeletion, gracePeriod } from "./gracePeriod.ts";
import { ledgerByUsername } from "./ledger.ts";
import {
  ALL_FEATURES_READ,
  compareUsernames,
  type DisabledUser,
  type LedgerEntry,
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
  const kept: Kept[] = [];
  const disabled: DisabledUser[] = [];
  const seen = new Map<string, DirectoryUser>();
  const identity = identify(users, loginTC.ledger, options.anchorAttribute);
  /** Users this plan adds to the domain, for the renames. */
  const joining: DirectoryUser[] = [];
  const excludeDisabled = options.disabledUsers === "exclude";
  /** usernameKey → how the directory shows the user disabled, for the users treated as absent. */
  const disabledByKey = new Map<string, string>();
  const alike = lookAlikes(users, loginTC);
  const protectedKeys = new Set((options.protectUsers ?? []).map(usernameKey));

  for (const user of users) {
    const key = usernameKey(user.username);
    if (user.disabled !== undefined) {
      disabled.push({ username: user.username, dn: user.dn, reason: user.disabled });
      if (excludeDisabled) {
        if (!disabledByKey.has(key)) disabledByKey.set(key, user.disabled);
        continue;
      }
    }
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
    const looksLike = alike.reasons.get(key);
    if (looksLike !== undefined) {
      leftOut.push({ username: user.username, dn: user.dn, reason: looksLike });
      continue;
    }
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
    if (previous !== undefined && protectedKeys.has(key)) {
      // protect_users: never reassigned (docs/configuration.md). Updating the account to the new
      // person without revoking would hand them the old token, so the user is left out whole; the
      // ledger keeps the old anchor (src/sync/ledger.ts), so every run says so until an admin acts.
      leftOut.push({
        username: user.username,
        dn: user.dn,
        reason: `protected (protect_users), not reassigned: the directory shows another entry under this ` +
          `username (${options.anchorAttribute} ${escapeText(previous)} -> ${escapeText(user.anchor ?? "")})`,
      });
      continue;
    }
    if (previous !== undefined) {
      const ours = loginTC.domainId.toLowerCase();
      const others = existing!.domains?.filter((d) => d.toLowerCase() !== ours) ?? [];
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
    const ledger = loginTC.ledger ? ledgerByUsername(loginTC.ledger) : undefined;
    /** The ledger's entry for this LoginTC user (not one for another user of the same name). */
    const entryOf = (key: string, userId: string) => {
      const entry = ledger?.get(key);
      return entry && (entry.userId === null || entry.userId === userId) ? entry : undefined;
    };
    for (const member of loginTC.members) {
      const key = usernameKey(member.username);
      if (seen.has(key) || alike.reasons.has(key)) continue;
      const why = disabledByKey.has(key) ? { disabled: disabledByKey.get(key)! } : {};
      const keep = (reason: Kept["reason"]) =>
        kept.push({ username: member.username, userId: member.id, reason, ...why });
      if (protectedKeys.has(key)) keep("protected");
      // No ledger (a first run, or one that cannot be used): nobody is known to be ours, so nobody
      // is removed (the first ledger counts only the members a directory user matches as ours).
      else if (options.removeScope === "managed" && entryOf(key, member.id)?.managed !== true) {
        keep("notManaged");
      } else steps.push(leaverStep(member, why, loginTC.domainId, options, entryOf(key, member.id)));
    }
    for (const entry of awaitingDeletion(loginTC.ledger, loginTC.members, options)) {
      const key = usernameKey(entry.username);
      if (seen.has(key) || alike.reasons.has(key)) continue; // back in the directory: added again above
      const decision = dueDecision(entry, protectedKeys.has(key), loginTC, options);
      if (decision === undefined) continue;
      if ("kind" in decision) steps.push(decision);
      else kept.push(decision);
    }
  }

  steps.sort(compareSteps);
  const plan: Plan = {
    domainId: loginTC.domainId,
    steps,
    leftOut: sortByUsername(leftOut, (l) => l.username, (a, b) => cmp(a.dn, b.dn)),
    kept: sortByUsername(kept, (k) => k.username, (a, b) => cmp(a.userId, b.userId)),
    disabled: { handling: excludeDisabled ? "exclude" : "include", users: disabled },
    counts: countSteps(steps),
  };
  if (renames.length > 0) plan.renames = sortByUsername(renames, (r) => r.to, (a, b) => cmp(a.from, b.from));
  return alike.warnings.length > 0 ? { ...plan, warnings: alike.warnings } : plan;
}

/**
 * A member the directory no longer shows (or shows disabled, with exclude): removed from the domain,
 * or with -m delete deleted from the organization — unless its user object lists another domain (that
 * membership is not this sync's), or does not show its domains at all (a delete could not be proved
 * safe). Either way the token in this domain is revoked now.
 */
function leaverStep(
  member: LoginTCUser,
  why: { disabled?: string },
  domainId: string,
  options: PlanOptions,
  entry: LedgerEntry | undefined,
): Step {
  const base = { username: member.username, userId: member.id, ...why };
  if (options.syncMode !== "delete") return { kind: "removeFromDomain", ...base };
  if (member.domains === undefined) {
    return { kind: "removeFromDomain", ...base, notDeleted: { why: "domainsUnknown" } };
  }
  const others = otherDomains(member.domains, domainId);
  if (others > 0) {
    return { kind: "removeFromDomain", ...base, notDeleted: { why: "otherDomains", domains: others } };
  }
  const grace = gracePeriod(options);
  if (grace === undefined) return { kind: "deleteUser", ...base };
  // The absence is counted from the ledger; the ledger only knows users the directory showed.
  if (entry === undefined) return { kind: "removeFromDomain", ...base, notDeleted: { why: "untracked" } };
  const absentSince = entry.absentSince ?? grace.now.toISOString();
  const due = deletionDue(absentSince, grace.days);
  if (!isDue(due, grace.now)) {
    return { kind: "removeFromDomain", ...base, notDeleted: { why: "gracePeriod", due } };
  }
  // Due while still a member (its removal was withheld until now): deleted, which also revokes.
  return { kind: "deleteUser", ...base, absentSince };
}

/**
 * A user this tool removed from the domain, absent since (delete_after_days): kept until its deletion
 * is due; then deleted when its user object, read by id, shows no other domain — and kept, saying
 * why, when it shows one or does not show its domains. A user LoginTC no longer has: nothing to do
 * (undefined).
 */
function dueDecision(
  entry: LedgerEntry,
  isProtected: boolean,
  loginTC: LoginTCState,
  options: PlanOptions,
): Step | Kept | undefined {
  const grace = gracePeriod(options)!;
  const userId = entry.userId!;
  const kept = (reason: Kept["reason"], extra: Partial<Kept> = {}): Kept => ({
    username: entry.username,
    userId,
    reason,
    ...extra,
  });
  if (isProtected) return kept("protected");
  const due = deletionDue(entry.absentSince!, grace.days);
  if (!isDue(due, grace.now)) return kept("deletionPending", { due });
  const user = loginTC.due?.users.find((u) => u.id === userId);
  // LoginTC no longer has the user (deleted by hand): nothing left to do.
  if (loginTC.due?.gone.includes(userId)) return undefined;
  // Not read, or LoginTC does not show its domains: unknown, never a delete.
  if (user === undefined || user.domains === undefined) return kept("deletionUnproven");
  const others = otherDomains(user.domains, loginTC.domainId);
  if (others > 0) return kept("otherDomains", { domains: others });
  // The ledger's spelling: the ledger drops the entry of the username it sees deleted.
  return { kind: "deleteUser", username: entry.username, userId, absentSince: entry.absentSince! };
}

/** How many distinct domains besides `domainId` a user object lists. */
function otherDomains(domains: readonly string[], domainId: string): number {
  return new Set(domains.filter((d) => d.toLowerCase() !== domainId.toLowerCase())).size;
}

/**
 * Usernames among the directory's and LoginTC's that look alike (src/usernames.ts): per username
 * key, why it is left out (naming the others), and one warning per set. Shown with every
 * character past ASCII as its code point, so the difference can be seen.
 */
function lookAlikes(users: readonly DirectoryUser[], loginTC: LoginTCState) {
  const reasons = new Map<string, string>();
  const warnings: string[] = [];
  const known = [...loginTC.members, ...loginTC.orgUsers].map((u) => u.username);
  const groups = lookAlikeGroups(users.map((u) => u.username), known);
  if (groups.length === 0) return { reasons, warnings };
  const inDirectory = new Map(users.map((u) => [u.username, u.dn]));
  const inLoginTC = new Set(known);
  const describe = (name: string) => {
    const where = [
      ...(inDirectory.has(name) ? [`directory: ${escapeNonAscii(inDirectory.get(name)!)}`] : []),
      ...(inLoginTC.has(name) ? ["LoginTC"] : []),
    ];
    return `${escapeNonAscii(name)} (${where.join("; ")})`;
  };
  for (const group of groups) {
    warnings.push(
      `usernames that look alike are left out of this run, never matched, created or removed: ` +
        `${group.map(describe).join(", ")}. Make them distinct in the directory or in LoginTC.`,
    );
    for (const name of group) {
      const key = usernameKey(name);
      const others = group.filter((o) => usernameKey(o) !== key).map(describe);
      reasons.set(key, `looks like ${others.join(", ")}: look-alike usernames are never merged`);
    }
  }
  return { reasons, warnings };
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
  return sortByUsername(users, (u) => u.username, (a, b) => cmp(a.dn, b.dn));
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
  const sorted = sortByUsername(users, (u) => u.username, (a, b) => cmp(a.id, b.id));
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
