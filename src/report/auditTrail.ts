/**
 * The audit trail's lines, as values (docs/operations.md, "Audit trail", has the field table): one
 * per change a real run attempted, written as it finishes, and one per run, at its end. Pure: the
 * shell (src/cli/runMonitor.ts) stamps and appends them (src/output/auditLog.ts). Values come from
 * the directory and LoginTC, never from the config's secrets: a step carries no secret.
 */
import type { JobStatus } from "../state/jobRecord.ts";
import { type Step, type StepCounts, type StepKind, stepLabel } from "../sync/stepKinds.ts";
import type { StepFailure } from "../sync/types.ts";
import type { OutcomeCounts } from "./stepOutcomes.ts";

/** Bumped when a field changes meaning or goes away (adding a field does not bump it). */
export const AUDIT_FORMAT = 1;

export interface ChangeLine {
  type: "change";
  format: typeof AUDIT_FORMAT;
  /** When the step finished (ISO 8601 UTC, milliseconds). */
  time: string;
  jobId: string;
  kind: StepKind;
  /** The plan table's word for it: "create", "remove from domain", … */
  action: string;
  username: string;
  /** The LoginTC user's id (a create's: the new user's); null when none was known. */
  userId: string | null;
  /** What the step sets: its fields besides kind, username and userId (e.g. name, email; changes from → to). */
  values: Record<string, unknown>;
  /** done; failed (LoginTC refused it); unknown (in flight when the run stopped: LoginTC may have made it). */
  outcome: "done" | "failed" | "unknown";
  /** Why it failed: the run's message. */
  error: string | null;
  /** LoginTC's answer to a failed step, when it answered. */
  answer: { status: number; code: string | null; message: string | null } | null;
}

export function changeLine(
  step: Step,
  outcome: ChangeLine["outcome"],
  at: { time: Date; jobId: string; userId?: string; failure?: Pick<StepFailure, "message" | "answer"> },
): ChangeLine {
  const { kind, username, ...rest } = step;
  const values: Record<string, unknown> = { ...rest };
  delete values.userId;
  const stepId = "userId" in step ? step.userId : undefined;
  const answer = at.failure?.answer;
  return {
    type: "change",
    format: AUDIT_FORMAT,
    time: at.time.toISOString(),
    jobId: at.jobId,
    kind,
    action: stepLabel(step),
    username,
    userId: at.userId ?? stepId ?? null,
    values,
    outcome,
    error: at.failure?.message ?? null,
    answer: answer
      ? { status: answer.status, code: answer.code ?? null, message: answer.message ?? null }
      : null,
  };
}

export interface RunLine {
  type: "run";
  format: typeof AUDIT_FORMAT;
  /** When the run ended, as `end`. */
  time: string;
  start: string;
  end: string;
  durationMs: number;
  /** The job of a run that got as far as applying; null otherwise. */
  jobId: string | null;
  hostname: string;
  version: string;
  config: string;
  domainId: string | null;
  /** The flags that decide what a run may change. */
  syncMode: string;
  syncTokenMode: string;
  exitCode: number;
  /** The job's status; null when the run ended before it had a job. */
  status: JobStatus | null;
  directoryUsers: number | null;
  /** Steps planned per kind (after the guards); null when the run ended before planning. */
  planned: StepCounts | null;
  /** What became of them (summed over the kinds); null when nothing was applied. */
  outcomes: OutcomeCounts | null;
  withheld: number | null;
  /** Directory users the plan left out. */
  leftOut: number | null;
  /** The error the run ended with (what it printed), or null. */
  error: string | null;
}
