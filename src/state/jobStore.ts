/**
 * Job records on disk: `<stateDir>/jobs/<id>.json`, written atomically (writeStateFile: a reader
 * never sees half a record, and a crash leaves the previous version), and read back for `-j` as
 * the job is now (Interrupted when its run is gone). The original kept jobs in LoginTC Admin,
 * through an API that is not public (docs/logintc-api.md), so ours are files.
 */
import { UnsafeStateError, UsageError } from "../errors.ts";
import { interruptedJob, type JobRecord, withJournal } from "./jobRecord.ts";
import { readJournal, removeJournal } from "./journal.ts";
import { OWNER_FILE, probeLock, readOwner } from "./lock.ts";
import { statePath } from "./stateDir.ts";
import { ensureStateFolder, readStateFile, writeStateFile } from "./stateFiles.ts";
import { escapeText } from "../output/escape.ts";
import { isObject, messageOf } from "../unknown.ts";

const JOB_ID = /^[0-9a-f]{40}$/;

function jobsDir(stateDir: string): string {
  return statePath(stateDir, ["jobs"]);
}

export function jobPath(stateDir: string, id: string): string {
  return statePath(stateDir, ["jobs", `${id}.json`]);
}

export async function writeJob(stateDir: string, job: JobRecord): Promise<string> {
  await ensureStateFolder(jobsDir(stateDir));
  const path = jobPath(stateDir, job.id);
  await writeStateFile(path, JSON.stringify(job, null, 2) + "\n");
  return path;
}

/** -j <id>: the record, or a UsageError saying where we looked. */
export async function readJob(stateDir: string, id: string): Promise<JobRecord> {
  const wanted = id.trim().toLowerCase();
  if (!JOB_ID.test(wanted)) {
    throw new UsageError(`-j/--job-status: a job id is 40 hex characters, got "${escapeText(id)}"`);
  }
  const path = jobPath(stateDir, wanted);
  let text: string | undefined;
  try {
    // The folder first: a jobs/ that is a link is refused, not looked through.
    await ensureStateFolder(jobsDir(stateDir), { create: false });
    text = await readStateFile(path);
  } catch (error) {
    if (error instanceof UnsafeStateError) throw error;
    throw new UsageError(`-j/--job-status: cannot read ${escapeText(path)}: ${escapeText(messageOf(error))}`);
  }
  if (text === undefined) {
    throw new UsageError(
      `-j/--job-status: no job ${wanted}: ${escapeText(path)} does not exist. Job records are kept in the ` +
        `state directory of the run that made them (--state-dir or LOGINTC_SYNC_STATE_DIR; default: the ` +
        `config file's directory).`,
    );
  }
  // Never quote the text or the parser's message (it quotes the text): whatever is in that file
  // is not shown unless it is a record.
  let job: unknown;
  try {
    job = JSON.parse(text);
  } catch {
    throw new UsageError(`-j/--job-status: ${escapeText(path)} is not a valid job record (not JSON)`);
  }
  if (!isObject(job) || job.type !== "SyncUsersJob" || job.id !== wanted) {
    throw new UsageError(
      `-j/--job-status: ${escapeText(path)} is not a valid job record (not a SyncUsersJob)`,
    );
  }
  const wrong = recordProblem(job);
  if (wrong !== undefined) {
    throw new UsageError(`-j/--job-status: ${escapeText(path)} is not a valid job record (${wrong})`);
  }
  return job as unknown as JobRecord;
}

const STATUSES: readonly string[] = ["Pending", "Running", "Completed", "Failed", "Interrupted"];
const TEXT = ["dtCreated", "dtStarted", "dtCompleted", "errorCode", "errorMessage"] as const;
const COUNTS = ["actionsCompleted", "actionsTotal"] as const;
const OPTIONAL_TEXT = ["domainId", "dtProgress"] as const;
const OPTIONAL_COUNTS = [
  "withheld",
  "skipped",
  "kept",
  "failed",
  "notAttempted",
  "notStarted",
  "reassigned",
  "renamed",
] as const;

/**
 * Which field of a record read from disk has the wrong type (named, never quoted), or undefined:
 * `-j` shows only a record of the shape it renders, whoever edited the file. Fields that records
 * of earlier versions lack may be absent (src/report/renderJob.ts reads them that way).
 */
function recordProblem(job: Record<string, unknown>): string | undefined {
  const isCount = (x: unknown) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
  if (typeof job.status !== "string" || !STATUSES.includes(job.status)) return `"status"`;
  for (const k of TEXT) if (typeof job[k] !== "string") return `"${k}"`;
  for (const k of COUNTS) if (!isCount(job[k])) return `"${k}"`;
  for (const k of OPTIONAL_TEXT) if (job[k] !== undefined && typeof job[k] !== "string") return `"${k}"`;
  for (const k of OPTIONAL_COUNTS) if (job[k] !== undefined && !isCount(job[k])) return `"${k}"`;
  const mode = job.mode;
  if (
    !isObject(mode) || typeof mode.syncMode !== "string" || typeof mode.syncTokenMode !== "string" ||
    !isCount(mode.maxRemoveLimit) || (mode.group !== undefined && typeof mode.group !== "string")
  ) return `"mode"`;
  if (job.counts !== undefined && (!isObject(job.counts) || !Object.values(job.counts).every(isCount))) {
    return `"counts"`;
  }
  const text = (x: unknown) => x === undefined || typeof x === "string";
  const named = (x: unknown) =>
    isObject(x) && typeof x.username === "string" && text(x.action) && text(x.reason) && text(x.message);
  if (!Array.isArray(job.failures) || !job.failures.every(named)) return `"failures"`;
  for (
    const k of [
      "skippedUsers",
      "keptUsers",
      "notAttemptedActions",
      "done",
      "inFlight",
      "reassignedUsers",
    ] as const
  ) {
    const list = job[k];
    if (list !== undefined && (!Array.isArray(list) || !list.every(named))) return `"${k}"`;
  }
  const disabled = job.disabled;
  if (
    disabled !== undefined &&
    (!isObject(disabled) || !isCount(disabled.count) ||
      !["include", "exclude"].includes(String(disabled.handling)) ||
      !Array.isArray(disabled.users) || !disabled.users.every(named))
  ) return `"disabled"`;
  const renames = job.renames;
  const pair = (x: unknown) => isObject(x) && typeof x.from === "string" && typeof x.to === "string";
  if (renames !== undefined && (!Array.isArray(renames) || !renames.every(pair))) return `"renames"`;
  const features = job.skippedFeatures;
  if (features !== undefined && (!Array.isArray(features) || !features.every((f) => typeof f === "string"))) {
    return `"skippedFeatures"`;
  }
  return undefined;
}

/**
 * `-j` of a job whose record still says Pending or Running: is its run still going? The run holds
 * the state directory's lock while it works and names its job in the lock's owner file before the
 * record first exists (src/cli/runJob.ts), so the job is running only when the owner file names
 * it AND the lock is held. Otherwise the run ended without finishing the record (kill -9, crash,
 * reboot): the job is shown as Interrupted, with the steps its journal recorded.
 */
export async function jobAsSeen(stateDir: string, record: JobRecord): Promise<JobRecord> {
  if (record.status !== "Pending" && record.status !== "Running") return record;
  // What the run did so far is in its journal (src/state/journal.ts).
  const job = withJournal(record, await readJournal(stateDir, record.id));
  // The owner file first: the lock is probed (taken for an instant when free) only when it
  // could be this job's, so `-j` of old records never gets in a starting run's way.
  const owner = await readOwner(statePath(stateDir, [OWNER_FILE]));
  if (owner?.job !== job.id) return interruptedJob(job);
  const lock = await probeLock(stateDir);
  return lock.held && lock.owner?.job === job.id ? job : interruptedJob(job);
}

/**
 * Journals left by runs that were killed (kill -9, a crash, a reboot), compacted into their records:
 * each record becomes Interrupted, for good, with the steps its journal names, and the journal goes.
 * A journal beside a finished record (a run killed between its last two writes) just goes. Called
 * by a real run holding the lock, so no run that could still write them is alive. A journal whose
 * record cannot be read is left alone (the record's problem is -j's to report).
 */
export async function compactJournals(stateDir: string): Promise<void> {
  const dir = jobsDir(stateDir);
  let names: string[];
  try {
    await ensureStateFolder(dir, { create: false });
    names = [];
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && /^[0-9a-f]{40}\.journal$/.test(entry.name)) names.push(entry.name.slice(0, 40));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const id of names) {
    let record: JobRecord;
    try {
      record = await readJob(stateDir, id);
    } catch (error) {
      if (error instanceof UnsafeStateError) throw error;
      continue;
    }
    if (record.status === "Pending" || record.status === "Running") {
      await writeJob(stateDir, interruptedJob(withJournal(record, await readJournal(stateDir, id))));
    }
    await removeJournal(stateDir, id);
  }
}
