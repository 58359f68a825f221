/**
 * A job's journal: `<stateDir>/jobs/<id>.journal`, one JSON line per step as it finishes (its
 * outcome, who, which action, why), appended and synced to the disk in batches about every half
 * second, so what a run did survives a kill within about a second of happening. The record itself
 * (`<id>.json`, src/state/jobStore.ts) is written when the job starts and when it ends; in between,
 * `-j` reads the record and its journal together (withJournal, src/state/jobRecord.ts). The journal
 * is compacted into the record: by the run, when it writes the final record, and by the next run for
 * a run that was killed (compactJournals, ./jobStore.ts). Opened and created through the state
 * folder's primitives (src/state/stateFiles.ts): 0600, never through a link.
 */
import { appendLines, type LineAppender } from "../output/lineAppender.ts";
import { stepLabel } from "../sync/stepKinds.ts";
import type { StepEvent } from "../sync/applyPlan.ts";
import { isObject } from "../unknown.ts";
import { statePath } from "./stateDir.ts";
import { openStateFile, readStateFile, removeStateFile } from "./stateFiles.ts";

/** Within this long of a step finishing, its line is on the disk. */
const FLUSH_MS = 500;

/** One line: a step's outcome. `reason` is the failure or why it was not attempted. */
export interface JournalEntry {
  /** ISO 8601 UTC, when the step finished. */
  at: string;
  outcome: StepEvent["outcome"];
  username: string;
  action: string;
  reason?: string;
}

export function journalPath(stateDir: string, id: string): string {
  return statePath(stateDir, ["jobs", `${id}.journal`]);
}

export interface Journal {
  record(event: StepEvent): void;
  /** Everything recorded is on the disk; the file is closed. */
  close(): Promise<void>;
  /** Why a line could not be written (the journal then stopped), or undefined. */
  problem(): string | undefined;
}

/** The job's journal, created empty (a leftover of the same id is appended to: ids are random). */
export async function openJournal(stateDir: string, id: string, now: () => Date): Promise<Journal> {
  const file = await openStateFile(journalPath(stateDir, id), { append: true, create: true });
  const lines: LineAppender = appendLines(file, { flushMs: FLUSH_MS, sync: true });
  return {
    record({ step, outcome, reason }) {
      const entry: JournalEntry = {
        at: now().toISOString(),
        outcome,
        username: step.username,
        action: stepLabel(step),
      };
      if (reason !== undefined) entry.reason = reason;
      lines.add(JSON.stringify(entry));
    },
    close: () => lines.close(),
    problem: lines.problem,
  };
}

/**
 * The journal's entries, or undefined when there is none. A line that is not an entry — the last one
 * cut short by a kill mid-write, say — is left out: it records nothing that can be trusted.
 */
export async function readJournal(stateDir: string, id: string): Promise<JournalEntry[] | undefined> {
  const text = await readStateFile(journalPath(stateDir, id));
  if (text === undefined) return undefined;
  const entries: JournalEntry[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (isEntry(entry)) entries.push(entry);
  }
  return entries;
}

function isEntry(x: unknown): x is JournalEntry {
  return isObject(x) && typeof x.at === "string" && !Number.isNaN(Date.parse(x.at)) &&
    typeof x.username === "string" &&
    typeof x.action === "string" && (x.reason === undefined || typeof x.reason === "string") &&
    (x.outcome === "done" || x.outcome === "failed" || x.outcome === "not-attempted");
}

export function removeJournal(stateDir: string, id: string): Promise<void> {
  return removeStateFile(journalPath(stateDir, id));
}
