/**
 * The state directory's file I/O: the only code that creates, opens, reads, writes or removes
 * anything in it (the lock and its owner file, job records, write-only values, the ledger, journals).
 * A sync runs as root or a service account, and a folder someone else can write would let them
 * plant `logintc-sync.lock -> /etc/nologin` or `jobs -> /etc`: the run would create or write the
 * target. So (docs/operations.md, "Security"):
 *
 * - The state directory is refused (UnsafeStateError, exit 2) unless it and every folder above it
 *   belong to root or to the user running the sync and no one else can write them, as OpenSSH's
 *   StrictModes checks a home directory (sshd_config(5)). A folder above that others may write is
 *   accepted only with the sticky bit (`/tmp`, `/var/tmp`): there no one else can rename or remove
 *   what is ours (unlink(2), EPERM). It is created 0700, and used by its real path from then on, so
 *   a link in the path given cannot be repointed while the run lasts.
 * - Inside it nothing is followed: a symbolic link, a file with a second hard link, something other
 *   than a regular file (a FIFO would block the run), or a file of another user is refused by name.
 *   A file is opened only after lstat, and the handle's fstat must show the same file (so a swap
 *   between the two is refused too); a file is created only with O_CREAT|O_EXCL (Deno's
 *   `createNew`), which fails on any existing name, links included (open(2), POSIX); a file is
 *   written only as a fresh temp file renamed over the old name, which replaces the name itself,
 *   never what a link points to (rename(2)).
 * - What it writes is private: files 0600, folders 0700; an older file or folder it finds readable
 *   by others is tightened to that.
 *
 * On Windows there are no modes (Deno reports `mode` and `uid` as null): nothing is refused for
 * them, the files inherit the folder's ACL (docs/operations.md says which to set), and links are
 * still never followed.
 */
import { UnsafeStateError, UsageError } from "../errors.ts";
import { pathFor } from "./stateDir.ts";
import { escapeText } from "../output/escape.ts";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** Group or others may write (S_IWGRP | S_IWOTH). */
const WRITABLE_BY_OTHERS = 0o022;
/** Group or others may read, write or search. */
const OPEN_TO_OTHERS = 0o077;
const STICKY = 0o1000;

const isWindows = () => Deno.build.os === "windows";

/** The user this process runs as (POSIX), asked once per call site; null on Windows. */
function myUid(): number | null {
  return isWindows() ? null : Deno.uid();
}

/** Root or the user running the sync: the only owners trusted (null: the OS has no owners). */
/**
 * The permission bits, or null where they mean nothing: Windows has ACLs, and the mode Deno reports
 * there (0o777 for folders under Wine 10's deno.exe) says nothing about who may write.
 */
function modeOf(info: Deno.FileInfo): number | null {
  return isWindows() ? null : info.mode;
}

function trustedOwner(uid: number | null, me: number | null): boolean {
  return uid === null || me === null || uid === 0 || uid === me;
}

function ownerText(uid: number | null): string {
  return uid === null ? "another user" : `user id ${uid}`;
}

/**
 * The state directory, safe to use, by its real path (use that path from then on). With `create`,
 * a missing one is made 0700 (its missing parents too), after the folders above it were checked;
 * without, a missing one is returned as given (readers then find nothing in it).
 */
export async function openStateDir(dir: string, options: { create: boolean }): Promise<string> {
  const path = pathFor();
  const fix = `Use a folder that only root or the user running logintc-sync can write (chmod 700, owned by ` +
    `that user), named by --state-dir or LOGINTC_SYNC_STATE_DIR`;
  if (isWindows()) {
    if (options.create) await makeDir(dir, true).catch((error) => Promise.reject(cannot(dir, error, fix)));
    return dir;
  }
  const me = myUid();
  const absolute = path.resolve(dir);
  let real: string;
  try {
    real = await Deno.realPath(absolute);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw cannot(absolute, error, fix);
    if (!options.create) return absolute;
    // Check what is there before creating anything below it.
    let existing = path.dirname(absolute);
    while (!(await exists(existing))) existing = path.dirname(existing);
    await checkAbove(await Deno.realPath(existing), me, absolute, fix, true);
    await makeDir(absolute, true).catch((error) => Promise.reject(cannot(absolute, error, fix)));
    real = await Deno.realPath(absolute);
  }
  const info = await Deno.stat(real);
  if (!info.isDirectory) {
    throw new UnsafeStateError(`the state directory ${quote(absolute)} is not a folder. ${fix}.`);
  }
  const problem = folderProblem(info, me);
  if (problem) {
    throw new UnsafeStateError(
      `the state directory ${quote(absolute)} ${problem}: whoever can write it can make this run create, ` +
        `overwrite or read files elsewhere. ${fix}.`,
    );
  }
  await checkAbove(path.dirname(real), me, absolute, fix, real !== path.dirname(real));
  return real;
}

/** Each folder from `from` up to the root: trusted owner, and not writable by others unless sticky. */
async function checkAbove(from: string, me: number | null, stateDir: string, fix: string, go: boolean) {
  const path = pathFor();
  for (let p = from; go; p = path.dirname(p)) {
    const info = await Deno.stat(p);
    const mode = modeOf(info) ?? 0;
    const why = !trustedOwner(info.uid, me)
      ? `belongs to ${ownerText(info.uid)}`
      : (mode & WRITABLE_BY_OTHERS) !== 0 && (mode & STICKY) === 0
      ? "can be written by other users"
      : undefined;
    if (why) {
      throw new UnsafeStateError(
        `the state directory ${quote(stateDir)} is inside ${quote(p)}, which ${why}: they could replace ` +
          `the state directory. ${fix}.`,
      );
    }
    if (p === path.dirname(p)) break;
  }
}

/** Why a folder of ours must not be used (owner, writable by others), or undefined. */
function folderProblem(info: Deno.FileInfo, me: number | null): string | undefined {
  if (!trustedOwner(info.uid, me)) return `belongs to ${ownerText(info.uid)}`;
  if (((modeOf(info) ?? 0) & WRITABLE_BY_OTHERS) !== 0) return "can be written by other users";
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** mkdir 0700 (umask may narrow it further); an existing name is for the caller to check. */
async function makeDir(path: string, recursive: boolean): Promise<void> {
  try {
    await Deno.mkdir(path, { recursive, mode: DIR_MODE });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
}

function cannot(path: string, error: unknown, fix: string): UsageError {
  const why = error instanceof Error ? error.message : String(error);
  return new UsageError(`cannot use the state directory ${quote(path)}: ${escapeText(why)}. ${fix}.`);
}

/** A path in a message: escaped (a planted name may hold a line feed), quoted. */
function quote(path: string): string {
  return escapeText(path);
}

/**
 * A folder inside the state directory (jobs/, written/, ledger/): created 0700 when absent (unless
 * `create` is false: a reader then finds nothing in it); otherwise it must be a real folder (not a
 * link), root's or ours, that no one else can write, and it is tightened to 0700 when others can
 * read it. Call it before the files in the folder are read or written.
 */
export async function ensureStateFolder(path: string, options: { create?: boolean } = {}): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    if (options.create === false) return;
    await makeDir(path, false);
    info = await Deno.lstat(path);
  }
  const me = myUid();
  const problem = info.isSymlink
    ? "is a symbolic link"
    : !info.isDirectory
    ? "is not a folder"
    : folderProblem(info, me);
  if (problem) {
    throw new UnsafeStateError(
      `${quote(path)} ${problem}; logintc-sync does not follow or use it. Remove it (the next run makes ` +
        `the folder afresh, 0700).`,
    );
  }
  if (((modeOf(info) ?? 0) & OPEN_TO_OTHERS) !== 0 && info.uid === me) {
    await Deno.chmod(path, DIR_MODE);
  }
}

/** Why a state file must not be used, or undefined. */
function fileProblem(info: Deno.FileInfo, me: number | null): string | undefined {
  if (info.isSymlink) return "is a symbolic link";
  if (!info.isFile) return "is not a regular file";
  if (info.nlink !== null && info.nlink > 1) return "has another hard link";
  if (!trustedOwner(info.uid, me)) return `belongs to ${ownerText(info.uid)}`;
  return undefined;
}

function unsafeFile(path: string, problem: string): UnsafeStateError {
  return new UnsafeStateError(
    `${quote(path)} ${problem}; logintc-sync does not follow or use it. Remove it (it is remade as needed).`,
  );
}

/** lstat, refusing what must not be used; undefined when absent. */
async function checkedLstat(path: string, me: number | null): Promise<Deno.FileInfo | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const problem = fileProblem(info, me);
  if (problem) throw unsafeFile(path, problem);
  return info;
}

/** The file opened is the one lstat saw (same device and inode where the OS reports them). */
async function sameFile(file: Deno.FsFile, seen: Deno.FileInfo, path: string): Promise<void> {
  const now = await file.stat();
  const differs = (a: number | null, b: number | null) => a !== null && b !== null && a !== b;
  if (!now.isFile || differs(now.dev, seen.dev) || differs(now.ino, seen.ino)) {
    file.close();
    throw unsafeFile(path, "was replaced while being opened");
  }
}

async function tighten(path: string, info: Deno.FileInfo, me: number | null): Promise<void> {
  if (((modeOf(info) ?? 0) & OPEN_TO_OTHERS) !== 0 && info.uid === me) {
    await Deno.chmod(path, FILE_MODE);
  }
}

export interface StateFileOpenOptions {
  read?: boolean;
  write?: boolean;
  append?: boolean;
  /** Create it (0600, never through a link) when absent; otherwise absent throws NotFound. */
  create?: boolean;
}

/**
 * A state file opened without following a link (for the lock, an append-only journal): created
 * 0600 with O_EXCL when absent, else checked (regular, one link, root's or ours; tightened to 0600)
 * and opened, and refused if the handle is not the file checked. Never truncates.
 */
export async function openStateFile(path: string, options: StateFileOpenOptions): Promise<Deno.FsFile> {
  const me = myUid();
  const access = { read: options.read, write: options.write, append: options.append };
  for (let attempt = 0;; attempt++) {
    const info = await checkedLstat(path, me);
    if (info === undefined) {
      if (!options.create) throw new Deno.errors.NotFound(`${path} does not exist`);
      try {
        return await Deno.open(path, { ...access, createNew: true, mode: FILE_MODE });
      } catch (error) {
        // Made by someone else between the lstat and the open: look again (once).
        if (error instanceof Deno.errors.AlreadyExists && attempt === 0) continue;
        throw error;
      }
    }
    const file = await Deno.open(path, access);
    await sameFile(file, info, path);
    await tighten(path, info, me);
    return file;
  }
}

/** A state file's text, or undefined when there is none. Refuses a link or a file not ours. */
export async function readStateFile(path: string): Promise<string | undefined> {
  let file: Deno.FsFile;
  try {
    file = await openStateFile(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  // Response.text() reads to the end and closes the file.
  return await new Response(file.readable).text();
}

/**
 * Every state file is written here. A fresh temp file (0600, O_EXCL) renamed over the name: a
 * reader sees the old text or the new, never part of one; a crash leaves the old (rename replaces
 * atomically on POSIX, and with MoveFileEx's replace on Windows); and a link planted at the name
 * is replaced, never written through. The folder must be the state directory or an
 * ensureStateFolder one.
 */
export async function writeStateFile(path: string, text: string): Promise<void> {
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    const file = await Deno.open(temp, { write: true, createNew: true, mode: FILE_MODE });
    try {
      const bytes = new TextEncoder().encode(text);
      for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** Removes a state file (a link is removed itself, never its target); absent is fine. */
export async function removeStateFile(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
