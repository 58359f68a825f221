/**
 * The human renderer of a run, fed the same values as the report (src/report/report.ts) as they
 * arrive, so a long run shows its users table, plan and job id before it ends. `--json` uses
 * quietView instead: stdout then carries only the JSON document.
 */
import { usersTableLines } from "../directory/renderUsers.ts";
import type { Output } from "../output/output.ts";
import { writeLines } from "../output/writeLines.ts";
import type { JobRecord } from "../state/jobRecord.ts";
import { planLines } from "../report/renderPlan.ts";
import type { GuardedPlan } from "../sync/types.ts";
import type { DirectoryRead } from "../types.ts";

export interface RunView {
  fetching(): void;
  directory(read: DirectoryRead, attrUsername: string): void;
  plan(checked: GuardedPlan, dryRun: boolean): void;
  /** --check's verdict line. */
  verdict(text: string): void;
}

export interface JobView {
  created(job: JobRecord): void;
  /** Undefined when progress is not shown (not a terminal). */
  progress?: (done: number, total: number) => void;
  done(job: JobRecord): void;
}

export function textView(output: Output): RunView {
  return {
    fetching: () => output.out("Fetching users..."),
    directory(read, attrUsername) {
      output.out(`Fetched ${read.users.length} user(s)`);
      // In batches of lines: a 100k-user table is never one string (src/output/writeLines.ts).
      writeLines(output, usersTableLines(read.users));
      // Only when non-zero, so the output matches the original tool's in the normal case.
      if (read.withoutUsername.length > 0) {
        output.out(`Skipped ${read.withoutUsername.length} entries without a username (${attrUsername})`);
      }
      if (read.referralsFollowed.length > 0) {
        output.out(`Followed ${read.referralsFollowed.length} referral(s)`);
      }
      if (read.partitionsSkipped.length > 0) {
        output.out(
          `Skipped ${read.partitionsSkipped.length} reference(s) to AD partitions without users ` +
            "(DomainDnsZones, ForestDnsZones, Configuration)",
        );
      }
      if (read.referralsIgnored.length > 0) {
        output.out(`Ignored ${read.referralsIgnored.length} referral(s) (-i)`);
      }
    },
    plan: (checked, dryRun) => writeLines(output, planLines(checked, { dryRun })),
    verdict: (text) => output.out(text),
  };
}

/** The job lines, given the renderers (passed in: they load only for a real run). */
export function textJobView(output: Output, render: typeof import("../report/renderJob.ts")): JobView {
  return {
    created: (job) => output.out(render.renderJobCreated(job)),
    // Live on a terminal; once (the final line) when not, so cron mail stays short.
    progress: output.isTerminal && output.live
      ? (done, total) =>
        output.live!(
          render.renderJobStatus({ status: "Running", actionsCompleted: done, actionsTotal: total }),
        )
      : undefined,
    done(job) {
      output.live?.("");
      output.out(render.renderJobOutcome(job));
    },
  };
}

/** --json: nothing human on stdout (warnings and errors still go to stderr). */
export function quietView(): RunView {
  const none = () => {};
  return { fetching: none, directory: none, plan: none, verdict: none };
}
