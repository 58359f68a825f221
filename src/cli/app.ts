/**
 * The imperative shell: flags → config → (-j) or directory read → LoginTC read → plan → guards
 * → (dry run: show it) or apply as a job. Returns the exit code; throws typed errors that
 * main.ts maps to exit codes.
 */
import { parseFlags } from "./flags.ts";
import { checkConfigMode } from "../config/fileMode.ts";
import { loadConfig } from "../config/loadConfig.ts";
import { ExitCode } from "../errors.ts";
import type { Output } from "../output/output.ts";
import { redactingOutput, redactor } from "../output/redact.ts";
import { readJob } from "../sync/jobStore.ts";
import { renderJob, renderJobDetails } from "../sync/renderJob.ts";
import { resolveStateDir, STATE_DIR_ENV } from "../sync/stateDir.ts";
import { runSync } from "./runSync.ts";

export interface AppDeps {
  output: Output;
  now: () => Date;
  /** Environment lookup (LOGINTC_SYNC_STATE_DIR). Default Deno.env.get. */
  env?: (name: string) => string | undefined;
}

export async function app(argv: string[], deps: AppDeps): Promise<number> {
  const parsed = parseFlags(argv);
  if (parsed.kind !== "run") {
    deps.output.out(parsed.text);
    return ExitCode.OK;
  }
  const options = parsed.options;
  const config = await loadConfig(options.configPath);
  const redact = redactor([config.ldap.bindPassword, config.logintc.apiKey, config.logintc.proxy?.pass]);
  const output = redactingOutput(deps.output, redact);
  await checkConfigMode(config.path, output.err);
  const stateDir = resolveStateDir({
    flag: options.stateDir,
    env: (deps.env ?? ((n) => Deno.env.get(n)))(STATE_DIR_ENV),
    configPath: config.path,
  });
  try {
    if (options.jobStatus !== undefined) {
      const job = await readJob(stateDir, options.jobStatus);
      output.out(renderJob(job));
      output.out(renderJobDetails(job));
      return ExitCode.OK;
    }
    return await runSync(config, options, { output, now: deps.now, stateDir });
  } catch (e) {
    // Whatever escapes is printed by main.ts: scrub it here, where the secrets are known.
    if (e instanceof Error) e.message = redact(e.message);
    throw e;
  }
}
