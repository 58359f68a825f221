/**
 * The ledger: per LoginTC domain, which directory entry (its anchor: an identifier the directory
 * never changes or reuses, e.g. entryUUID) each synced username belonged to, and the LoginTC user id.
 * It is what lets a plan tell a reused username or a rename from an ordinary change
 * (docs/operations.md, "The ledger"). Kept in the state directory by src/state/ledgerFile.ts; its type is
 * in ./types.ts (the sync's data), and this module is its one update, pure.
 *
 * Absent is unknown, never changed: no ledger (first run, new state directory, a file that could not
 * be used) is `undefined`, and the run then plans as without one; an entry's `anchor: null` is "not
 * known", never a change of person.
 */
import type { DirectoryUser, LoginTCUser } from "../types.ts";
import { kindOf, type Step } from "./stepKinds.ts";
import { compareUsernames, type Ledger, LEDGER_VERSION, type LedgerEntry, usernameKey } from "./types.ts";

export { type Ledger, LEDGER_VERSION, type LedgerEntry };

/** The entries by username key (LoginTC's matching: ./types.ts usernameKey). */
export function ledgerByUsername(ledger: Ledger): Map<string, LedgerEntry> {
  return new Map(ledger.users.map((entry) => [usernameKey(entry.username), entry] as const));
}

/**
 * The ledger's anchors, usable only when they are values of the attribute read this run: after a
 * change of attribute (attr_anchor set, another server) none is comparable, so none is "changed".
 */
export function comparableAnchors(ledger: Ledger | undefined, anchorAttribute: string | null): boolean {
  return ledger !== undefined && anchorAttribute !== null && ledger.anchorAttribute === anchorAttribute;
}

/** What one real run saw and did: the input of nextLedger. */
export interface LedgerRun {
  /** undefined: no usable ledger (unknown). */
  previous: Ledger | undefined;
  domainId: string;
  anchorAttribute: string | null;
  /** The directory read (DirectoryRead.users), anchors included. */
  directory: readonly DirectoryUser[];
  /** Directory users the plan left out (Plan.leftOut): seen, but nothing about them is recorded. */
  leftOut: readonly { username: string; dn: string }[];
  /** LoginTC as read before planning (LoginTCState). */
  members: readonly LoginTCUser[];
  orgUsers: readonly LoginTCUser[];
  /** Steps made (ApplyResult.done); a failed, withheld or unattempted step is not in it. */
  done: readonly Step[];
  /** username key → id of each user the run created (ApplyResult.createdIds). */
  createdIds?: Readonly<Record<string, string>>;
  /** LoginTC user ids LoginTC answered 404 for (read for delete_after_days): their entries go. */
  gone?: readonly string[];
  now: Date;
}

/**
 * The ledger after a real run. Rules (docs/operations.md, "The ledger"):
 * - a directory user synced this run gets (or keeps) an entry: its anchor, LoginTC id, lastSeen now,
 *   absentSince null;
 * - an anchor is recorded only when it does not contradict the entry: a different anchor while the
 *   LoginTC user exists is a reused username, and the new anchor is recorded only once the step that
 *   hands the account over (a kind with `reassigns`) was done — a withheld or failed one leaves the
 *   old anchor, so the next run flags it again;
 * - a missing anchor (the entry came back without it) keeps the entry's;
 * - entries the directory no longer shows stay, with absentSince (first run of the absence), until
 *   this tool deletes the LoginTC user, or LoginTC answers that it no longer has it (`gone`);
 * - managed: kept; true once this run made the user a member; for a new entry, true when the user
 *   already was a member and there was no ledger before (first run: assume ours), else false.
 */
export function nextLedger(run: LedgerRun): Ledger {
  const now = run.now.toISOString();
  const previous = run.previous && run.previous.domainId === run.domainId ? run.previous : undefined;
  const before = previous ? ledgerByUsername(previous) : new Map<string, LedgerEntry>();
  const comparable = comparableAnchors(previous, run.anchorAttribute);
  // Anchors of another attribute are not kept: they could never be compared again. With none read
  // this run, the ledger's stay as they are (unknown is not a change).
  const keepAnchors = comparable || run.anchorAttribute === null;
  const members = byKey(run.members);
  const orgUsers = byKey(run.orgUsers);

  const joined = new Set<string>();
  const reassigned = new Set<string>();
  const deleted = new Set<string>();
  for (const step of run.done) {
    const key = usernameKey(step.username);
    const kind = kindOf(step);
    if (kind.grantsMembership) joined.add(key);
    if (kind.reassigns) reassigned.add(key);
    if (step.kind === "deleteUser") deleted.add(key);
  }
  const leftOutDns = new Set(run.leftOut.map((l) => l.dn));

  const next = new Map<string, LedgerEntry>();
  for (const user of run.directory) {
    const key = usernameKey(user.username);
    const old = next.get(key) ?? before.get(key);
    if (leftOutDns.has(user.dn) || next.has(key)) {
      // Seen, not synced: only its presence is recorded.
      if (old) next.set(key, { ...old, lastSeen: now, absentSince: null });
      continue;
    }
    const loginTC = members.get(key) ?? orgUsers.get(key);
    const userId = loginTC?.id ?? run.createdIds?.[key] ?? null;
    const wasMember = members.has(key);
    let anchor = keepAnchors ? old?.anchor ?? null : null;
    if (user.anchor !== undefined) {
      const oldAnchor = comparable ? old?.anchor ?? null : null;
      const contradicts = oldAnchor !== null && oldAnchor !== user.anchor && loginTC !== undefined;
      if (!contradicts || reassigned.has(key)) anchor = user.anchor;
    }
    next.set(key, {
      ...(old?.other ? { other: old.other } : {}),
      username: user.username,
      anchor,
      userId,
      managed: joined.has(key) || (old ? old.managed : wasMember && previous === undefined),
      firstSeen: old?.firstSeen ?? now,
      lastSeen: now,
      absentSince: null,
    });
  }
  const gone = new Set(run.gone ?? []);
  for (const [key, old] of before) {
    if (next.has(key) || deleted.has(key)) continue;
    if (old.userId !== null && gone.has(old.userId)) continue;
    next.set(key, {
      ...old,
      anchor: keepAnchors ? old.anchor : null,
      userId: members.get(key)?.id ?? old.userId,
      absentSince: old.absentSince ?? now,
    });
  }

  const users = [...next.values()].sort((a, b) => compareUsernames(a.username, b.username));
  return {
    ...(previous?.other ? { other: previous.other } : {}),
    version: LEDGER_VERSION,
    domainId: run.domainId,
    anchorAttribute: run.anchorAttribute ?? previous?.anchorAttribute ?? null,
    updatedAt: now,
    users,
  };
}

function byKey(users: readonly LoginTCUser[]): Map<string, LoginTCUser> {
  const out = new Map<string, LoginTCUser>();
  for (const user of users) {
    const key = usernameKey(user.username);
    if (!out.has(key)) out.set(key, user);
  }
  return out;
}
