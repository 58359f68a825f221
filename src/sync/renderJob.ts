/** How job records are shown: the sync run's job lines and `-j`. */
import type { JobRecord } from "./jobRecord.ts";

/**
 * `-j` output: the guide's nine lines. "(approx.)" is dropped from "Job Actions": our counts are
 * exact, and we keep the original's words only where they stay true.
 */
export function renderJob(job: JobRecord): string {
  return [
    `Job ID: ${job.id}`,
    `Job Type: ${job.type}`,
    `Job Status: ${job.status}`,
    `Job Date Created: ${job.dtCreated}`,
    `Job Date Started: ${job.dtStarted}`,
    `Job Date Completed: ${job.dtCompleted}`,
    `Job Actions: ${job.actionsCompleted} of ${job.actionsTotal}`,
    `Job Error Code: ${job.errorCode}`,
    `Job Error Message: ${job.errorMessage}`,
  ].map((line) => line.trimEnd()).join("\n");
}

/** What our records add after the guide's lines: counts, withheld, skipped, each failure. */
export function renderJobDetails(job: JobRecord): string {
  const lines: string[] = [];
  const m = job.mode;
  lines.push(
    `Job Mode: -m ${m.syncMode} -t ${m.syncTokenMode} -r ${m.maxRemoveLimit}` +
      (m.group !== undefined ? ` -g ${m.group}` : ""),
  );
  if (job.counts) {
    const parts = Object.entries(job.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
    lines.push(`Job Steps: ${parts.length > 0 ? parts.join(", ") : "none"}`);
  }
  lines.push(`Job Withheld: ${job.withheld}`, `Job Skipped: ${job.skipped}`);
  for (const f of job.failures) lines.push(`Job Failure: ${f.username} ${f.action}: ${f.message}`);
  for (const f of job.skippedFeatures ?? []) lines.push(`Job Feature Skipped: ${f}`);
  return lines.join("\n");
}

/**
 * The sync run's lines, in the original's words where they stay true (logintc-sync-guide.txt):
 * our job runs here, not asynchronously in LoginTC Admin, and its counts are exact — so no
 * "Async" and no "(approx.)".
 */
export function renderJobCreated(job: JobRecord): string {
  return `Job created with id: ${job.id}`;
}

export function renderJobStatus(
  job: Pick<JobRecord, "status" | "actionsCompleted" | "actionsTotal">,
): string {
  return `Status: ${job.status}. Completed ${job.actionsCompleted} of ${job.actionsTotal} action(s).`;
}

export function renderJobOutcome(job: JobRecord): string {
  const status = renderJobStatus(job);
  const end = job.status === "Failed"
    ? `Job failed: ${job.errorMessage}`
    : job.withheld > 0
    ? `Job completed; ${job.withheld} removal(s) withheld.`
    : job.skippedFeatures && job.skippedFeatures.length > 0
    ? `Job completed; ${job.skippedFeatures.length} configured feature(s) skipped (not supported by this LoginTC).`
    : "Job completed successfully.";
  return `${status}\n${end}`;
}
