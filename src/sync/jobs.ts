/**
 * Job records: every real sync is a "SyncUsersJob", as in the original tool, so `-j <id>` can
 * report on it later. The original kept jobs in LoginTC Admin; that API is not public
 * (logintc-api.md §4.3), so ours are JSON files in the state directory:
 * `<stateDir>/jobs/<id>.json`, written atomically (temp file + rename: a reader never sees half
 * a record, and a crash leaves the previous version).
 */
import { UsageError } from "../errors.ts";
import type { Options, SyncMode, TokenMode } from "../types.ts";
import type { ApplyResult, CheckedPlan, StepCounts } from "./types.ts";
import { actionName } from "./renderPlan.ts";
import { statePath } from "./stateDir.ts";

export type JobStatus = "Pending" | "Running" | "Completed" | "Failed";

export interface JobRecord {
  id: string;
  type: "SyncUsersJob";
  status: JobStatus;
  /** Like the guide: 2017-08-02T17:46:43+0000; "" until it happens. */
  dtCreated: string;
  dtStarted: string;
  dtCompleted: string;
  actionsCompleted: number;
  actionsTotal: number;
  errorCode: string;
  errorMessage: string;
  // ---- ours
  domainId: string;
  mode: { syncMode: SyncMode; syncTokenMode: TokenMode; group?: string; maxRemoveLimit: number };
  /** Planned steps per kind (after the guards). */
  counts?: StepCounts;
  withheld: number;
  skipped: number;
  failures: { username: string; action: string; message: string }[];
}

export interface JobDeps {
  now: () => Date;
  /** 40 lowercase hex; default: crypto random. */
  newId?: () => string;
}

const JOB_ID = /^[0-9a-f]{40}$/;

export function randomJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** 2017-08-02T17:46:43+0000 (UTC), the guide's format. */
export function formatJobDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+0000");
}

export function newJob(
  deps: JobDeps,
  domainId: string,
  options: Pick<Options, "syncMode" | "syncTokenMode" | "group" | "maxRemoveLimit">,
): JobRecord {
  return {
    id: (deps.newId ?? randomJobId)(),
    type: "SyncUsersJob",
    status: "Pending",
    dtCreated: formatJobDate(deps.now()),
    dtStarted: "",
    dtCompleted: "",
    actionsCompleted: 0,
    actionsTotal: 0,
    errorCode: "",
    errorMessage: "",
    domainId,
    mode: {
      syncMode: options.syncMode,
      syncTokenMode: options.syncTokenMode,
      ...(options.group !== undefined ? { group: options.group } : {}),
      maxRemoveLimit: options.maxRemoveLimit,
    },
    withheld: 0,
    skipped: 0,
    failures: [],
  };
}

export function startJob(job: JobRecord, checked: CheckedPlan, now: Date): JobRecord {
  return {
    ...job,
    status: "Running",
    dtStarted: formatJobDate(now),
    actionsTotal: checked.plan.steps.length,
    counts: checked.plan.counts,
    withheld: checked.withheld.length,
    skipped: checked.plan.skipped.length,
  };
}

/**
 * Completed when every step was made (withheld removals leave it Completed, with the reason in
 * the error fields so -j shows it); Failed when any step failed or was skipped for a failure.
 */
export function finishJob(job: JobRecord, result: ApplyResult, checked: CheckedPlan, now: Date): JobRecord {
  const failures = result.failed.map((f) => ({
    username: f.step.username,
    action: actionName(f.step),
    message: f.message,
  }));
  const base = { ...job, dtCompleted: formatJobDate(now), actionsCompleted: result.done.length, failures };
  if (result.failed.length > 0) {
    const first = result.failed[0];
    return {
      ...base,
      status: "Failed",
      errorCode: "steps-failed",
      errorMessage: `${result.failed.length} action(s) failed, ${result.skipped.length} skipped; first: ` +
        `${first.step.username} ${actionName(first.step)}: ${first.message}`,
    };
  }
  if (checked.withheld.length > 0) {
    return {
      ...base,
      status: "Completed",
      errorCode: "removals-withheld",
      errorMessage: checked.notices.join(" "),
    };
  }
  return { ...base, status: "Completed" };
}

/** The run stopped on an error (e.g. LoginTC unreachable half-way). */
export function failJob(job: JobRecord, error: unknown, now: Date): JobRecord {
  return {
    ...job,
    status: "Failed",
    dtCompleted: formatJobDate(now),
    errorCode: error instanceof Error ? error.name : "Error",
    errorMessage: error instanceof Error ? error.message : String(error),
  };
}

export function jobsDir(stateDir: string): string {
  return statePath(stateDir, ["jobs"]);
}

export function jobPath(stateDir: string, id: string): string {
  return statePath(stateDir, ["jobs", `${id}.json`]);
}

export async function writeJob(stateDir: string, job: JobRecord): Promise<string> {
  const dir = jobsDir(stateDir);
  await Deno.mkdir(dir, { recursive: true });
  const path = jobPath(stateDir, job.id);
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(temp, JSON.stringify(job, null, 2) + "\n");
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  return path;
}

/** -j <id>: the record, or a UsageError saying where we looked. */
export async function readJob(stateDir: string, id: string): Promise<JobRecord> {
  const wanted = id.trim().toLowerCase();
  if (!JOB_ID.test(wanted)) {
    throw new UsageError(`-j/--job-status: a job id is 40 hex characters, got "${id}"`);
  }
  const path = jobPath(stateDir, wanted);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(
        `-j/--job-status: no job ${wanted}: ${path} does not exist. Job records are kept in the state ` +
          `directory of the run that made them (--state-dir or LOGINTC_SYNC_STATE_DIR; default: the config ` +
          `file's directory).`,
      );
    }
    throw new UsageError(`-j/--job-status: cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const job = JSON.parse(text) as JobRecord;
    if (job.type !== "SyncUsersJob" || job.id !== wanted) throw new Error("not a SyncUsersJob record");
    return job;
  } catch (error) {
    throw new UsageError(`-j/--job-status: ${path} is not a valid job record: ${(error as Error).message}`);
  }
}

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
    : "Job completed successfully.";
  return `${status}\n${end}`;
}
