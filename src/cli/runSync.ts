/**
 * One sync run (or dry run, or --check), end to end: read the directory, read LoginTC, plan,
 * check the guards, then show the plan (dry run) or apply it as a recorded job. A real run holds
 * the state directory's lock from before the directory read until the job is written, so two
 * overlapping cron runs never plan from the same state. What it learns goes into the report
 * (src/report/report.ts) as it goes, and to the view (text, or nothing with --json).
 */
import { readDirectory } from "../directory/readDirectory.ts";
import { ExitCode } from "../errors.ts";
import { openLoginTCClient } from "../logintc/client.ts";
import type { Output } from "../output/output.ts";
import {
  directorySummary,
  guardSummary,
  jobSummary,
  planSummary,
  type RunReport,
  stepFailures,
} from "../report/report.ts";
import { checkPlan, removalLimits } from "../sync/checkPlan.ts";
import { acquireLock, defaultLockDeps, type Lock } from "../sync/lock.ts";
import { notifyAdministrator } from "../sync/notify.ts";
import { planSync } from "../sync/planSync.ts";
import { readLoginTC } from "../sync/readLoginTC.ts";
import { actionName } from "../sync/steps.ts";
import { runSyncJob, syncExitCode } from "../sync/runJob.ts";
import type { Config, Options } from "../types.ts";
import { checkExitCode, checkVerdict } from "./check.ts";
import type { RunView } from "./textView.ts";

export interface RunSyncDeps {
  output: Output;
  now: () => Date;
  stateDir: string;
  view: RunView;
  /** Filled in as the run goes. */
  report: RunReport;
}

export async function runSync(config: Config, options: Options, deps: RunSyncDeps): Promise<number> {
  const { output, view, report } = deps;
  const dryRun = options.dryRun || options.check === true;
  const since = (start: number) => deps.now().getTime() - start;
  let lock: Lock | undefined;
  if (!dryRun) {
    // acquireLock's warnings already start with "warning: ".
    lock = await acquireLock(deps.stateDir, defaultLockDeps(output.err, deps.now));
  }
  try {
    view.fetching();
    let start = deps.now().getTime();
    const read = await readDirectory(config.ldap, options, { output });
    report.timings.directoryMs = since(start);
    report.directory = directorySummary(read);
    view.directory(read, config.ldap.attrUsername);

    start = deps.now().getTime();
    const api = await openLoginTCClient(config.logintc);
    try {
      const domainId = config.logintc.domainId;
      const state = await readLoginTC(api, domainId, read.users, {
        group: options.group,
        concurrency: options.concurrency,
      });
      report.timings.loginTCMs = since(start);
      const limits = removalLimits(options);
      const checked = checkPlan(planSync(read, state, options), {
        ...limits,
        directoryCount: read.users.length,
        memberCount: state.members.length,
        baseDn: config.ldap.baseDn,
        filter: config.ldap.filter,
      });
      report.plan = planSummary(checked);
      report.guards = guardSummary(checked, limits);
      view.plan(checked, dryRun);
      if (options.check === true) {
        view.verdict(checkVerdict(checked));
        return checkExitCode(checked);
      }
      // A dry run reports; it fails only when it could not read (issue: exit codes).
      if (dryRun) return ExitCode.OK;
      // The guard's reason also goes to stderr: a cron job that keeps only stderr must still
      // learn why it got exit code 3.
      for (const notice of checked.notices) output.err(`warning: ${notice}`);

      start = deps.now().getTime();
      const { job, result } = await runSyncJob(checked, api, {
        domainId,
        stateDir: deps.stateDir,
        options,
        concurrency: options.concurrency,
        onCreated: (j) => {
          report.job = jobSummary(j);
          view.jobCreated(j);
        },
        onProgress: view.progress,
      }, { now: deps.now });
      report.timings.applyMs = since(start);
      report.job = jobSummary(job);
      report.failures.push(...stepFailures(result));
      view.jobDone(job);
      for (const f of result.failed) {
        output.err(`error: ${f.step.username}: ${actionName(f.step)}: ${f.message}`);
      }
      for (const s of result.skipped) {
        output.err(`skipped: ${s.step.username}: ${actionName(s.step)}: ${s.reason}`);
      }

      if (options.emailNotification !== undefined) {
        await notifyAdministrator(api, options.emailNotification, result, output);
      }
      return syncExitCode(checked, result);
    } finally {
      await api.close();
    }
  } finally {
    await lock?.release();
  }
}
