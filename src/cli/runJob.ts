/**
 * A real sync as a job: record it (Pending → Running → Completed/Failed/Interrupted) around
 * applyPlan, so `-j <id>` can report on it later, and say which exit code the outcome maps to. The
 * caller holds the lock (acquireLock) around the whole read → plan → apply.
 *
 * While applying, each step's outcome goes to the job's journal (src/state/journal.ts), on the disk
 * within about a second, so a run that is killed leaves a record and journal that say which actions
 * it made. The final record takes in every outcome, and the journal is removed.
 */
import { ExitCode } from "../errors.ts";
import type { LoginTCApi } from "../logintc/api.ts";
import type { SyncOptions } from "../types.ts";
import { applyPlan, type StepEvent } from "../sync/applyPlan.ts";
import { failJob, finishJob, type JobDeps, type JobRecord, newJob, startJob } from "../state/jobRecord.ts";
import { writeJob } from "../state/jobStore.ts";
import { type Journal, openJournal, removeJournal } from "../state/journal.ts";
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

export interface JobOutcome {
  job: JobRecord;
  result: ApplyResult;
  path: string;
  /** Why the journal could not be written to the end (the run went on), or undefined. */
  journalProblem?: string;
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
  let journal: Journal | undefined;
  let result: ApplyResult;
  try {
    journal = await openJournal(ctx.stateDir, job.id, deps.now);
    await writeJob(ctx.stateDir, job);
    const recording = journal;
    result = await applyPlan(checked.plan, api, {
      concurrency: ctx.concurrency,
      signal: ctx.signal,
      onStep: (event) => {
        recording.record(event);
        ctx.onStep?.(event);
      },
    });
  } catch (error) {
    // applyPlan records step failures itself; this is a bug or the state folder failing: keep the
    // record honest (the journal keeps the steps made, for -j and the next run).
    await journal?.close();
    await writeJob(ctx.stateDir, failJob(job, error, deps.now()));
    throw error;
  }
  // The journal is complete on the disk before the final record, which then replaces it.
  await journal.close();
  job = finishJob(job, result, checked, deps.now());
  const path = await writeJob(ctx.stateDir, job);
  await removeJournal(ctx.stateDir, job.id);
  const problem = journal.problem();
  return { job, result, path, ...(problem !== undefined ? { journalProblem: problem } : {}) };
}

/** Failures (4) outrank withheld removals (3): both are reported, the code names the worse. */
export function syncExitCode(checked: GuardedPlan, result?: ApplyResult): ExitCode {
  if (result && result.failed.length > 0) return ExitCode.PARTIAL;
  if (checked.withheld.length > 0) return ExitCode.GUARD;
  return ExitCode.OK;
}
