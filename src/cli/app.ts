/**
 * The imperative shell: flags → config → (-j) or directory read → LoginTC read → plan → guards
 * → (dry run, --check: show it) or apply as a job. Returns the exit code; throws typed errors
 * that main.ts maps to exit codes.
 *
 * With --json, stdout gets exactly one JSON document (src/report/json.ts), also when the run
 * stops on an error: the document is written first, then the error goes on to main.ts, which
 * prints it to stderr and exits with its code. Every other stdout line goes to stderr then.
 */
import { type Options, parseFlags } from "./flags.ts";
import { helpText, versionText } from "./help.ts";
import { warmTls } from "./warmTls.ts";
import { modeFindings } from "../config/fileMode.ts";
import { loadConfig } from "../config/loadConfig.ts";
import { AppError, ConfigError, ExitCode } from "../errors.ts";
import type { Output } from "../output/output.ts";
import { redactingOutput, redactor } from "../output/redact.ts";
import { planProxy, proxySecrets, targetOf } from "../logintc/proxy.ts";
import { renderJson } from "../report/json.ts";
import type { Config } from "../types.ts";
import { errorFailure, jobSummary, newReport, type RunMode, type RunReport } from "../report/report.ts";
import { resolveStateDir, STATE_DIR_ENV } from "../state/stateDir.ts";
import { openStateDir } from "../state/stateFiles.ts";
import { untilStopped } from "../timers.ts";
import { withRunTimeLimit } from "./signals.ts";
import { messageOf } from "../unknown.ts";

export interface AppDeps {
  output: Output;
  now: () => Date;
  /** Environment lookup (LOGINTC_SYNC_STATE_DIR, the secrets' variables). Default Deno.env.get. */
  env?: (name: string) => string | undefined;
  /** Aborts when the run is asked to stop (SIGTERM, Ctrl-C): see RunSyncDeps.signal. */
  signal?: AbortSignal;
}

export async function app(argv: string[], deps: AppDeps): Promise<number> {
  const started = deps.now().getTime();
  let parsed;
  try {
    parsed = parseFlags(argv);
  } catch (e) {
    // The flags did not parse, so --json is looked for literally (before any "--").
    const end = argv.indexOf("--");
    if ((end < 0 ? argv : argv.slice(0, end)).includes("--json")) {
      failJson(newReport(null, null), e, deps.output, started, deps.now, (s) => s);
    }
    throw e;
  }
  if (parsed.kind !== "run") {
    deps.output.out(parsed.kind === "help" ? helpText() : versionText());
    return ExitCode.OK;
  }
  const options = parsed.options;
  const report = newReport(modeOf(options), options.configPath);
  const env = deps.env ?? ((n: string) => Deno.env.get(n));
  // --max-run-time stops the run as a signal does (./signals.ts), from here on.
  const limit = withRunTimeLimit(deps.signal, options.maxRunTime);
  try {
    return await runMode(options, report, { ...deps, signal: limit.signal }, env, started);
  } finally {
    limit.clear();
  }
}

/** The run the flags ask for: --doctor, -j, or a sync (dry, --check or real). */
async function runMode(
  options: Options,
  report: RunReport,
  deps: AppDeps,
  env: (name: string) => string | undefined,
  started: number,
): Promise<number> {
  const json = options.json === true;
  let redact = (text: string) => text;
  if (options.doctor === true) return await doctor(options, report, deps, env, started);
  // A real run leaves its audit trail, metrics and last-run record, however it ends (./runMonitor.ts).
  const monitoring = isRealRun(options)
    ? (await import("./runMonitor.ts")).runMonitoring(options, { now: deps.now, env })
    : undefined;
  let output: Output = deps.output;
  try {
    // A run will shake hands with the directory (LDAPS, StartTLS) and LoginTC (HTTPS): let Deno's TLS
    // set-up run on another thread meanwhile (./warmTls.ts).
    if (options.jobStatus === undefined) void warmTls();
    const config = await loadConfig(options.configPath, env);
    redact = configRedactor(config, env);
    const redacted = redactingOutput(deps.output, redact);
    // With --json only the document goes to stdout; any other line a module writes goes to stderr.
    output = json ? { isTerminal: false, out: redacted.err, err: redacted.err } : redacted;
    for (const { warning } of await modeFindings(config)) if (warning) output.err(warning);
    // Checked before anything in it is read or written, and used by its real path from here on
    // (src/state/stateFiles.ts); only a real run creates it.
    const stateDir = await openStateDir(
      resolveStateDir({ flag: options.stateDir, env: env(STATE_DIR_ENV), configPath: config.path }),
      { create: options.jobStatus === undefined && !options.dryRun && options.check !== true },
    );
    // Loaded on demand (here and in runSync.ts): -v and -h load neither the LDAP nor the HTTP
    // stack, and a dry run never loads the job store or the applier. tests/integration/cli/moduleGraph_test.ts
    // checks the graph; deno compile embeds these, as their specifiers are string literals.
    let code: number;
    if (options.jobStatus !== undefined) {
      const { jobAsSeen, readJob } = await import("../state/jobStore.ts");
      // A record still marked Running whose run is gone is shown Interrupted (src/state/jobStore.ts).
      const job = await jobAsSeen(stateDir, await readJob(stateDir, options.jobStatus));
      report.job = jobSummary(job);
      if (!json) {
        const { renderJob, renderJobDetails } = await import("../report/renderJob.ts");
        output.out(renderJob(job));
        output.out(renderJobDetails(job));
      }
      code = ExitCode.OK;
    } else {
      await monitoring?.open(config, stateDir);
      const { runSync } = await import("./runSync.ts");
      code = await runSync(config, options, {
        output,
        now: deps.now,
        stateDir,
        json,
        report,
        env,
        signal: deps.signal,
        monitor: monitoring,
        finish: monitoring && ((ended, holdsLock) => monitoring.end(report, ended, output, holdsLock)),
      });
    }
    if (json) {
      report.exitCode = code;
      report.timings.totalMs = deps.now().getTime() - started;
      redacted.out(renderJson(report));
    }
    return code;
  } catch (e) {
    // Whatever escapes is printed by main.ts: scrub it here, where the secrets are known.
    if (e instanceof Error) e.message = redact(e.message);
    await monitoring?.end(report, { error: e }, output, false);
    if (json) failJson(report, e, deps.output, started, deps.now, redact);
    throw e;
  }
}

/** A sync that may write: not -d, --check, -j or --doctor. */
function isRealRun(options: Options): boolean {
  return options.doctor !== true && options.jobStatus === undefined && !options.dryRun &&
    options.check !== true;
}

/** --doctor: the checklist as it goes (or the JSON document at the end); 1 when any check failed. */
async function doctor(
  options: Options,
  report: RunReport,
  deps: AppDeps,
  env: (name: string) => string | undefined,
  started: number,
): Promise<number> {
  const { runDoctor } = await import("../doctor/runDoctor.ts");
  const { renderCheck, renderSummary } = await import("../doctor/render.ts");
  let output = deps.output;
  // --doctor reads only: asked to stop, it stops at once.
  const checks = await untilStopped(
    runDoctor(options, {
      env,
      now: deps.now,
      onConfig: (config) => {
        output = redactingOutput(deps.output, configRedactor(config, env));
      },
      onCheck: (check) => {
        if (options.json !== true) output.out(renderCheck(check));
      },
    }),
    deps.signal,
  );
  const code = checks.some((c) => c.status === "FAIL") ? ExitCode.FAILURE : ExitCode.OK;
  if (options.json === true) {
    report.doctor = { checks };
    report.exitCode = code;
    report.timings.totalMs = deps.now().getTime() - started;
    output.out(renderJson(report));
  } else output.out(renderSummary(checks));
  return code;
}

/**
 * The one redactor of everything printed once the config is loaded, by a run and by --doctor alike:
 * the bind password, the API key, and the proxy's credentials in every form they could show up in
 * (the password, its Basic form; from proxy_pass or from HTTPS_PROXY & co.), from the same proxy
 * resolution the HTTP client uses (src/logintc/route.ts).
 */
function configRedactor(config: Config, env: (name: string) => string | undefined): (text: string) => string {
  const plan = planProxy(config.logintc.proxy, env, targetOf(config.logintc.host).hostname);
  return redactor([
    config.ldap.bindPassword,
    config.logintc.apiKey,
    config.logintc.proxy?.pass,
    ...proxySecrets(plan),
  ]);
}

function modeOf(options: Options): RunMode {
  if (options.doctor === true) return "doctor";
  if (options.jobStatus !== undefined) return "job-status";
  if (options.check === true) return "check";
  return options.dryRun ? "dry-run" : "sync";
}

/** The document for a run that stopped on `error`; main.ts still prints the error and exits. */
function failJson(
  report: RunReport,
  error: unknown,
  output: Output,
  started: number,
  now: () => Date,
  redact: (text: string) => string,
): void {
  const messages = error instanceof ConfigError ? error.problems : [
    error instanceof AppError ? error.message : `unexpected failure: ${messageOf(error)}`,
  ];
  report.failures.push(...messages.map((m) => errorFailure(redact(m))));
  report.exitCode = error instanceof AppError ? error.exitCode : ExitCode.FAILURE;
  report.timings.totalMs = now().getTime() - started;
  output.out(redact(renderJson(report)));
}
