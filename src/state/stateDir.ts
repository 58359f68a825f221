/**
 * The state directory: where the lock, job records and write-only values live, and the one way a
 * file in it is written. Precedence: --state-dir, then LOGINTC_SYNC_STATE_DIR, then the config
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

/**
 * Every state file is written here. Temp file + rename: a reader sees the old text or the new,
 * never part of one, and a crash leaves the old (rename replaces atomically on POSIX, and with
 * MoveFileEx's replace on Windows). The temp file is created 0600 (readable by its owner only; no
 * mode on Windows, where the folder's ACL applies), so the renamed file is too.
 */
export async function writeStateFile(path: string, text: string): Promise<void> {
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(temp, text, { mode: 0o600 });
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
