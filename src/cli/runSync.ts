/**
 * One sync run (or dry run), end to end: read the directory, read LoginTC, plan, check the
 * guards, then show the plan (dry run) or apply it as a recorded job. A real run holds the
 * state directory's lock from before the directory read until the job is written, so two
 * overlapping cron runs never plan from the same state.
 */
import { readDirectory } from "../directory/readDirectory.ts";
import { usersTableLines } from "../directory/renderUsers.ts";
import { ExitCode } from "../errors.ts";
import { openLoginTCClient } from "../logintc/client.ts";
import type { Output } from "../output/output.ts";
import { checkPlan } from "../sync/checkPlan.ts";
import { renderJobCreated, renderJobOutcome, renderJobStatus } from "../sync/renderJob.ts";
import { acquireLock, defaultLockDeps, type Lock } from "../sync/lock.ts";
import { notifyAdministrator } from "../sync/notify.ts";
import { planSync } from "../sync/planSync.ts";
import { readLoginTC } from "../sync/readLoginTC.ts";
import { readExtensions } from "../sync/readExtensions.ts";
import { featureUsed, skippedFeatureNotes, withSkippedFeatures } from "../sync/features.ts";
import { skippedFeatures } from "../logintc/capabilities.ts";
import { actionName } from "../sync/steps.ts";
import { planLines } from "../sync/renderPlan.ts";
import { runSyncJob, syncExitCode } from "../sync/runJob.ts";
import type { Config, Options } from "../types.ts";
import { writeLines } from "../output/writeLines.ts";

export interface RunSyncDeps {
  output: Output;
  now: () => Date;
  stateDir: string;
}

export async function runSync(config: Config, options: Options, deps: RunSyncDeps): Promise<number> {
  const { output } = deps;
  let lock: Lock | undefined;
  if (!options.dryRun) {
    // acquireLock's warnings already start with "warning: ".
    lock = await acquireLock(deps.stateDir, defaultLockDeps(output.err, deps.now));
  }
  try {
    output.out("Fetching users...");
    const read = await readDirectory(config.ldap, options, { output });
    output.out(`Fetched ${read.users.length} user(s)`);
    // In batches of lines: a 100k-user table is never one string (src/output/writeLines.ts).
    writeLines(output, usersTableLines(read.users));
    // Only when non-zero, so the output matches the original tool's in the normal case.
    if (read.skippedNoUsername.length > 0) {
      output.out(
        `Skipped ${read.skippedNoUsername.length} entries without a username (${config.ldap.attrUsername})`,
      );
    }
    if (read.referralsIgnored.length > 0) {
      output.out(`Ignored ${read.referralsIgnored.length} referral(s) (-i)`);
    }

    const api = await openLoginTCClient(config.logintc);
    try {
      const domainId = config.logintc.domainId;
      const state = await readLoginTC(api, domainId, read.users, {
        concurrency: options.concurrency,
        loose: options.syncMode === "add_only",
      });
      const ext = await readExtensions(api, config, options, state, { output, stateDir: deps.stateDir });
      const checked = checkPlan(planSync(read, ext.state, options), {
        maxRemoveLimit: options.maxRemoveLimit,
        directoryCount: read.users.length,
        memberCount: state.members.length,
        baseDn: config.ldap.baseDn,
        filter: config.ldap.filter,
      });
      writeLines(output, planLines(checked, { dryRun: options.dryRun }));
      // A dry run reports; it fails only when it could not read (issue: exit codes).
      if (options.dryRun) return ExitCode.OK;
      const skipped = skippedFeatures(ext.caps);
      // The guard's reason also goes to stderr: a cron job that keeps only stderr must still
      // learn why it got exit code 3.
      for (const notice of checked.notices) output.err(`warning: ${notice}`);

      const { job, result } = await runSyncJob(checked, api, {
        domainId,
        stateDir: deps.stateDir,
        options,
        concurrency: options.concurrency,
        skippedFeatures: skippedFeatureNotes(skipped),
        onCreated: (j) => output.out(renderJobCreated(j)),
        // Live on a terminal; once (the final line) when not, so cron mail stays short.
        onProgress: output.isTerminal && output.live
          ? (done, total) =>
            output.live!(renderJobStatus({ status: "Running", actionsCompleted: done, actionsTotal: total }))
          : undefined,
      }, { now: deps.now });
      output.live?.("");
      output.out(renderJobOutcome(job));
      for (const f of result.failed) {
        output.err(`error: ${f.step.username}: ${actionName(f.step)}: ${f.message}`);
      }
      for (const s of result.skipped) {
        output.err(`skipped: ${s.step.username}: ${actionName(s.step)}: ${s.reason}`);
      }

      await ext.remember(result);
      if (options.emailNotification !== undefined && featureUsed(ext.caps, "notification")) {
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
