/**
 * `<stateDir>/last-run.json`: when the last real run started and ended, its exit code, its job, and
 * the last run that succeeded (its job completed: every planned step made; exit 0, 3 or 5). Written
 * at the end of every real run that held the lock (so a run refused by the lock never overwrites it),
 * through the state folder's writer (src/state/stateFiles.ts, 0600). Read by `--doctor` (the last
 * run's age and exit code) and by the metrics (the last success, which a failed run keeps).
 *
 * Absent is unknown: a missing or unreadable file means no run is known, never an error.
 */
import type { JobStatus } from "./jobRecord.ts";
import { statePath } from "./stateDir.ts";
import { readStateFile, writeStateFile } from "./stateFiles.ts";
import { isObject } from "../unknown.ts";

export const LAST_RUN_FILE = "last-run.json";

export interface RunSeen {
  /** ISO 8601 UTC. */
  start: string;
  end: string;
  exitCode: number;
  jobId: string | null;
  status: JobStatus | null;
}

export interface LastRun {
  format: 1;
  lastRun: RunSeen;
  /** The last run whose job completed; null when none is known. */
  lastSuccess: RunSeen | null;
}

/** A run succeeded when its job completed (withheld removals and features this LoginTC lacks included). */
export function succeeded(run: RunSeen): boolean {
  return run.status === "Completed";
}

/** The next file's content: this run, and the last success (this one, or the one before). */
export function nextLastRun(previous: LastRun | undefined, run: RunSeen): LastRun {
  return { format: 1, lastRun: run, lastSuccess: succeeded(run) ? run : previous?.lastSuccess ?? null };
}

export async function readLastRun(stateDir: string): Promise<LastRun | undefined> {
  let text: string | undefined;
  try {
    text = await readStateFile(statePath(stateDir, [LAST_RUN_FILE]));
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text);
    return isLastRun(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function writeLastRun(stateDir: string, value: LastRun): Promise<void> {
  await writeStateFile(statePath(stateDir, [LAST_RUN_FILE]), JSON.stringify(value, null, 2) + "\n");
}

function isRun(x: unknown): x is RunSeen {
  return isObject(x) && typeof x.start === "string" && !Number.isNaN(Date.parse(x.start)) &&
    typeof x.end === "string" && !Number.isNaN(Date.parse(x.end)) && typeof x.exitCode === "number" &&
    (x.jobId === null || typeof x.jobId === "string") && (x.status === null || typeof x.status === "string");
}

function isLastRun(x: unknown): x is LastRun {
  return isObject(x) && x.format === 1 && isRun(x.lastRun) &&
    (x.lastSuccess === null || isRun(x.lastSuccess));
}
