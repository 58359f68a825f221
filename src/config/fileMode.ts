/**
 * The config file holds the LoginTC API key and the LDAP bind password, so like ssh with a
 * private key we warn (but still run: cron jobs must not start failing after an upgrade) when
 * group or others have any access to it on POSIX. Windows has ACLs, not mode bits (Deno
 * reports no mode there), so there is nothing to check.
 */

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

/** The imperative edge: stat the file and pass the warning, if any, to `warn`. */
export async function checkConfigMode(
  path: string,
  warn: (message: string) => void,
  os: typeof Deno.build.os = Deno.build.os,
  holds: string = CONFIG_HOLDS,
): Promise<void> {
  if (os === "windows") return;
  let mode: number | null;
  try {
    mode = (await Deno.stat(path)).mode;
  } catch {
    return; // it was just read; a race with a rename is not worth a second error
  }
  const warning = configModeWarning(path, mode, os, holds);
  if (warning) warn(warning);
}
