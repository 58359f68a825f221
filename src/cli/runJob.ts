/**
 * A real sync as a job: record it (Pending → Running → Completed/Failed) around applyPlan, so
 * `-j <id>` can report on it later, and say which exit code the outcome maps to. The caller
 * holds the lock (acquireLock) around the whole read → plan → apply.
 *
 * While applying, the record is rewritten (atomically, src/state/jobStore.ts) with the steps made
 * so far at most every PROGRESS_STEPS finished steps or PROGRESS_MS, whichever comes first (checked
 * as each step finishes), so a run that is killed leaves a record that says how far it got.
 */
import { ExitCode } from "../errors.ts";
import type { LoginTCApi } from "../logintc/api.ts";
import type { SyncOptions } from "../types.ts";
import { applyPlan, type StepEvent } from "../sync/applyPlan.ts";
import {
  failJob,
  finishJob,
  type JobDeps,
  type JobRecord,
  newJob,
  progressJob,
  startJob,
} from "../state/jobRecord.ts";
import { writeJob } from "../state/jobStore.ts";
import type { ApplyResult, GuardedPlan } from "../sync/types.ts";

export interface RunJobContext {
  stateDir: string;
  options: Pick<SyncOptions, "syncMode" | "syncTokenMode" | "group" | "maxRemoveLimit">;
  concurrency?: number;
  /** Configured features this LoginTC lacks (src/sync/features.ts unavailableFeatureNotes). */
  unavailableFeatures?: string[];
  /** Names the job in the lock's owner file before its record exists (src/state/lock.ts). */
  claimJob?(id: string): Promise<void>;
  /** Called once the job exists (print "Async Job created with id: …" here). */
  onCreated?(job: JobRecord): void;
  /** Called as each step finishes (the live status line). */
  onStep?(event: StepEvent): void;
  /** Stops the run from starting steps (src/sync/applyPlan.ts); the job then says Interrupted. */
  signal?: AbortSignal;
}

/** The progress cadence (docs/operations.md): a record write per 100 steps or 2 s of applying. */
const PROGRESS_STEPS = 100;
const PROGRESS_MS = 2000;

export interface JobOutcome {
  job: JobRecord;
  result: ApplyResult;
  path: string;
}

export async function runSyncJob(
  checked: GuardedPlan,
  api: LoginTCApi,
  ctx: RunJobContext,
  deps: JobDeps,
): Promise<JobOutcome> {
  let job = newJob(deps, checked.plan.domainId, ctx.options);
  // The record's field keeps its name from earlier versions: `-j` reads their records too.
  if (ctx.unavailableFeatures && ctx.unavailableFeatures.length > 0) {
    job = { ...job, skippedFeatures: ctx.unavailableFeatures };
  }
  // First the lock, then the record: `-j` must never see a Running record whose run it cannot find.
  await ctx.claimJob?.(job.id);
  await writeJob(ctx.stateDir, job);
  ctx.onCreated?.(job);
  job = startJob(job, checked, deps.now());
  await writeJob(ctx.stateDir, job);
  const progress = progressWriter(ctx.stateDir, job, deps.now);
  let result: ApplyResult;
  try {
    result = await applyPlan(checked.plan, api, {
      concurrency: ctx.concurrency,
      signal: ctx.signal,
      onStep: (event) => {
        progress.step(event);
        ctx.onStep?.(event);
      },
    });
  } catch (error) {
    // applyPlan records step failures itself; this is a bug or an abort: keep the record honest.
    await progress.settled();
    await writeJob(ctx.stateDir, failJob(job, error, deps.now()));
    throw error;
  }
  // The last progress write lands before the final record, never after it.
  await progress.settled();
  job = finishJob(job, result, checked, deps.now());
  const path = await writeJob(ctx.stateDir, job);
  return { job, result, path };
}

/**
 * Rewrites the Running record as steps finish, at the cadence above, one write at a time (a write
 * in flight makes the next due one wait for the next step). A progress write that fails (say, a
 * full disk) is dropped: the sync goes on, and the final write reports the problem if it persists.
 */
function progressWriter(stateDir: string, running: JobRecord, now: () => Date) {
  let written = 0;
  let writtenAt = now().getTime();
  let inFlight: Promise<void> | undefined;
  const soFar: ApplyResult = { done: [], failed: [], notAttempted: [] };
  return {
    step({ step, outcome, reason = "", finished }: StepEvent) {
      if (outcome === "done") soFar.done.push(step);
      else if (outcome === "failed") soFar.failed.push({ step, message: reason });
      else soFar.notAttempted.push({ step, reason });
      const at = now();
      if (inFlight || (finished - written < PROGRESS_STEPS && at.getTime() - writtenAt < PROGRESS_MS)) return;
      written = finished;
      writtenAt = at.getTime();
      // Snapshot now: the arrays keep growing while the write is in flight.
      const record = progressJob(running, soFar, at);
      inFlight = writeJob(stateDir, record).then(() => {}, () => {}).finally(() => inFlight = undefined);
    },
    settled: () => inFlight ?? Promise.resolve(),
  };
}

/** Failures (4) outrank withheld removals (3): both are reported, the code names the worse. */
export function syncExitCode(checked: GuardedPlan, result?: ApplyResult): ExitCode {
  if (result && result.failed.length > 0) return ExitCode.PARTIAL;
  if (checked.withheld.length > 0) return ExitCode.GUARD;
  return ExitCode.OK;
}
