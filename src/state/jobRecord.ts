/**
 * Job records: every real sync is a "SyncUsersJob", as in the original tool, so `-j <id>` can
 * report on it later. This module is the record itself and its pure transitions (new, started,
 * with its journal so far, finished, failed, seen interrupted); src/state/jobStore.ts keeps records
 * on disk, src/state/journal.ts the steps as they finish, src/cli/runJob.ts writes both and
 * src/report/renderJob.ts shows them.
 */
import { escapeText } from "../output/escape.ts";
import type { DisabledUsers, SyncMode, SyncOptions, TokenMode } from "../types.ts";
import { LoginTCError } from "../errors.ts";
import { keptDetail } from "../sync/kept.ts";
import { type Step, type StepCounts, stepLabel } from "../sync/stepKinds.ts";
import type { ApplyResult, GuardedPlan } from "../sync/types.ts";
import { withheldRemovals } from "../sync/guards.ts";
import { messageOf } from "../unknown.ts";
import type { JournalEntry } from "./journal.ts";

/**
 * What a run writes: Pending → Running → Completed, Failed, or Interrupted when it was asked to stop
 * (a signal, a time limit) and stopped starting steps. A killed run cannot write: `-j` shows
 * Interrupted for a Pending/Running record whose run no longer holds the lock (jobAsSeen,
 * src/state/jobStore.ts).
 */
export type JobStatus = "Pending" | "Running" | "Completed" | "Failed" | "Interrupted";

/**
 * How many left-out users a record names (the total is kept too). Failed and not-attempted actions
 * are all named: stderr lists only the first 20 of them (src/cli/runSync.ts), so the record is
 * where every one stays.
 */
export const NAMED_LIMIT = 20;

/** A user the job names, with what (the action; "" for a user the plan left out) and why. */
export interface NamedUser {
  username: string;
  action: string;
  reason: string;
}

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
  // Field names are the record file's, read by `-j` across versions: `skipped*` are the users the
  // plan left out (Plan.leftOut) and `skippedFeatures` the features unavailable to the run.
  /** Directory users the plan left out (invalid data), and the first NAMED_LIMIT of them. */
  skipped: number;
  skippedUsers: NamedUser[];
  /** Members kept although the directory does not show them, and the first NAMED_LIMIT (Plan.kept). */
  kept?: number;
  keptUsers?: NamedUser[];
  /** Users the directory showed disabled, what the run did with them, and the first NAMED_LIMIT. */
  disabled?: { count: number; handling: DisabledUsers; users: NamedUser[] };
  /** Actions LoginTC refused, each named (records of earlier versions name the first 20). */
  failed: number;
  failures: NamedUser[];
  /** Actions not attempted because one they depend on failed, each named (earlier versions: 20). */
  notAttempted: number;
  notAttemptedActions: NamedUser[];
  /**
   * A job that stopped before the end of its plan (a refused credential, a signal, a time limit):
   * which actions it made, those still in flight when it stopped waiting (outcome unknown: LoginTC
   * may have made them), and how many it never started. Absent for a job that ran its whole plan.
   */
  done?: NamedUser[];
  inFlight?: NamedUser[];
  notStarted?: number;
  /**
   * When the last step recorded so far finished, for a job not finished (from its journal,
   * src/state/journal.ts; records of earlier versions: when they last rewrote the record).
   */
  dtProgress: string;
  /** Configured features this LoginTC lacks, so this run did without them (src/sync/features.ts). */
  skippedFeatures?: string[];
  /**
   * Changes of person (docs/operations.md, "Identity"): reused usernames reassigned (planned or
   * withheld; reason: the anchors), and renames `from → to`; the first NAMED_LIMIT of each.
   */
  reassigned?: number;
  reassignedUsers?: NamedUser[];
  renamed?: number;
  renames?: { from: string; to: string }[];
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
  options: Pick<SyncOptions, "syncMode" | "syncTokenMode" | "group" | "maxRemoveLimit">,
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
    skippedUsers: [],
    failed: 0,
    failures: [],
    notAttempted: 0,
    notAttemptedActions: [],
    dtProgress: "",
  };
}

export function startJob(job: JobRecord, checked: GuardedPlan, now: Date): JobRecord {
  return {
    ...job,
    status: "Running",
    dtStarted: formatJobDate(now),
    actionsTotal: checked.plan.steps.length,
    counts: checked.plan.counts,
    withheld: withheldRemovals(checked),
    skipped: checked.plan.leftOut.length,
    skippedUsers: checked.plan.leftOut.slice(0, NAMED_LIMIT).map((s) => ({
      username: s.username,
      action: "",
      reason: s.reason,
    })),
    kept: checked.plan.kept.length,
    keptUsers: checked.plan.kept.slice(0, NAMED_LIMIT).map((k) => ({
      username: k.username,
      action: "keep",
      reason: keptDetail(k),
    })),
    disabled: {
      count: checked.plan.disabled.users.length,
      handling: checked.plan.disabled.handling,
      users: checked.plan.disabled.users.slice(0, NAMED_LIMIT).map((u) => ({
        username: u.username,
        action: "",
        reason: u.reason,
      })),
    },
    ...identityOf(checked),
  };
}

function identityOf(checked: GuardedPlan): Partial<JobRecord> {
  const held = new Set(checked.withheld);
  const reassigned = [...checked.plan.steps, ...checked.withheld].filter((s) => s.kind === "reassignUser");
  const renames = checked.plan.renames ?? [];
  if (reassigned.length === 0 && renames.length === 0) return {};
  return {
    reassigned: reassigned.length,
    reassignedUsers: reassigned.slice(0, NAMED_LIMIT).map((s) => ({
      username: s.username,
      action: stepLabel(s),
      reason:
        (s.kind === "reassignUser"
          ? `${escapeText(s.attribute)} ${escapeText(s.from)} → ${escapeText(s.to)}`
          : "") +
        (held.has(s) ? " (withheld)" : ""),
    })),
    renamed: renames.length,
    renames: renames.slice(0, NAMED_LIMIT).map(({ from, to }) => ({ from, to })),
  };
}

/** An action the record names: who, which, and why ("" for one made or in flight). */
const named = (step: Step, reason = ""): NamedUser => ({
  username: step.username,
  action: stepLabel(step),
  reason,
});

/** The steps made, failed and not attempted so far (or in the end). */
function outcomes(job: JobRecord, result: ApplyResult): JobRecord {
  return {
    ...job,
    actionsCompleted: result.done.length,
    failed: result.failed.length,
    failures: result.failed.map((f) => named(f.step, f.message)),
    notAttempted: result.notAttempted.length,
    notAttemptedActions: result.notAttempted.map((s) => named(s.step, s.reason)),
    ...(result.stopped
      ? {
        done: result.done.map((step) => named(step)),
        inFlight: result.stopped.inFlight.map((step) => named(step)),
        notStarted: result.stopped.notStarted,
      }
      : {}),
  };
}

/**
 * A Pending or Running record with what its journal says the run did so far (src/state/journal.ts):
 * the steps made, failed and not attempted, each named, and when the last one finished. A finished
 * record is complete on its own: it is returned as it is.
 */
export function withJournal(job: JobRecord, entries: readonly JournalEntry[] | undefined): JobRecord {
  if (entries === undefined || (job.status !== "Pending" && job.status !== "Running")) return job;
  const named = (e: JournalEntry): NamedUser => ({
    username: e.username,
    action: e.action,
    reason: e.reason ?? "",
  });
  const failures = entries.filter((e) => e.outcome === "failed").map(named);
  const notAttempted = entries.filter((e) => e.outcome === "not-attempted").map(named);
  const done = entries.filter((e) => e.outcome === "done").map(named);
  const last = entries.at(-1);
  return {
    ...job,
    actionsCompleted: done.length,
    failed: failures.length,
    failures,
    notAttempted: notAttempted.length,
    notAttemptedActions: notAttempted,
    done,
    dtProgress: last ? formatJobDate(new Date(last.at)) : job.dtProgress,
  };
}

/**
 * Completed when every step was made (withheld removals leave it Completed, with the reason in
 * the error fields so -j shows it); Failed when any step failed (steps not attempted follow from a
 * failure) or the credentials were refused; Interrupted when the run was asked to stop.
 */
export function finishJob(job: JobRecord, result: ApplyResult, checked: GuardedPlan, now: Date): JobRecord {
  const base = { ...outcomes(job, result), dtCompleted: formatJobDate(now) };
  const stopped = result.stopped;
  if (stopped) {
    const progress = `${result.done.length} of ${job.actionsTotal} action(s) made` +
      (stopped.inFlight.length > 0 ? `, ${stopped.inFlight.length} in flight with no answer yet` : "") +
      `, ${stopped.notStarted} not started`;
    const refused = stopped.reason instanceof LoginTCError &&
      stopped.reason.details.credentials !== undefined;
    return {
      ...base,
      status: refused ? "Failed" : "Interrupted",
      errorCode: refused ? "credentials-rejected" : "interrupted",
      errorMessage: `${messageOf(stopped.reason)} (${progress}). The next run plans again from LoginTC's ` +
        `current state.`,
    };
  }
  if (result.failed.length > 0) {
    const first = result.failed[0];
    return {
      ...base,
      status: "Failed",
      errorCode: "steps-failed",
      errorMessage:
        `${result.failed.length} action(s) failed, ${result.notAttempted.length} skipped; first: ` +
        `${escapeText(first.step.username)} ${stepLabel(first.step)}: ${first.message}`,
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
    errorMessage: messageOf(error),
  };
}

/**
 * A Pending/Running record whose run is gone (it no longer holds the lock): killed, crashed, or
 * its machine stopped. Shown, never written: the record keeps what the run last wrote.
 */
export function interruptedJob(job: JobRecord): JobRecord {
  return {
    ...job,
    status: "Interrupted",
    errorCode: "interrupted",
    errorMessage: `the run ended before the job finished (killed, crashed, or its machine stopped), after ` +
      `${job.actionsCompleted} of ${job.actionsTotal} action(s)` +
      (job.dtProgress ? ` (as recorded at ${job.dtProgress})` : "") +
      `. Nothing needs doing: the next run plans again from LoginTC's current state.`,
  };
}
