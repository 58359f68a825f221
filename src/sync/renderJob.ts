/** How job records are shown: the sync run's job lines and `-j`. */
import { escapeControls, escapeText } from "../output/escape.ts";
import type { JobRecord } from "./jobRecord.ts";

/**
 * A job record is a file that anyone who can write the state folder could have edited: every text
 * field is shown terminal-safe (src/output/escape.ts). Messages were escaped when they were built,
 * so only remaining control characters are escaped in them; raw values (usernames) are escaped.
 */
const safe = (text: string | number) => escapeControls(String(text));

/**
 * `-j` output: the guide's nine lines. "(approx.)" is dropped from "Job Actions": our counts are
 * exact, and we keep the original's words only where they stay true.
 */
export function renderJob(job: JobRecord): string {
  return [
    `Job ID: ${safe(job.id)}`,
    `Job Type: ${safe(job.type)}`,
    `Job Status: ${safe(job.status)}`,
    `Job Date Created: ${safe(job.dtCreated)}`,
    `Job Date Started: ${safe(job.dtStarted)}`,
    `Job Date Completed: ${safe(job.dtCompleted)}`,
    `Job Actions: ${safe(job.actionsCompleted)} of ${safe(job.actionsTotal)}`,
    `Job Error Code: ${safe(job.errorCode)}`,
    `Job Error Message: ${safe(job.errorMessage)}`,
  ].map((line) => line.trimEnd()).join("\n");
}

/** What our records add after the guide's lines: counts, withheld, skipped, each failure. */
export function renderJobDetails(job: JobRecord): string {
  const lines: string[] = [];
  const m = job.mode;
  lines.push(
    `Job Mode: -m ${m.syncMode} -t ${m.syncTokenMode} -r ${m.maxRemoveLimit}` +
      (m.group !== undefined ? ` -g ${escapeText(m.group)}` : ""),
  );
  if (job.counts) {
    const parts = Object.entries(job.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
    lines.push(`Job Steps: ${parts.length > 0 ? parts.join(", ") : "none"}`);
  }
  lines.push(`Job Withheld: ${job.withheld}`, `Job Skipped: ${job.skipped}`);
  for (const f of job.failures) {
    lines.push(`Job Failure: ${escapeText(f.username)} ${safe(f.action)}: ${safe(f.message)}`);
  }
  return lines.join("\n");
}

/**
 * The sync run's lines, in the original's words where they stay true
 * (https://www.logintc.com/docs/tools/user-sync/):
 * our job runs here, not asynchronously in LoginTC Admin, and its counts are exact — so no
 * "Async" and no "(approx.)".
 */
export function renderJobCreated(job: JobRecord): string {
  return `Job created with id: ${safe(job.id)}`;
}

export function renderJobStatus(
  job: Pick<JobRecord, "status" | "actionsCompleted" | "actionsTotal">,
): string {
  return `Status: ${job.status}. Completed ${job.actionsCompleted} of ${job.actionsTotal} action(s).`;
}

export function renderJobOutcome(job: JobRecord): string {
  const status = renderJobStatus(job);
  const end = job.status === "Failed"
    ? `Job failed: ${safe(job.errorMessage)}`
    : job.withheld > 0
    ? `Job completed; ${job.withheld} removal(s) withheld.`
    : "Job completed successfully.";
  return `${status}\n${end}`;
}
