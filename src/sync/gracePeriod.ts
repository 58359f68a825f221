/**
 * delete_after_days (docs/configuration.md, "[sync]"): with -m delete, a leaver is removed from the
 * domain at once (the token is revoked now: a grace period never keeps access) and deleted from the
 * organization only after N days of continuous absence, counted from the ledger's absentSince in UTC
 * calendar days (./dueDate.ts). Which
 * ledger entries are waiting, and which are due and must be read from LoginTC before the plan. Pure.
 */
import type { LoginTCUser } from "../types.ts";
import { isLoginTCId } from "../logintc/parse.ts";
import { deletionDue, isDue } from "./dueDate.ts";
import { type Ledger, type LedgerEntry, type PlanOptions, usernameKey } from "./types.ts";

/** Deletions are deferred: -m delete with delete_after_days > 0 (and a clock). */
export function gracePeriod(options: PlanOptions): { days: number; now: Date } | undefined {
  const days = options.deleteAfterDays ?? 0;
  if (options.syncMode !== "delete" || days <= 0) return undefined;
  if (options.now === undefined) throw new Error("planSync: delete_after_days needs the run's time (now)");
  return { days, now: options.now };
}

/**
 * The ledger entries of users this tool removed and has not deleted yet: absent from the directory
 * (absentSince set), with a LoginTC id, no longer members of the domain (a member is a leaver of the
 * member list), and — with remove_scope = managed — managed. Protected users are not filtered here:
 * the planner shows them as kept.
 */
export function awaitingDeletion(
  ledger: Ledger | undefined,
  members: readonly LoginTCUser[],
  options: PlanOptions,
): LedgerEntry[] {
  if (ledger === undefined || gracePeriod(options) === undefined) return [];
  const memberKeys = new Set(members.map((m) => usernameKey(m.username)));
  const memberIds = new Set(members.map((m) => m.id));
  return ledger.users.filter((e) =>
    e.absentSince !== null && e.userId !== null && !memberKeys.has(usernameKey(e.username)) &&
    !memberIds.has(e.userId) && (options.removeScope !== "managed" || e.managed)
  );
}

/**
 * The ids to read from LoginTC before planning: entries whose deletion is due now. An id that is not
 * one LoginTC issues (an edited ledger) is not read: its user stays unknown, and is never deleted.
 */
export function dueIds(
  ledger: Ledger | undefined,
  members: readonly LoginTCUser[],
  options: PlanOptions,
): string[] {
  const grace = gracePeriod(options);
  if (grace === undefined) return [];
  const protectedKeys = new Set((options.protectUsers ?? []).map(usernameKey));
  return awaitingDeletion(ledger, members, options)
    .filter((e) => !protectedKeys.has(usernameKey(e.username)))
    .filter((e) => isDue(deletionDue(e.absentSince!, grace.days), grace.now) && isLoginTCId(e.userId))
    .map((e) => e.userId!);
}
