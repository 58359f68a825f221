/**
 * One sync run (or dry run, or --check), end to end: read the directory, read LoginTC, plan,
 * check the guards, then show the plan (dry run) or apply it as a recorded job. A real run holds
 * the state directory's lock from before the directory read until the job is written, so two
 * overlapping cron runs never plan from the same state. What it learns goes into the report
 * (src/report/report.ts) as it goes, and to the view (text, or nothing with --json).
 */
import { escapeControls, escapeText } from "../output/escape.ts";
import { readDirectory } from "../directory/readDirectory.ts";
import { ExitCode, RunStopped } from "../errors.ts";
import { createLoginTCClient } from "../logintc/client.ts";
import type { Output } from "../output/output.ts";
import {
  directorySummary,
  guardSummary,
  jobSummary,
  planSummary,
  type RunReport,
  stepFailures,
} from "../report/report.ts";
import { applyGuards, removalLimits } from "../sync/guards.ts";
import { planSync } from "../sync/planSync.ts";
import { readDueUsers, readLoginTC } from "../sync/readLoginTC.ts";
import { dueIds } from "../sync/gracePeriod.ts";
import { readExtensions } from "../sync/readExtensions.ts";
import { featureUsed, unavailableFeatureNotes, withUnavailableFeatures } from "../sync/features.ts";
import { unavailableFeatures } from "../logintc/capabilities.ts";
import { stepLabel } from "../sync/stepKinds.ts";
import type { Lock } from "../state/lock.ts";
import { openWriteOnlyValues } from "../state/writeOnlyValues.ts";
import { openLedger } from "../state/ledgerFile.ts";
import { missingAnchorWarning } from "../directory/anchor.ts";
import type { Config } from "../types.ts";
import type { Options } from "./flags.ts";
import { checkExitCode, checkVerdict } from "./checkMode.ts";
import { untilStopped } from "../timers.ts";
import type { ApplyResult } from "../sync/types.ts";
import { quietView, textJobView, textView } from "./textView.ts";
import type { RunEnded, RunMonitor } from "./runMonitor.ts";

export interface RunSyncDeps {
  output: Output;
  now: () => Date;
  stateDir: string;
  /**
   * Asks the run to stop (SIGTERM, Ctrl-C; a time limit): its reason is the error the run ends with
   * (a RunStopped, src/errors.ts). Before the apply the run stops at once (nothing was written);
   * while applying it starts no more steps, lets those in flight finish for a few seconds, and
   * records the job as Interrupted with what it made.
   */
  signal?: AbortSignal;
  /** The environment as main.ts handed it over (the proxy variables are read from it). */
  env: (name: string) => string | undefined;
  /** Told of the job and each step as they happen (the audit trail: ./runMonitor.ts). */
  monitor?: RunMonitor;
  /**
   * Called once the run ended, however, before the lock is released (`holdsLock`: this run held it):
   * returns the exit code (./runMonitor.ts may make it 1, when what it writes fails).
   */
  finish?(ended: RunEnded, holdsLock: boolean): Promise<number>;
  /** --json: nothing human on stdout; the caller prints the report. */
  json: boolean;
  /** Filled in as the run goes. */
  report: RunReport;
}

export async function runSync(config: Config, options: Options, deps: RunSyncDeps): Promise<number> {
  let lock: Lock | undefined;
  // The lock, the job store and the applier are loaded only by a real run (see app.ts).
  if (!options.dryRun && options.check !== true) {
    const { acquireLock, defaultLockDeps } = await import("../state/lock.ts");
    lock = await acquireLock(deps.stateDir, defaultLockDeps(deps.now));
  }
  let ended: RunEnded;
  try {
    ended = { code: await sync(config, options, deps, lock) };
  } catch (error) {
    ended = { error };
  }
  try {
    // Still holding the lock: the run's last words (./runMonitor.ts) see no other run's.
    const code = deps.finish
      ? await deps.finish(ended, lock !== undefined)
      : "code" in ended
      ? ended.code
      : 0;
    if ("error" in ended) throw ended.error;
    return code;
  } finally {
    await lock?.release();
  }
}

async function sync(
  config: Config,
  options: Options,
  deps: RunSyncDeps,
  lock: Lock | undefined,
): Promise<number> {
  const { output, report } = deps;
  const view = deps.json ? quietView() : textView(output);
  const dryRun = options.dryRun || options.check === true;
  const since = (start: number) => deps.now().getTime() - start;
  /** A step before the apply: abandoned at once when the run is asked to stop. */
  const stoppable = <T>(work: Promise<T>) => untilStopped(work, deps.signal).catch(beforeAnyChange);
  // Journals of runs that were killed become part of their records (Interrupted), for good.
  if (lock !== undefined) await (await import("../state/jobStore.ts")).compactJournals(deps.stateDir);
  view.fetching();
  let start = deps.now().getTime();
  const read = await stoppable(readDirectory(
    config.ldap,
    { ...options, disabledFilter: config.sync.disabledFilter },
    { output, now: deps.now },
  ));
  report.timings.directoryMs = since(start);
  report.directory = directorySummary(read);
  view.directory(read, config.ldap.attrUsername);
  const anchorWarning = missingAnchorWarning(read);
  if (anchorWarning !== undefined) output.err(`warning: ${escapeControls(anchorWarning)}`);

  start = deps.now().getTime();
  const api = createLoginTCClient(config.logintc, { env: deps.env });
  try {
    const state = await stoppable(readLoginTC(api, config.logintc.domainId, read.users, {
      concurrency: options.concurrency,
      loose: options.syncMode === "add_only",
    }));
    report.timings.loginTCMs = since(start);
    const ext = await stoppable(readExtensions(api, config, options, state, { output }));
    const writeOnly = await stoppable(openWriteOnlyValues(ext.state, config.logintc.host, {
      stateDir: deps.stateDir,
      output,
    }));
    const ledger = await stoppable(
      openLedger(config.logintc.domainId, { stateDir: deps.stateDir, output }),
    );
    report.features = ext.caps.checks.map(({ feature, asked, support, used, evidence }) => ({
      feature,
      asked,
      support,
      used,
      evidence,
    }));
    const limits = removalLimits(options);
    const planOptions = {
      ...options,
      anchorAttribute: read.anchorAttribute,
      disabledUsers: config.sync.disabledUsers,
      protectUsers: config.sync.protectUsers,
      removeScope: config.sync.removeScope,
      deleteAfterDays: config.sync.deleteAfterDays,
      now: deps.now(),
    };
    // delete_after_days: the users whose deletion is due, as LoginTC shows them now.
    const dueUsers = dueIds(ledger.ledger, state.members, planOptions);
    const due = dueUsers.length > 0
      ? await stoppable(readDueUsers(api, dueUsers, { concurrency: options.concurrency }))
      : undefined;
    const loginTC = {
      ...ext.state,
      writeOnlyValues: writeOnly.values,
      ledger: ledger.ledger,
      ...(due ? { due } : {}),
    };
    const plan = planSync(read.users, loginTC, planOptions);
    const disabledExcluded = plan.disabled.handling === "exclude" ? plan.disabled.users.length : 0;
    const checked = applyGuards(plan, {
      ...limits,
      directoryCount: read.users.length - disabledExcluded,
      disabledExcluded,
      memberCount: state.members.length,
      baseDn: config.ldap.baseDn,
      filter: config.ldap.filter,
    });
    report.plan = planSummary(checked);
    report.guards = guardSummary(checked, limits);
    view.plan(checked, dryRun);
    // Look-alike usernames (src/usernames.ts): on stderr, also in a dry run, so cron mail shows them.
    for (const warning of checked.plan.warnings ?? []) output.err(`warning: ${escapeControls(warning)}`);
    if (options.check === true) {
      const lacking = unavailableFeatures(ext.caps).length;
      view.verdict(checkVerdict(checked, lacking));
      return checkExitCode(checked, lacking);
    }
    // A dry run reports; it fails only when it could not read (docs/operations.md, "Exit codes").
    if (dryRun) return ExitCode.OK;
    const unavailable = unavailableFeatures(ext.caps);
    // The guard's reason also goes to stderr: a cron job that keeps only stderr must still
    // learn why it got exit code 3. When stderr is stdout's file (`>log 2>&1`), the plan text
    // above already put it there: once per log (with --json the plan is not text: keep it).
    if (checked.notices.length > 0 && (deps.json || !(await output.errIsOut?.()))) {
      for (const notice of checked.notices) output.err(`warning: ${escapeControls(notice)}`);
    }

    const { runSyncJob, syncExitCode } = await import("./runJob.ts");
    const jobView = deps.json ? undefined : textJobView(output, await import("../report/renderJob.ts"));
    // Asked to stop before the job exists: nothing was written, no record to leave.
    if (deps.signal?.aborted) beforeAnyChange(deps.signal.reason);
    start = deps.now().getTime();
    const { job, result, journalProblem } = await runSyncJob(checked, api, {
      stateDir: deps.stateDir,
      options,
      concurrency: options.concurrency,
      unavailableFeatures: unavailableFeatureNotes(unavailable),
      claimJob: (id) => lock!.claimJob(id),
      onCreated: (j) => {
        report.job = jobSummary(j);
        deps.monitor?.jobCreated(j);
        jobView?.created(j);
      },
      onStep: (e) => {
        deps.monitor?.step(e);
        jobView?.progress?.(e.finished, e.total);
      },
      signal: deps.signal,
    }, { now: deps.now });
    deps.monitor?.applied(checked.plan, result);
    report.timings.applyMs = since(start);
    report.job = jobSummary(job);
    report.failures.push(...stepFailures(result));
    jobView?.done(job);
    stepLines(result, job.id, output);
    if (journalProblem !== undefined) {
      output.err(
        `warning: the job's journal could not be written (${escapeControls(journalProblem)}): had the run ` +
          `been killed, -j would have shown less than it made. The job record is complete.`,
      );
    }

    await writeOnly.saveAfter(result);
    const ledgerProblem = await ledger.saveAfter({
      domainId: config.logintc.domainId,
      anchorAttribute: read.anchorAttribute ?? null,
      // Disabled users treated as not in the directory are absent for the ledger too, so that
      // delete_after_days counts their absence.
      directory: disabledExcluded > 0 ? read.users.filter((u) => u.disabled === undefined) : read.users,
      leftOut: checked.plan.leftOut,
      members: state.members,
      orgUsers: state.orgUsers,
      done: result.done,
      createdIds: result.createdIds,
      gone: due?.gone,
      now: deps.now(),
    });
    // The next run would compare with an older ledger: say so, and fail the run (exit 1).
    if (ledgerProblem !== undefined) output.err(`error: ${escapeControls(ledgerProblem)}`);
    // Stopped (a refused credential, a signal): what was made is recorded; the reason is the one
    // error main.ts prints, with its exit code (1 for credentials, 128 + the signal's number).
    const reason = result.stopped?.reason;
    if (reason instanceof RunStopped) throw new RunStopped(job.errorMessage, reason.exitCode);
    if (result.stopped) throw reason;
    if (options.emailNotification !== undefined && featureUsed(ext.caps, "notification")) {
      const { notifyAdministrator } = await import("../sync/notify.ts");
      await notifyAdministrator(api, options.emailNotification, result, output);
    }
    const code = withUnavailableFeatures(syncExitCode(checked, result), unavailable);
    return ledgerProblem !== undefined && code === ExitCode.OK ? ExitCode.FAILURE : code;
  } finally {
    await api.close();
  }
}

/** A stop before the job: the same reason, saying that nothing was written. */
function beforeAnyChange(error: unknown): never {
  if (error instanceof RunStopped) {
    throw new RunStopped(`${error.message}; nothing was changed`, error.exitCode);
  }
  throw error;
}

/** Step failures and steps not attempted that stderr lists; the rest are counted on one line. */
export const STDERR_STEP_LINES = 20;

/**
 * One stderr line per failed or not-attempted step, the first STDERR_STEP_LINES of them, then
 * `… and N more`: a run where LoginTC refuses every write must not mail thousands of lines. The job
 * record, `-j` and `--json` keep every one. Failures from refused credentials are left to the one
 * error the run ends with.
 */
function stepLines(result: ApplyResult, jobId: string, output: Output): void {
  const lines = [
    ...result.failed.filter((f) => !f.refusedCredentials).map((f) =>
      `error: ${escapeText(f.step.username)}: ${stepLabel(f.step)}: ${escapeControls(f.message)}`
    ),
    ...result.notAttempted.map((s) =>
      `skipped: ${escapeText(s.step.username)}: ${stepLabel(s.step)}: ${escapeControls(s.reason)}`
    ),
  ];
  for (const line of lines.slice(0, STDERR_STEP_LINES)) output.err(line);
  if (lines.length > STDERR_STEP_LINES) {
    output.err(
      `… and ${lines.length - STDERR_STEP_LINES} more (every one is in the job record: -j ${jobId})`,
    );
  }
}
