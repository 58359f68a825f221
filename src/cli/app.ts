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
import { resolveStateDir, STATE_DIR_ENV } from "../sync/stateDir.ts";

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
    // Loaded on demand (here and in runSync.ts): -v and -h load neither the LDAP nor the HTTP
    // stack, and a dry run never loads the job store or the applier. tests/cli/module_graph_test.ts
    // checks the graph; deno compile embeds these, as their specifiers are string literals.
    if (options.jobStatus !== undefined) {
      const { readJob } = await import("../sync/jobStore.ts");
      const { renderJob, renderJobDetails } = await import("../sync/renderJob.ts");
      const { jobAsSeen } = await import("../sync/jobStatus.ts");
      // A record still marked Running whose run is gone is shown Interrupted (src/sync/jobStatus.ts).
      const job = await jobAsSeen(stateDir, await readJob(stateDir, options.jobStatus));
      output.out(renderJob(job));
      output.out(renderJobDetails(job));
      return ExitCode.OK;
    }
    const { runSync } = await import("./runSync.ts");
    return await runSync(config, options, { output, now: deps.now, stateDir });
  } catch (e) {
    // Whatever escapes is printed by main.ts: scrub it here, where the secrets are known.
    if (e instanceof Error) e.message = redact(e.message);
    throw e;
  }
}
