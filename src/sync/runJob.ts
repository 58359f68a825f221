/**
 * A real sync as a job: record it (Pending → Running → Completed/Failed) around applyPlan, so
 * `-j <id>` can report on it later, and say which exit code the outcome maps to. The caller
 * holds the lock (acquireLock) around the whole read → plan → apply.
 */
import { ExitCode } from "../errors.ts";
import type { LoginTCApi } from "../logintc/api.ts";
import type { Options } from "../types.ts";
import { applyPlan } from "./applyPlan.ts";
import { failJob, finishJob, type JobDeps, type JobRecord, newJob, startJob } from "./jobRecord.ts";
import { writeJob } from "./jobStore.ts";
import type { ApplyResult, CheckedPlan } from "./types.ts";

export interface RunJobContext {
  domainId: string;
  stateDir: string;
  options: Pick<Options, "syncMode" | "syncTokenMode" | "group" | "maxRemoveLimit">;
  concurrency?: number;
  /** Configured features this LoginTC lacks (src/sync/features.ts skippedFeatureNotes). */
  skippedFeatures?: string[];
  /** Called once the job exists (print "Job created with id: …" here). */
  onCreated?(job: JobRecord): void;
  onProgress?(done: number, total: number): void;
}

export interface JobOutcome {
  job: JobRecord;
  result: ApplyResult;
  path: string;
}

export async function runSyncJob(
  checked: CheckedPlan,
  api: LoginTCApi,
  ctx: RunJobContext,
  deps: JobDeps,
): Promise<JobOutcome> {
  let job = newJob(deps, ctx.domainId, ctx.options);
  if (ctx.skippedFeatures && ctx.skippedFeatures.length > 0) {
    job = { ...job, skippedFeatures: ctx.skippedFeatures };
  }
  await writeJob(ctx.stateDir, job);
  ctx.onCreated?.(job);
  job = startJob(job, checked, deps.now());
  await writeJob(ctx.stateDir, job);
  let result: ApplyResult;
  try {
    result = await applyPlan(checked.plan, api, {
      domainId: ctx.domainId,
      concurrency: ctx.concurrency,
      onProgress: ctx.onProgress,
    });
  } catch (error) {
    // applyPlan records step failures itself; this is a bug or an abort: keep the record honest.
    await writeJob(ctx.stateDir, failJob(job, error, deps.now()));
    throw error;
  }
  job = finishJob(job, result, checked, deps.now());
  const path = await writeJob(ctx.stateDir, job);
  return { job, result, path };
}

/** Failures (4) outrank withheld removals (3): both are reported, the code names the worse. */
export function syncExitCode(checked: CheckedPlan, result?: ApplyResult): ExitCode {
  if (result && result.failed.length > 0) return ExitCode.PARTIAL;
  if (checked.withheld.length > 0) return ExitCode.GUARD;
  return ExitCode.OK;
}
