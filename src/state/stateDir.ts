/**
 * The state directory: where the lock, job records and write-only values live (what is done
 * there, and how safely: src/state/stateFiles.ts). Precedence: --state-dir, then LOGINTC_SYNC_STATE_DIR, then the config
 * file's directory (the original kept nothing locally; the config's directory is the one place
 * every run of one config shares).
 *
 * Path logic is node:path's win32 or posix flavour, chosen by the OS we run on (injectable, so
 * both are unit-tested on any machine): on Windows `C:\Program Files\logintc-sync\config.cfg`
 * has the directory `C:\Program Files\logintc-sync`; on POSIX a backslash is an ordinary file
 * name character and must not split a path.
 */
import { posix, win32 } from "node:path";

/** The environment variable that names the state directory (read in src/cli/app.ts). */
export const STATE_DIR_ENV = "LOGINTC_SYNC_STATE_DIR";

export type PathOs = typeof Deno.build.os;

/** node:path's flavour for an OS: win32 on Windows, posix everywhere else. */
export function pathFor(os: PathOs = Deno.build.os): typeof posix {
  return os === "windows" ? win32 : posix;
}

export function resolveStateDir(
  input: { flag?: string; env?: string; configPath: string; os?: PathOs },
): string {
  if (input.flag !== undefined && input.flag !== "") return input.flag;
  if (input.env !== undefined && input.env !== "") return input.env;
  // dirname: "config.cfg" → ".", "/config.cfg" → "/", "C:\config.cfg" → "C:\" (a bare "C:"
  // would mean drive C's current directory).
  return pathFor(input.os).dirname(input.configPath);
}

/** A file inside the state directory, joined with the OS's separator (as shown in messages). */
export function statePath(stateDir: string, parts: readonly string[], os?: PathOs): string {
  return pathFor(os).join(stateDir, ...parts);
}
