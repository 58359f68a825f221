/**
 * `-j` of a job whose record still says Pending or Running: is its run still going? The run holds
 * the state directory's lock while it works and names its job in the lock's owner file before the
 * record first exists (src/sync/runJob.ts), so the job is running only when the owner file names
 * it AND the lock is held. Otherwise the run ended without finishing the record (kill -9, crash,
 * reboot): the job is shown as Interrupted, with the progress the run last recorded.
 */
import { interruptedJob, type JobRecord } from "./jobRecord.ts";
import { OWNER_FILE, probeLock, readOwner } from "./lock.ts";
import { statePath } from "./stateDir.ts";

export async function jobAsSeen(stateDir: string, job: JobRecord): Promise<JobRecord> {
  if (job.status !== "Pending" && job.status !== "Running") return job;
  // The owner file first: the lock is probed (taken for an instant when free) only when it
  // could be this job's, so `-j` of old records never gets in a starting run's way.
  const owner = await readOwner(statePath(stateDir, [OWNER_FILE]));
  if (owner?.job !== job.id) return interruptedJob(job);
  const lock = await probeLock(stateDir);
  return lock.held && lock.owner?.job === job.id ? job : interruptedJob(job);
}
