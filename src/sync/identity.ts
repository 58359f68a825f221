/**
 * Who is who, for the planner: the directory's anchors (an identifier an entry keeps for good:
 * src/directory/anchor.ts) against the ledger's (./ledger.ts). Pure.
 *
 * - Two directory entries with one anchor cannot be told apart: both are left out, never guessed.
 * - A reused username: the ledger's anchor for the username differs from the directory's, and a
 *   LoginTC user of that name exists → the account's token and factors belong to the previous person
 *   (a reassignment, ./stepKinds.ts reassignUser).
 * - A rename: the directory shows an anchor under a username the plan adds to the domain, while the
 *   ledger has it under another username that is still a member → one person, `from → to`.
 * Absent is unknown: without a ledger, without an anchor on either side, or with anchors of another
 * attribute, nothing is flagged.
 */
import { escapeText } from "../output/escape.ts";
import type { DirectoryUser, LoginTCUser } from "../types.ts";
import { comparableAnchors, ledgerByUsername } from "./ledger.ts";
import { type Ledger, type LedgerEntry, type Rename, usernameKey } from "./types.ts";

export interface Identity {
  /** Whether the ledger's anchors can be compared with the directory's this run. */
  comparable: boolean;
  /** DN → why the entry is left out: another entry has its anchor. */
  sameAnchor: Map<string, string>;
  /** The ledger's anchor for a username, when it is comparable and differs from the directory's. */
  previousAnchor(user: DirectoryUser): string | undefined;
  /** The rename that brings `user` into the domain, if its anchor was another member's username. */
  renameTo(
    user: DirectoryUser,
    members: ReadonlyMap<string, LoginTCUser>,
    shown: ReadonlySet<string>,
  ): Rename | undefined;
}

export function identify(
  users: readonly DirectoryUser[],
  ledger: Ledger | undefined,
  attribute: string | undefined,
): Identity {
  const sameAnchor = duplicateAnchors(users, attribute ?? "anchor");
  const comparable = attribute !== undefined && comparableAnchors(ledger, attribute);
  const byUsername = comparable ? ledgerByUsername(ledger!) : new Map<string, LedgerEntry>();
  const byAnchor = new Map<string, LedgerEntry[]>();
  for (const entry of comparable ? ledger!.users : []) {
    if (entry.anchor === null) continue;
    const list = byAnchor.get(entry.anchor);
    if (list) list.push(entry);
    else byAnchor.set(entry.anchor, [entry]);
  }
  return {
    comparable,
    sameAnchor,
    previousAnchor(user) {
      if (user.anchor === undefined) return undefined;
      const before = byUsername.get(usernameKey(user.username))?.anchor ?? null;
      return before !== null && before !== user.anchor ? before : undefined;
    },
    renameTo(user, members, shown) {
      if (user.anchor === undefined) return undefined;
      const key = usernameKey(user.username);
      // Entries are sorted by username: the first member found is the same on every run.
      const from = byAnchor.get(user.anchor)?.find((entry) => {
        const k = usernameKey(entry.username);
        return k !== key && members.has(k) && !shown.has(k);
      });
      if (!from) return undefined;
      return {
        from: members.get(usernameKey(from.username))!.username,
        to: user.username,
        attribute: attribute!,
        anchor: user.anchor,
      };
    },
  };
}

/** Entries sharing an anchor, each with the reason it is left out (names escaped). */
function duplicateAnchors(users: readonly DirectoryUser[], attribute: string): Map<string, string> {
  // One map entry per anchor (no list per user): a 100k read has no duplicates, and this runs on every plan.
  const first = new Map<string, DirectoryUser>();
  let shared: Map<string, DirectoryUser[]> | undefined;
  for (const user of users) {
    const anchor = user.anchor;
    if (anchor === undefined) continue;
    const holder = first.get(anchor);
    if (holder === undefined) first.set(anchor, user);
    else (shared ??= new Map()).set(anchor, [...shared.get(anchor) ?? [holder], user]);
  }
  const out = new Map<string, string>();
  for (const [anchor, list] of shared ?? []) {
    for (const user of list) {
      const others = list.filter((u) => u !== user).map((u) => escapeText(u.dn)).sort();
      out.set(
        user.dn,
        `same ${escapeText(attribute)} ${escapeText(anchor)} as ${others.join(", ")}: ` +
          "two entries cannot be one person, so neither is synced",
      );
    }
  }
  return out;
}
