/**
 * Job records: every real sync is a "SyncUsersJob", as in the original tool, so `-j <id>` can
 * report on it later. This module is the record itself and its pure transitions (new, started,
 * finished, failed); src/sync/jobStore.ts keeps records on disk and src/sync/renderJob.ts shows them.
 */
import type { Options, SyncMode, TokenMode } from "../types.ts";
import { actionName } from "./steps.ts";
import type { ApplyResult, CheckedPlan, StepCounts } from "./types.ts";

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
  /** Configured features this LoginTC lacks, skipped by this run (src/sync/features.ts). */
  skippedFeatures?: string[];
}

export interface JobDeps {
  now: () => Date;
  /** 40 lowercase hex; default: crypto random. */
  newId?: () => string;
}

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
  if (job.skippedFeatures && job.skippedFeatures.length > 0) {
    return {
      ...base,
      status: "Completed",
      errorCode: "features-skipped",
      errorMessage: `${job.skippedFeatures.length} configured feature(s) skipped: ${
        job.skippedFeatures.join("; ")
      }`,
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
