/**
 * One sync at a time per state directory, held by the operating system: an exclusive lock on
 * `<stateDir>/logintc-sync.lock` (Deno.FsFile.tryLock: flock(2) on Linux and macOS, LockFileEx
 * on Windows). The kernel drops the lock when the process ends in any way (exit, crash, kill -9,
 * OOM killer, Task Scheduler's TerminateProcess, reboot), so a run that dies leaves nothing that
 * blocks the next one: no pid checks, no takeover, no stale lock for an admin to delete.
 *
 * The lock file itself is never removed: deleting it would let a run lock the deleted file while
 * another locks a new one under the same name (both would sync). Its presence means nothing.
 *
 * Who holds it (pid, host, start time, and the job once created) is written by the holder, only
 * after it holds the lock, to a separate file, `logintc-sync.owner.json`: on Windows a locked
 * file cannot be read by anyone else (LockFileEx locks are mandatory for reads, see
 * https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-lockfileex), and a loser needs
 * to read it for its message. The holder removes it before unlocking when it ends normally. (A
 * loser that looks in the instant between a new holder's lock and its write may name the previous,
 * killed holder: the message is then off by one run; the lock itself never is.)
 */
import { GuardError, UnsafeStateError, UsageError } from "../errors.ts";
import { formatJobDate } from "./jobRecord.ts";
import { statePath } from "./stateDir.ts";
import { openStateFile, readStateFile, removeStateFile, writeStateFile } from "./stateFiles.ts";
import { escapeText } from "../output/escape.ts";
import { sleep } from "../timers.ts";
import { messageOf } from "../unknown.ts";

export const LOCK_FILE = "logintc-sync.lock";
export const OWNER_FILE = "logintc-sync.owner.json";

export interface LockOwner {
  pid: number;
  hostname: string;
  started: string;
  /** The job this run created (set before the job record is first written). */
  job?: string;
}

export interface LockDeps {
  now: () => Date;
  pid: number;
  hostname: string;
  /** Waits between reads of the owner file (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
}

export interface Lock {
  path: string;
  /** Records the job this run works on in the owner file (for `-j`: Running or Interrupted). */
  claimJob(id: string): Promise<void>;
  release(): Promise<void>;
}

export function defaultLockDeps(now: () => Date): LockDeps {
  return { now, pid: Deno.pid, hostname: Deno.hostname() };
}

/**
 * The lock, or GuardError (exit 3) naming the run that holds it. Never waits for it: a scheduled
 * run that finds another still going has nothing to add (the next one will plan afresh).
 * `stateDir` is one openStateDir made safe (src/state/stateFiles.ts).
 */
export async function acquireLock(stateDir: string, deps: LockDeps): Promise<Lock> {
  const path = statePath(stateDir, [LOCK_FILE]);
  const ownerPath = statePath(stateDir, [OWNER_FILE]);
  const unusable = (error: unknown) =>
    new UsageError(
      `cannot lock ${path}: ${messageOf(error)}. Job records and the lock live in ` +
        `the state directory; choose a writable one with --state-dir or LOGINTC_SYNC_STATE_DIR.`,
    );
  let file: Deno.FsFile;
  try {
    // Opened, never truncated or replaced: every run must lock the same file.
    file = await openStateFile(path, { read: true, write: true, create: true });
  } catch (error) {
    if (error instanceof UnsafeStateError) throw error;
    throw unusable(error);
  }
  let held: boolean;
  try {
    held = await file.tryLock(true);
  } catch (error) {
    file.close();
    throw unusable(error);
  }
  if (!held) {
    file.close();
    const holder = await readOwnerPatiently(ownerPath, deps.sleep ?? sleep);
    // Whoever can write the state directory wrote these: escaped, line feeds included, so a
    // hostname cannot print a line of its own (docs/operations.md, "Security").
    const who = holder
      ? `pid ${holder.pid} on host ${escapeText(holder.hostname)}, started ${escapeText(holder.started)}`
      : "owner not recorded yet";
    throw new GuardError(
      `another logintc-sync run (${who}) holds the lock ${path}; this run changed nothing. ` +
        `The lock ends with that run, however it ends.`,
    );
  }

  let owner: LockOwner = { pid: deps.pid, hostname: deps.hostname, started: formatJobDate(deps.now()) };
  const writeOwner = () => writeStateFile(ownerPath, JSON.stringify(owner) + "\n");
  // Closing the handle is what releases the lock, on every platform: flock(2) locks end with the
  // last descriptor of the open file, LockFileEx locks when the handle is closed
  // (https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-unlockfileex, Remarks). An
  // explicit unlock() adds nothing, and under Wine it fails with "Lock violation (os error 33)"
  // although the lock is gone (docs/development.md, "Unlocking under Wine").
  const unlock = () => Promise.resolve(file.close());
  try {
    await writeOwner();
  } catch (error) {
    await unlock();
    throw unusable(error);
  }
  return {
    path,
    async claimJob(id: string) {
      owner = { ...owner, job: id };
      await writeOwner();
    },
    async release() {
      // Before unlocking: once unlocked, the file may already be the next holder's.
      try {
        await removeStateFile(ownerPath);
      } finally {
        await unlock();
      }
    },
  };
}

export type LockState = { held: false } | { held: true; owner?: LockOwner };

/**
 * Is the state directory's lock held right now (for `-j` of a job still marked Running)? Takes
 * the lock for an instant when it is free; a run starting in that instant would exit 3, so
 * `-j` asks only when the owner file names the job in question.
 */
export async function probeLock(stateDir: string): Promise<LockState> {
  const path = statePath(stateDir, [LOCK_FILE]);
  let file: Deno.FsFile;
  try {
    file = await openStateFile(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { held: false };
    throw error;
  }
  try {
    // Free: the lock is ours for an instant, released by the close below (see acquireLock).
    if (await file.tryLock(true)) return { held: false };
  } finally {
    file.close();
  }
  const owner = await readOwner(statePath(stateDir, [OWNER_FILE]));
  return owner ? { held: true, owner } : { held: true };
}

/**
 * The owner file as last written, or undefined when absent, unreadable, unsafe (a link: never
 * followed) or not ours. Only informs a message, so a problem is never an error.
 */
export async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const o = JSON.parse((await readStateFile(path)) ?? "null");
    if (typeof o.pid === "number" && typeof o.hostname === "string" && typeof o.started === "string") {
      return {
        pid: o.pid,
        hostname: o.hostname,
        started: o.started,
        ...(typeof o.job === "string" ? { job: o.job } : {}),
      };
    }
  } catch { /* absent or unreadable */ }
  return undefined;
}

/**
 * The holder writes the owner file just after taking the lock: a loser that looked in that
 * instant waits a little (at most ~0.5 s) for it rather than report "owner not recorded".
 */
async function readOwnerPatiently(
  path: string,
  wait: (ms: number) => Promise<void>,
): Promise<LockOwner | undefined> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const owner = await readOwner(path);
    if (owner) return owner;
    await wait(50);
  }
  return undefined;
}
