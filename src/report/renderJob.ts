/** How job records are shown: the sync run's job lines and `-j`. */
import { escapeControls, escapeText } from "../output/escape.ts";
import type { JobRecord, NamedUser } from "../state/jobRecord.ts";

/**
 * A job record is a file that anyone who can write the state folder could have edited: every text
 * field is shown terminal-safe (src/output/escape.ts). Messages were escaped when they were built,
 * so only remaining control characters are escaped in them; raw values (usernames) are escaped.
 */
const safe = (text: string | number) => escapeControls(String(text));

/**
 * `-j` output: the original's nine lines (https://www.logintc.com/docs/tools/user-sync/), so scripts
 * written against the original keep parsing them. "(approx.)" is the original's word, kept for
 * those scripts although our counts are exact.
 */
export function renderJob(job: JobRecord): string {
  return [
    `Job ID: ${safe(job.id)}`,
    `Job Type: ${safe(job.type)}`,
    `Job Status: ${safe(job.status)}`,
    `Job Date Created: ${safe(job.dtCreated)}`,
    `Job Date Started: ${safe(job.dtStarted)}`,
    `Job Date Completed: ${safe(job.dtCompleted)}`,
    `Job Actions (approx.): ${safe(job.actionsCompleted)} of ${safe(job.actionsTotal)}`,
    `Job Error Code: ${safe(job.errorCode)}`,
    `Job Error Message: ${safe(job.errorMessage)}`,
  ].map((line) => line.trimEnd()).join("\n");
}

/**
 * What our records add after the guide's lines: the flags, steps per kind, progress, and who:
 * users left out, members kept and the directory's disabled users (the first NAMED_LIMIT of each),
 * actions failed and actions not attempted, each with its reason; and for a job that stopped before
 * the end of its plan, the actions it made, those in flight when it stopped, and how many it never
 * started.
 */
export function renderJobDetails(job: JobRecord): string {
  const lines: string[] = [];
  const m = job.mode;
  lines.push(
    `Job Mode: -m ${safe(m.syncMode)} -t ${safe(m.syncTokenMode)} -r ${safe(m.maxRemoveLimit)}` +
      (m.group !== undefined ? ` -g ${escapeText(m.group)}` : ""),
  );
  if (job.counts) {
    const parts = Object.entries(job.counts).filter(([, n]) => n > 0).map(([k, n]) =>
      `${safe(k)} ${safe(n)}`
    );
    lines.push(`Job Steps: ${parts.length > 0 ? parts.join(", ") : "none"}`);
  }
  if (job.dtProgress && job.dtCompleted === "") lines.push(`Job Progress Recorded: ${safe(job.dtProgress)}`);
  lines.push(`Job Withheld: ${safe(job.withheld)}`);
  named(lines, "Job Skipped", job.skipped, job.skippedUsers ?? []);
  // Only when there are any (records of earlier versions have neither).
  if (job.kept) named(lines, "Job Kept", job.kept, job.keptUsers ?? []);
  if (job.disabled && job.disabled.count > 0) {
    const d = job.disabled;
    named(lines, "Job Disabled", d.count, d.users ?? [], ` (disabled_users = ${safe(d.handling)})`);
  }
  if (job.done) named(lines, "Job Done", job.done.length, job.done);
  named(lines, "Job Failed", job.failed ?? job.failures.length, job.failures);
  named(lines, "Job Not Attempted", job.notAttempted ?? 0, job.notAttemptedActions ?? []);
  if (job.inFlight) named(lines, "Job In Flight (outcome unknown)", job.inFlight.length, job.inFlight);
  if (job.notStarted !== undefined) lines.push(`Job Not Started: ${safe(job.notStarted)}`);
  for (const f of job.skippedFeatures ?? []) lines.push(`Job Feature Skipped: ${safe(f)}`);
  if (job.reassigned) named(lines, "Job Reassigned", job.reassigned, job.reassignedUsers ?? []);
  if (job.renamed) {
    lines.push(`Job Renamed: ${safe(job.renamed)}`);
    for (const r of job.renames ?? []) lines.push(`  ${escapeText(r.from)} → ${escapeText(r.to)}`);
    if (job.renamed > (job.renames ?? []).length) {
      lines.push(`  … and ${job.renamed - (job.renames ?? []).length} more`);
    }
  }
  return lines.join("\n");
}

/** `<label>: N`, then one line per named user, then `… and N more` when the record named fewer. */
function named(lines: string[], label: string, total: number, users: readonly NamedUser[], note = ""): void {
  lines.push(`${label}: ${safe(total)}${note}`);
  for (const u of users) {
    const what = u.action === "" ? "" : ` ${safe(u.action)}`;
    // Records written by earlier versions name it `message`: -j still reads them.
    const why = u.reason ?? (u as unknown as { message?: string }).message ?? "";
    // An action made or in flight has no reason: the user and the action alone.
    lines.push(`  ${escapeText(u.username)}${what}${why === "" && what !== "" ? "" : `: ${safe(why)}`}`);
  }
  if (total > users.length) lines.push(`  … and ${total - users.length} more`);
}

/**
 * The sync run's lines, byte for byte the original's (https://www.logintc.com/docs/tools/user-sync/),
 * which scripts grep: "Async Job created with id: <id>", "Status: Completed. Completed X of Y
 * action(s) (approx.).", "Job completed successfully.". The words are kept for compatibility even
 * where they are not literally ours (the job runs in this process; its counts are exact).
 */
export function renderJobCreated(job: JobRecord): string {
  return `Async Job created with id: ${safe(job.id)}`;
}

export function renderJobStatus(
  job: Pick<JobRecord, "status" | "actionsCompleted" | "actionsTotal">,
): string {
  return `Status: ${job.status}. Completed ${job.actionsCompleted} of ${job.actionsTotal} action(s) (approx.).`;
}

export function renderJobOutcome(job: JobRecord): string {
  const status = renderJobStatus(job);
  const end = job.status === "Failed"
    ? `Job failed: ${safe(job.errorMessage)}`
    : job.status === "Interrupted"
    ? `Job interrupted: ${safe(job.errorMessage)}`
    : job.withheld > 0
    ? `Job completed; ${job.withheld} removal(s) withheld.`
    : job.skippedFeatures && job.skippedFeatures.length > 0
    ? `Job completed; ${job.skippedFeatures.length} configured feature(s) skipped (not supported by this LoginTC).`
    : "Job completed successfully.";
  return `${status}\n${end}`;
}
