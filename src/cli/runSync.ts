/**
 * One sync run (or dry run), end to end: read the directory, read LoginTC, plan, check the
 * guards, then show the plan (dry run) or apply it as a recorded job. A real run holds the
 * state directory's lock from before the directory read until the job is written, so two
 * overlapping cron runs never plan from the same state.
 */
import { escapeControls, escapeText } from "../output/escape.ts";
import { readDirectory } from "../directory/readDirectory.ts";
import { usersTableLines } from "../directory/renderUsers.ts";
import { ExitCode } from "../errors.ts";
import { createLoginTCClient } from "../logintc/client.ts";
import type { Output } from "../output/output.ts";
import { checkPlan } from "../sync/checkPlan.ts";
import type { Lock } from "../sync/lock.ts";
import { planSync } from "../sync/planSync.ts";
import { readLoginTC } from "../sync/readLoginTC.ts";
import { actionName } from "../sync/steps.ts";
import { planLines } from "../sync/renderPlan.ts";
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
  // The lock, the job store and the applier are loaded only by a real run (see app.ts).
  if (!options.dryRun) {
    const { acquireLock, defaultLockDeps } = await import("../sync/lock.ts");
    lock = await acquireLock(deps.stateDir, defaultLockDeps(deps.now));
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

    const api = createLoginTCClient(config.logintc);
    try {
      const state = await readLoginTC(api, config.logintc.domainId, read.users, {
        group: options.group,
        concurrency: options.concurrency,
      });
      const checked = checkPlan(planSync(read.users, state, options), {
        maxRemoveLimit: options.maxRemoveLimit,
        directoryCount: read.users.length,
        memberCount: state.members.length,
        baseDn: config.ldap.baseDn,
        filter: config.ldap.filter,
      });
      writeLines(output, planLines(checked, { dryRun: options.dryRun }));
      // A dry run reports; it fails only when it could not read (issue: exit codes).
      if (options.dryRun) return ExitCode.OK;
      // The guard's reason also goes to stderr: a cron job that keeps only stderr must still
      // learn why it got exit code 3. When stderr is stdout's file (`>log 2>&1`), the plan above
      // already put it there: once per log.
      if (!output.errIsOut) {
        for (const notice of checked.notices) output.err(`warning: ${escapeControls(notice)}`);
      }

      const { runSyncJob, syncExitCode } = await import("../sync/runJob.ts");
      const { renderJobCreated, renderJobOutcome, renderJobStatus } = await import("../sync/renderJob.ts");

      const { job, result } = await runSyncJob(checked, api, {
        stateDir: deps.stateDir,
        options,
        concurrency: options.concurrency,
        claimJob: (id) => lock!.claimJob(id),
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
        output.err(
          `error: ${escapeText(f.step.username)}: ${actionName(f.step)}: ${escapeControls(f.message)}`,
        );
      }
      for (const s of result.skipped) {
        output.err(
          `skipped: ${escapeText(s.step.username)}: ${actionName(s.step)}: ${escapeControls(s.reason)}`,
        );
      }

      if (options.emailNotification !== undefined) {
        const { notifyAdministrator } = await import("../sync/notify.ts");
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
