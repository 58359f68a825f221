/**
 * The imperative shell: flags → config → directory read → output. Returns the exit code;
 * throws typed errors that main.ts maps to exit codes.
 */
import { parseFlags } from "./cli/flags.ts";
import { loadConfig } from "./config/loadConfig.ts";
import { readDirectory } from "./directory/readDirectory.ts";
import { renderUsersTable } from "./directory/renderUsers.ts";
import { ExitCode, UsageError } from "./errors.ts";
import type { Output } from "./output.ts";

export interface AppDeps {
  output: Output;
  now: () => Date;
}

export async function app(argv: string[], deps: AppDeps): Promise<number> {
  const { output } = deps;
  const parsed = parseFlags(argv);
  if (parsed.kind !== "run") {
    output.out(parsed.text);
    return ExitCode.OK;
  }
  const options = parsed.options;
  const config = await loadConfig(options.configPath);

  if (options.jobStatus !== undefined) {
    throw new UsageError("-j/--job-status is not available yet");
  }

  output.out("Fetching users...");
  const read = await readDirectory(config.ldap, options, { output });
  output.out(`Fetched ${read.users.length} user(s)`);
  output.out(renderUsersTable(read.users));
  // Only when non-zero, so the output matches the original tool's in the normal case.
  if (read.skippedNoUsername.length > 0) {
    output.out(
      `Skipped ${read.skippedNoUsername.length} entries without a username (${config.ldap.attrUsername})`,
    );
  }
  if (read.referralsIgnored.length > 0) {
    output.out(`Ignored ${read.referralsIgnored.length} referral(s) (-i)`);
  }
  if (!options.dryRun) {
    throw new UsageError("only --dry-run is available yet");
  }
  return ExitCode.OK;
}
