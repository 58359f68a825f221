/**
 * One sync run (or dry run, or --check), end to end: read the directory, read LoginTC, plan,
 * check the guards, then show the plan (dry run) or apply it as a recorded job. A real run holds
 * the state directory's lock from before the directory read until the job is written, so two
 * overlapping cron runs never plan from the same state. What it learns goes into the report
 * (src/report/report.ts) as it goes, and to the view (text, or nothing with --json).
 */
import { escapeControls, escapeText } from "../output/escape.ts";
import { readDirectory } from "../directory/readDirectory.ts";
import { ExitCode } from "../errors.ts";
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
import { checkPlan, removalLimits } from "../sync/checkPlan.ts";
import { planSync } from "../sync/planSync.ts";
import { readLoginTC } from "../sync/readLoginTC.ts";
import { readExtensions } from "../sync/readExtensions.ts";
import { featureUsed, skippedFeatureNotes, withSkippedFeatures } from "../sync/features.ts";
import { skippedFeatures } from "../logintc/capabilities.ts";
import { actionName } from "../sync/steps.ts";
import type { Lock } from "../state/lock.ts";
import { openWriteOnlyValues } from "../state/writeOnlyValues.ts";
import type { Config } from "../types.ts";
import type { Options } from "./flags.ts";
import { checkExitCode, checkVerdict } from "./checkMode.ts";
import { quietView, textJobView, textView } from "./textView.ts";

export interface RunSyncDeps {
  output: Output;
  now: () => Date;
  stateDir: string;
  /** --json: nothing human on stdout; the caller prints the report. */
  json: boolean;
  /** Filled in as the run goes. */
  report: RunReport;
  /** The environment as main.ts handed it over (the proxy variables are read from it). */
  env: (name: string) => string | undefined;
}

export async function runSync(config: Config, options: Options, deps: RunSyncDeps): Promise<number> {
  const { output, report } = deps;
  const view = deps.json ? quietView() : textView(output);
  const dryRun = options.dryRun || options.check === true;
  const since = (start: number) => deps.now().getTime() - start;
  let lock: Lock | undefined;
  // The lock, the job store and the applier are loaded only by a real run (see app.ts).
  if (!dryRun) {
    const { acquireLock, defaultLockDeps } = await import("../state/lock.ts");
    lock = await acquireLock(deps.stateDir, defaultLockDeps(deps.now));
  }
  try {
    view.fetching();
    let start = deps.now().getTime();
    const read = await readDirectory(config.ldap, options, { output });
    report.timings.directoryMs = since(start);
    report.directory = directorySummary(read);
    view.directory(read, config.ldap.attrUsername);

    start = deps.now().getTime();
    const api = createLoginTCClient(config.logintc, { env: deps.env });
    try {
      const state = await readLoginTC(api, config.logintc.domainId, read.users, {
        concurrency: options.concurrency,
        loose: options.syncMode === "add_only",
      });
      report.timings.loginTCMs = since(start);
      const ext = await readExtensions(api, config, options, state, { output });
      const writeOnly = await openWriteOnlyValues(ext.state, config.logintc.host, {
        stateDir: deps.stateDir,
        output,
      });
      report.features = ext.caps.checks.map(({ feature, asked, support, used, evidence }) => ({
        feature,
        asked,
        support,
        used,
        evidence,
      }));
      const limits = removalLimits(options);
      const loginTC = { ...ext.state, writeOnlyValues: writeOnly.values };
      const checked = checkPlan(planSync(read.users, loginTC, options), {
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
        const lacking = skippedFeatures(ext.caps).length;
        view.verdict(checkVerdict(checked, lacking));
        return checkExitCode(checked, lacking);
      }
      // A dry run reports; it fails only when it could not read (docs/operations.md, "Exit codes").
      if (dryRun) return ExitCode.OK;
      const skipped = skippedFeatures(ext.caps);
      // The guard's reason also goes to stderr: a cron job that keeps only stderr must still
      // learn why it got exit code 3. When stderr is stdout's file (`>log 2>&1`), the plan text
      // above already put it there: once per log (with --json the plan is not text: keep it).
      if (checked.notices.length > 0 && (deps.json || !(await output.errIsOut?.()))) {
        for (const notice of checked.notices) output.err(`warning: ${escapeControls(notice)}`);
      }

      const { runSyncJob, syncExitCode } = await import("./runJob.ts");
      const jobView = deps.json ? undefined : textJobView(output, await import("../sync/renderJob.ts"));
      start = deps.now().getTime();
      const { job, result } = await runSyncJob(checked, api, {
        stateDir: deps.stateDir,
        options,
        concurrency: options.concurrency,
        skippedFeatures: skippedFeatureNotes(skipped),
        claimJob: (id) => lock!.claimJob(id),
        onCreated: (j) => {
          report.job = jobSummary(j);
          jobView?.created(j);
        },
        onProgress: jobView?.progress,
      }, { now: deps.now });
      report.timings.applyMs = since(start);
      report.job = jobSummary(job);
      report.failures.push(...stepFailures(result));
      jobView?.done(job);
      for (const f of result.failed) {
        output.err(
          `error: ${escapeText(f.step.username)}: ${actionName(f.step)}: ${escapeControls(f.message)}`,
        );
      }
      for (const s of result.skipped) {
        output.err(
          `skipped: ${escapeText(s.step.username)}: ${actionName(s.step)}: ${escapeControls(s.reason)}`,
        );
      }

      await writeOnly.saveAfter(result);
      if (options.emailNotification !== undefined && featureUsed(ext.caps, "notification")) {
        const { notifyAdministrator } = await import("../sync/notify.ts");
        await notifyAdministrator(api, options.emailNotification, result, output);
      }
      return withSkippedFeatures(syncExitCode(checked, result), skipped);
    } finally {
      await api.close();
    }
  } finally {
    await lock?.release();
  }
}
