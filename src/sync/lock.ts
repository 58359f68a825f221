/**
 * One sync at a time per state directory: `<stateDir>/logintc-sync.lock`, created exclusively
 * (two overlapping cron runs would plan from the same state and race each other's writes).
 * The file says who holds it. A lock left by a crashed run on this host (its pid is gone) is
 * taken over with a warning; one from another host, or whose owner we cannot check, is not.
 */
import { GuardError, UsageError } from "../errors.ts";
import { formatJobDate } from "./jobRecord.ts";
import { statePath } from "./stateDir.ts";

export const LOCK_FILE = "logintc-sync.lock";

export interface LockOwner {
  pid: number;
  hostname: string;
  started: string;
}

export interface LockDeps {
  now: () => Date;
  pid: number;
  hostname: string;
  /** true when `pid` is (or may be) a running process on this host. */
  isAlive: (pid: number) => boolean;
  warn: (message: string) => void;
}

export interface Lock {
  path: string;
  release(): Promise<void>;
}

export function defaultLockDeps(warn: (message: string) => void, now: () => Date): LockDeps {
  return { now, pid: Deno.pid, hostname: Deno.hostname(), isAlive: processAlive, warn };
}

/**
 * Linux: /proc/<pid> exists while the process does. Elsewhere (Windows, macOS) there is no
 * side-effect-free probe in Deno, so we say "alive": a stale lock is then removed by the admin,
 * as the error message explains, never taken from a run that may still be writing.
 * Only NotFound means "gone": Deno refuses /proc paths without --allow-all (NotCapable, measured
 * on 2.9.6), and a probe we may not make must not declare a live run dead.
 */
export function processAlive(pid: number): boolean {
  if (Deno.build.os !== "linux") return true;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

export async function acquireLock(stateDir: string, deps: LockDeps): Promise<Lock> {
  const path = statePath(stateDir, [LOCK_FILE]);
  const unusable = (error: unknown) =>
    new UsageError(
      `cannot create the lock file ${path}: ${(error as Error).message}. Job records and the lock live in ` +
        `the state directory; choose a writable one with --state-dir or LOGINTC_SYNC_STATE_DIR.`,
    );
  try {
    await Deno.mkdir(stateDir, { recursive: true });
  } catch (error) {
    throw unusable(error);
  }
  const owner: LockOwner = { pid: deps.pid, hostname: deps.hostname, started: formatJobDate(deps.now()) };
  const body = JSON.stringify(owner) + "\n";

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.writeTextFile(path, body, { createNew: true });
      return { path, release: () => releaseLock(path, body) };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw unusable(error);
    }
    const holder = await readOwner(path);
    if (attempt === 0 && holder && holder.hostname === deps.hostname && !deps.isAlive(holder.pid)) {
      deps.warn(
        `warning: taking over a stale lock ${path} (pid ${holder.pid} on host ${holder.hostname}, ` +
          `started ${holder.started}, is no longer running)`,
      );
      await Deno.remove(path).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
      continue;
    }
    const who = holder
      ? `pid ${holder.pid} on host ${holder.hostname}, started ${holder.started}`
      : "owner unknown: the file is unreadable";
    throw new GuardError(
      `another logintc-sync run (${who}) holds ${path}; if it is no longer running, delete the file`,
    );
  }
  throw new GuardError(`could not take ${path}`);
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const o = JSON.parse(await Deno.readTextFile(path));
    if (typeof o.pid === "number" && typeof o.hostname === "string" && typeof o.started === "string") {
      return o;
    }
  } catch { /* unreadable or half-written: treated as held */ }
  return undefined;
}

/** Removes the lock only if it is still ours (never another run's after a takeover). */
async function releaseLock(path: string, body: string): Promise<void> {
  try {
    if ((await Deno.readTextFile(path)) === body) await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
