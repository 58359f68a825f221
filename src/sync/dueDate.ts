/**
 * When a deletion deferred by delete_after_days is due (./gracePeriod.ts): on a UTC calendar date,
 * so that a run scheduled at the same time every day deletes on the date the plan showed, whatever
 * seconds each run took. No imports: the step kinds and the kept reasons use it too.
 */

/**
 * The date (`YYYY-MM-DD`, UTC) on which a user absent since `absentSince` (ISO 8601) is due for
 * deletion: that day's date plus `days`.
 */
export function deletionDue(absentSince: string, days: number): string {
  const since = new Date(absentSince);
  return new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate() + days))
    .toISOString().slice(0, 10);
}

/** Due when the run's UTC date is the due date or later. */
export function isDue(due: string, now: Date): boolean {
  return now.toISOString().slice(0, 10) >= due;
}

/** `2026-02-01`: the date part of an ISO 8601 time, as the plan shows when a user left. */
export function shownDate(iso: string): string {
  return iso.slice(0, 10);
}
