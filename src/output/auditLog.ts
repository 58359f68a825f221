/**
 * The audit trail's file (--audit-log, [sync] audit_log): JSON lines appended, never rewritten.
 * Opened once per run in append mode (O_APPEND), created 0600 when absent (an existing file keeps the
 * mode its owner gave it, say for a log shipper's group): every write lands at the file's end as it
 * is then, and no offset is kept, so logrotate may copy and truncate it (copytruncate) or move it and
 * let the next run create it afresh (create). Lines are synced in batches (./lineAppender.ts).
 */
import { ConfigError } from "../errors.ts";
import { escapeText, stringifyJson } from "./escape.ts";
import { appendLines } from "./lineAppender.ts";
import { messageOf } from "../unknown.ts";

const FLUSH_MS = 500;

export interface AuditLog {
  /** One line: the object as JSON (every control and bidi character escaped). */
  add(entry: object): void;
  close(): Promise<void>;
  /** Why a line could not be written, or undefined. */
  problem(): string | undefined;
}

/**
 * `label` names where the path came from in the message: `--audit-log` or `[sync] audit_log`. A file
 * it cannot open is a bad value (ConfigError, exit 2: one line, nothing read or written yet).
 */
export async function openAuditLog(path: string, label: string): Promise<AuditLog> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { append: true, create: true, mode: 0o600 });
  } catch (error) {
    throw new ConfigError([`${label}: cannot open ${escapeText(path)} for appending: ${fileProblem(error)}`]);
  }
  const lines = appendLines(file, { flushMs: FLUSH_MS, sync: true });
  return {
    add: (entry) => lines.add(stringifyJson(entry)),
    close: () => lines.close(),
    problem: lines.problem,
  };
}

/** Why a file named by the admin cannot be opened, in a few words (the path is in the message). */
export function fileProblem(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "its folder does not exist";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "it is a folder";
  return escapeText(messageOf(error));
}
