/**
 * The result of one run as a value: what was read, planned, withheld, done and failed, the
 * exit code and how long each part took. The shell (src/cli) fills it in as the run goes, so a
 * run that stops on an error still has everything it learnt before; `--json` prints it whole
 * (./json.ts), the text output shows the same values as they arrive. Its JSON form is
 * docs/schema/logintc-sync.schema.json: change both together (tests validate every mode).
 *
 * The JSON field names are a contract with scripts, so some keep the word "skipped" where the code
 * now says what it means: `directory.skipped` (entries without a username), `plan.skipped` (users
 * the plan leaves out), `job.skipped` (their count) and failures of kind "skipped" (steps not
 * attempted).
 */
import type { DirectoryRead } from "../types.ts";
import type { JobRecord } from "../state/jobRecord.ts";
import type { ApplyResult, DisabledSummary, GuardedPlan, LeftOut, Rename } from "../sync/types.ts";
import type { Kept } from "../sync/kept.ts";
import { type Step, type StepCounts, stepLabel } from "../sync/stepKinds.ts";
import { VERSION } from "../version.ts";

/** Bumped when a field changes meaning or goes away (adding a field does not bump it). */
const REPORT_FORMAT = 1;

export type RunMode = "sync" | "dry-run" | "check" | "job-status" | "doctor";

export interface DirectorySummary {
  count: number;
  /** DNs of entries without a username (not synced): DirectoryRead.withoutUsername. */
  skipped: string[];
  referrals: {
    /** Referral URLs not followed (-i). */
    ignored: string[];
    /** Referral URLs followed (without -i), in the order searched. */
    followed: string[];
    /** References to Active Directory partitions without users, not followed. */
    partitionsSkipped: string[];
  };
  /** The anchor read with each user (src/directory/anchor.ts): which attribute, why, how many lack it. */
  anchor: {
    attribute: string | null;
    from: "attr_anchor" | "server" | null;
    /** Users without one (matched by username only); all of them when no attribute was read. */
    missing: number;
  };
}

export interface PlanSummary {
  /** Steps to make, per kind (after the guards). */
  counts: StepCounts;
  total: number;
  steps: Step[];
  /** Directory users the plan leaves out, with the reason: Plan.leftOut. */
  skipped: LeftOut[];
  /** One person under a new username: the new user and the leaver, paired (Plan.renames). */
  renames: Rename[];
  /** Usernames that look alike, left out of the run (Plan.warnings). */
  warnings: string[];
  /** Members not removed although the directory does not show them, with the reason: Plan.kept. */
  kept: Kept[];
  /** The directory's disabled users and whether they were synced (include) or not (exclude). */
  disabled: DisabledSummary;
}

export interface GuardSummary {
  maxRemoveLimit: number | null;
  maxRemovePercent: number | null;
  /** Removals held back; none of them is made. */
  withheld: Step[];
  notices: string[];
}

export interface JobSummary {
  id: string;
  status: JobRecord["status"];
  created: string;
  started: string;
  completed: string;
  actionsCompleted: number;
  actionsTotal: number;
  counts: StepCounts | null;
  withheld: number;
  /** Directory users the plan left out. */
  skipped: number;
  /** Members kept although the directory does not show them (0 in records of earlier versions). */
  kept: number;
  /** Users the directory showed disabled (0 in records of earlier versions). */
  disabled: number;
  errorCode: string;
  errorMessage: string;
}

export interface Failure {
  /** step: a step LoginTC refused; skipped: not attempted after a failure; error: the run stopped. */
  kind: "step" | "skipped" | "error";
  username: string | null;
  action: string | null;
  message: string;
}

/** skip: not run, because a link before it failed. */
export type CheckStatus = "ok" | "warn" | "FAIL" | "skip";

export interface DoctorCheck {
  /** Stable identifier, e.g. "ldap.bind". */
  id: string;
  status: CheckStatus;
  /** What was found (one line). */
  detail: string;
  /** What to do about a FAIL or warn; null for ok. */
  fix: string | null;
}

export interface FeatureSummary {
  feature: string;
  asked: string;
  support: string;
  used: boolean;
  evidence: string;
}

export interface Timings {
  totalMs: number;
  directoryMs: number | null;
  loginTCMs: number | null;
  applyMs: number | null;
}

export interface RunReport {
  format: typeof REPORT_FORMAT;
  version: string;
  /** null only when the flags could not be parsed. */
  mode: RunMode | null;
  config: string | null;
  directory: DirectorySummary | null;
  plan: PlanSummary | null;
  guards: GuardSummary | null;
  job: JobSummary | null;
  failures: Failure[];
  /**
   * The LoginTC extensions the config and flags ask for and whether this LoginTC has them
   * (src/logintc/capabilities.ts); a feature with used=false is unavailable to this run (exit 5). null when
   * LoginTC was not read.
   */
  features: FeatureSummary[] | null;
  doctor: { checks: DoctorCheck[] } | null;
  exitCode: number;
  timings: Timings;
}

export function newReport(mode: RunMode | null, config: string | null): RunReport {
  return {
    format: REPORT_FORMAT,
    version: VERSION,
    mode,
    config,
    directory: null,
    plan: null,
    guards: null,
    job: null,
    failures: [],
    features: null,
    doctor: null,
    exitCode: 0,
    timings: { totalMs: 0, directoryMs: null, loginTCMs: null, applyMs: null },
  };
}

export function directorySummary(read: DirectoryRead): DirectorySummary {
  return {
    count: read.users.length,
    skipped: read.withoutUsername,
    referrals: {
      ignored: read.referralsIgnored,
      followed: read.referralsFollowed,
      partitionsSkipped: read.partitionsSkipped,
    },
    anchor: {
      attribute: read.anchorAttribute ?? null,
      from: read.anchorFrom ?? null,
      missing: read.users.filter((u) => u.anchor === undefined).length,
    },
  };
}

export function planSummary(checked: GuardedPlan): PlanSummary {
  const { plan } = checked;
  return {
    counts: plan.counts,
    total: plan.steps.length,
    steps: plan.steps,
    skipped: plan.leftOut,
    renames: plan.renames ?? [],
    warnings: plan.warnings ?? [],
    kept: plan.kept,
    disabled: plan.disabled,
  };
}

export function guardSummary(
  checked: GuardedPlan,
  limits: { maxRemoveLimit: number | undefined; maxRemovePercent?: number },
): GuardSummary {
  return {
    maxRemoveLimit: limits.maxRemoveLimit ?? null,
    maxRemovePercent: limits.maxRemovePercent ?? null,
    withheld: checked.withheld,
    notices: checked.notices,
  };
}

export function jobSummary(job: JobRecord): JobSummary {
  return {
    id: job.id,
    status: job.status,
    created: job.dtCreated,
    started: job.dtStarted,
    completed: job.dtCompleted,
    actionsCompleted: job.actionsCompleted,
    actionsTotal: job.actionsTotal,
    counts: job.counts ?? null,
    withheld: job.withheld,
    skipped: job.skipped,
    kept: job.kept ?? 0,
    disabled: job.disabled?.count ?? 0,
    errorCode: job.errorCode,
    errorMessage: job.errorMessage,
  };
}

export function stepFailures(result: ApplyResult): Failure[] {
  return [
    ...result.failed.map((f): Failure => ({
      kind: "step",
      username: f.step.username,
      action: stepLabel(f.step),
      message: f.message,
    })),
    ...result.notAttempted.map((s): Failure => ({
      kind: "skipped",
      username: s.step.username,
      action: stepLabel(s.step),
      message: s.reason,
    })),
  ];
}

export function errorFailure(message: string): Failure {
  return { kind: "error", username: null, action: null, message };
}
