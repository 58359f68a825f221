/**
 * The config file holds the LoginTC API key and the LDAP bind password, so like ssh with a
 * private key we warn (but still run: cron jobs must not start failing after an upgrade) when
 * group or others have any access to it on POSIX. Windows has ACLs, not mode bits (Deno
 * reports no mode there), so there is nothing to check.
 */
import type { Config } from "../types.ts";

/** Group and other permission bits (ssh's test for private keys). */
const GROUP_OTHER = 0o077;

/** What the config file holds, for the warning (a secret file says which secret it holds). */
const CONFIG_HOLDS = "the LoginTC API key and the bind password";

/** The warning for a file mode, or undefined when it is private (or not a POSIX mode). */
export function configModeWarning(
  path: string,
  mode: number | null,
  os: typeof Deno.build.os,
  holds: string = CONFIG_HOLDS,
): string | undefined {
  if (os === "windows" || mode === null || (mode & GROUP_OTHER) === 0) return undefined;
  const octal = (mode & 0o777).toString(8).padStart(4, "0");
  return `warning: ${path} has mode ${octal}: group or others can access it, and it holds ` +
    `${holds}. Restrict it: chmod 600 ${shellQuote(path)}`;
}

/** The path as a POSIX shell word, so the suggested command can be pasted as is. */
function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/** What a secret file holds, for its warning. */
const SECRET_HOLDS = "a secret (a *_file key of the config)";

export interface ModeFinding {
  path: string;
  /** true for a secret file (a *_file key), false for the config file itself. */
  secret: boolean;
  warning?: string;
}

/**
 * The config file's and each secret file's mode warning, in that order. The config's mode is the
 * one loadConfig read (config.mode); only the secret files are stat'ed here.
 */
export async function modeFindings(
  config: Pick<Config, "path" | "mode" | "secretFiles">,
  os: typeof Deno.build.os = Deno.build.os,
): Promise<ModeFinding[]> {
  const findings: ModeFinding[] = [
    { path: config.path, secret: false, warning: configModeWarning(config.path, config.mode ?? null, os) },
  ];
  for (const path of config.secretFiles ?? []) {
    const warning = configModeWarning(path, await statMode(path, os), os, SECRET_HOLDS);
    findings.push({ path, secret: true, warning });
  }
  return findings;
}

async function statMode(path: string, os: typeof Deno.build.os): Promise<number | null> {
  if (os === "windows") return null;
  try {
    return (await Deno.stat(path)).mode;
  } catch {
    return null; // it was just read; a race with a rename is not worth a second error
  }
}
