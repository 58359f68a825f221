/**
 * What a real run leaves for those who watch it, beside its output and job record: the audit trail
 * (--audit-log / [sync] audit_log: a line per change attempted, as it finishes, and one per run), the
 * metrics file (--metrics-file / [sync] metrics_file) and the state directory's last-run.json (what
 * --doctor and the metrics' last success read). Fed by the run as it goes (RunMonitor, called by
 * ./runSync.ts) and ended once with the run's outcome, whatever it is: a run that fails, even on its
 * config, still gets its run line and its metrics. last-run.json is written only by a run that held
 * the lock, before it lets go of it.
 *
 * Loaded only for a real run (./app.ts): dry runs, --check, -j and --doctor write none of this.
 */
import { AppError, ExitCode } from "../errors.ts";
import type { Output } from "../output/output.ts";
import { type AuditLog, openAuditLog } from "../output/auditLog.ts";
import { escapeControls } from "../output/escape.ts";
import { changeLine, type RunLine } from "../report/auditTrail.ts";
import { renderMetrics } from "../report/metrics.ts";
import { isRemoval } from "../sync/stepKinds.ts";
import { checkMetricsFile, writeMetricsFile } from "../output/metricsFile.ts";
import { LAST_RUN_FILE, nextLastRun, readLastRun, type RunSeen, writeLastRun } from "../state/lastRun.ts";
import { resolveStateDir, STATE_DIR_ENV } from "../state/stateDir.ts";
import { openStateDir } from "../state/stateFiles.ts";
import type { RunReport } from "../report/report.ts";
import { type StepOutcomes, tallySteps, totalOutcomes } from "../report/stepOutcomes.ts";
import type { JobRecord } from "../state/jobRecord.ts";
import type { StepEvent } from "../sync/applyPlan.ts";
import type { ApplyResult, Plan } from "../sync/types.ts";
import type { Config } from "../types.ts";
import { messageOf } from "../unknown.ts";
import { VERSION } from "../version.ts";
import type { Options } from "./flags.ts";

/** How a run ended: its exit code, or the error it stopped on (which main.ts prints and maps). */
export type RunEnded = { code: number } | { error: unknown };

/** What the run tells as it goes. */
export interface RunMonitor {
  jobCreated(job: JobRecord): void;
  step(event: StepEvent): void;
  /** Once the plan was applied (or stopped): steps still in flight are logged as such. */
  applied(plan: Plan, result: ApplyResult): void;
}

export interface Monitoring extends RunMonitor {
  /**
   * Once the config is loaded and the state directory known: opens the audit trail and checks the
   * metrics file's folder (ConfigError, exit 2, when either cannot be used).
   */
  open(config: Config, stateDir: string): Promise<void>;
  /**
   * The run ended: the audit trail's run line, the metrics, and (`holdsLock`) last-run.json. Never
   * throws; what could not be written is an error line, and makes a run that would exit 0 exit 1
   * (returned). Only the first call counts.
   */
  end(report: RunReport, ended: RunEnded, output: Output, holdsLock: boolean): Promise<number>;
}

export interface MonitoringDeps {
  now: () => Date;
  /** Environment lookup (LOGINTC_SYNC_STATE_DIR). */
  env: (name: string) => string | undefined;
  hostname?: () => string;
}

export function runMonitoring(options: Options, deps: MonitoringDeps): Monitoring {
  const started = deps.now();
  let auditPath = options.auditLog;
  let auditLabel = "--audit-log";
  let metricsPath = options.metricsFile;
  let metricsLabel = "--metrics-file";
  let stateDir: string | undefined;
  let audit: AuditLog | undefined;
  /** Already reported as a bad value: not tried again at the end. */
  let auditUnusable = false;
  let metricsUnusable = false;
  let config: Config | undefined;
  let job: JobRecord | undefined;
  let outcomes: StepOutcomes | undefined;
  let over = false;

  return {
    async open(loaded, dir) {
      config = loaded;
      stateDir = dir;
      if (auditPath === undefined && loaded.sync.auditLog !== undefined) {
        [auditPath, auditLabel] = [loaded.sync.auditLog, "[sync] audit_log"];
      }
      if (metricsPath === undefined && loaded.sync.metricsFile !== undefined) {
        [metricsPath, metricsLabel] = [loaded.sync.metricsFile, "[sync] metrics_file"];
      }
      if (metricsPath !== undefined) {
        try {
          await checkMetricsFile(metricsPath, metricsLabel);
        } catch (error) {
          metricsUnusable = true;
          throw error;
        }
      }
      if (auditPath === undefined) return;
      try {
        audit = await openAuditLog(auditPath, auditLabel);
      } catch (error) {
        auditUnusable = true;
        throw error;
      }
    },
    jobCreated(created) {
      job = created;
    },
    step(event) {
      if (!audit || !job || event.outcome === "not-attempted") return;
      const failure = event.outcome === "failed"
        ? { message: event.reason ?? "", answer: event.answer }
        : undefined;
      audit.add(
        changeLine(event.step, event.outcome, {
          time: deps.now(),
          jobId: job.id,
          userId: event.userId,
          failure,
        }),
      );
    },
    applied(plan, result) {
      outcomes = tallySteps(plan.steps, result);
      if (!audit || !job) return;
      for (const step of result.stopped?.inFlight ?? []) {
        audit.add(changeLine(step, "unknown", { time: deps.now(), jobId: job.id }));
      }
    },
    async end(report, ended, output, holdsLock) {
      let code = "code" in ended
        ? ended.code
        : ended.error instanceof AppError
        ? ended.error.exitCode
        : ExitCode.FAILURE;
      if (over) return code;
      over = true;
      const error = "error" in ended ? messageOf(ended.error) : null;
      const end = deps.now();
      const fail = (problem: string) => {
        output.err(`error: ${escapeControls(problem)}`);
        if (code === ExitCode.OK) code = ExitCode.FAILURE;
      };

      if (auditPath !== undefined && !auditUnusable) {
        try {
          // A run that ended before its config was read opens the trail (given by the flag) now.
          audit ??= await openAuditLog(auditPath, auditLabel);
          audit.add(runLine(report, end, code, error));
          await audit.close();
          const problem = audit.problem();
          if (problem !== undefined) fail(`${auditLabel}: cannot append to ${auditPath}: ${problem}`);
        } catch (e) {
          fail(messageOf(e));
        }
      }

      // The last success: this run's, or the one last-run.json remembers.
      const dir = stateDir ?? await stateDirOf(options, deps.env);
      const previous = dir === undefined ? undefined : await readLastRun(dir);
      const run: RunSeen = {
        start: started.toISOString(),
        end: end.toISOString(),
        exitCode: code,
        jobId: job?.id ?? null,
        status: report.job?.status ?? null,
      };
      const next = nextLastRun(previous, run);
      if (metricsPath !== undefined && !metricsUnusable) {
        const lastSuccess = next.lastSuccess ? new Date(next.lastSuccess.end) : undefined;
        const text = renderMetrics({ report, start: started, end, exitCode: code, lastSuccess, outcomes });
        await writeMetricsFile(metricsPath, text).catch((e) =>
          fail(`${metricsLabel}: cannot write ${metricsPath}: ${messageOf(e)}`)
        );
      }
      // Only the lock's holder speaks for the state directory.
      if (holdsLock && dir !== undefined) {
        await writeLastRun(dir, nextLastRun(previous, { ...run, exitCode: code })).catch((e) =>
          fail(`cannot write ${LAST_RUN_FILE} in the state directory: ${messageOf(e)}`)
        );
      }
      return code;
    },
  };

  function runLine(report: RunReport, end: Date, code: number, error: string | null): RunLine {
    return {
      type: "run",
      format: 1,
      time: end.toISOString(),
      start: started.toISOString(),
      end: end.toISOString(),
      durationMs: end.getTime() - started.getTime(),
      jobId: job?.id ?? null,
      hostname: (deps.hostname ?? Deno.hostname)(),
      version: VERSION,
      config: config?.path ?? options.configPath,
      domainId: config?.logintc.domainId ?? null,
      syncMode: options.syncMode,
      syncTokenMode: options.syncTokenMode,
      exitCode: code,
      status: report.job?.status ?? null,
      directoryUsers: report.directory?.count ?? null,
      planned: report.plan?.counts ?? null,
      outcomes: outcomes ? totalOutcomes(outcomes) : null,
      withheld: report.guards?.withheld.filter(isRemoval).length ?? null,
      leftOut: report.plan?.skipped.length ?? null,
      error,
    };
  }
}

/**
 * The state directory of a run that ended before it was opened (a config error): where the flag, the
 * environment or the config file's path say, if it is there and safe to read; else unknown.
 */
async function stateDirOf(
  options: Options,
  env: (name: string) => string | undefined,
): Promise<string | undefined> {
  try {
    const dir = resolveStateDir({
      flag: options.stateDir,
      env: env(STATE_DIR_ENV),
      configPath: options.configPath,
    });
    return await openStateDir(dir, { create: false });
  } catch {
    return undefined;
  }
}
