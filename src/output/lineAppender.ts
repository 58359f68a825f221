/**
 * Lines appended to an open file as they come: each line added is written at once (lines added
 * while a write is in flight go together in the next one), so once written it survives the process
 * being killed (the kernel has it); with `syncMs`, what was written is also flushed to the disk
 * (fdatasync) within that long, so a crash of the machine loses at most the last `syncMs`. One
 * write or sync at a time, in the order added. A write that fails is remembered (`problem`) and the
 * lines after it are dropped: the caller's work goes on, and it reports the problem once.
 *
 * The file is opened by the caller, in append mode (O_APPEND): every write lands at the end of the
 * file as it is then, so a file truncated meanwhile (logrotate's copytruncate) is simply written
 * from its new end, never at an old offset (open(2), O_APPEND).
 */
import { messageOf } from "../unknown.ts";

export interface LineAppender {
  /** Queues one line (without its line feed); it is written as soon as the write before it is done. */
  add(line: string): void;
  /** Writes and syncs everything added so far, and waits for it. */
  flush(): Promise<void>;
  /** flush, then closes the file. */
  close(): Promise<void>;
  /** Why a write failed (the lines from then on were dropped), or undefined. */
  problem(): string | undefined;
}

export function appendLines(file: Deno.FsFile, options: { syncMs?: number }): LineAppender {
  const encoder = new TextEncoder();
  let waiting: string[] = [];
  let busy: Promise<void> | undefined;
  let unsynced = false;
  let syncDue = false;
  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  let problem: string | undefined;

  async function work(): Promise<void> {
    while (problem === undefined && (waiting.length > 0 || syncDue)) {
      try {
        // A sync that is due goes first: a steady stream of lines must not put it off.
        if (syncDue) {
          syncDue = false;
          unsynced = false;
          await file.syncData();
        } else {
          const bytes = encoder.encode(waiting.join("\n") + "\n");
          waiting = [];
          for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
          unsynced = true;
          scheduleSync();
        }
      } catch (error) {
        problem = messageOf(error);
      }
    }
    if (problem !== undefined) waiting = [];
  }
  function pump(): Promise<void> {
    busy ??= work().finally(() => {
      busy = undefined;
      if (problem === undefined && (waiting.length > 0 || syncDue)) void pump();
    });
    return busy;
  }
  function scheduleSync(): void {
    if (options.syncMs === undefined || syncTimer !== undefined) return;
    syncTimer = setTimeout(() => {
      syncTimer = undefined;
      syncDue = true;
      void pump();
    }, options.syncMs);
  }
  async function flush(): Promise<void> {
    while (busy !== undefined || (problem === undefined && waiting.length > 0)) await pump();
    clearTimeout(syncTimer);
    syncTimer = undefined;
    if (options.syncMs !== undefined && unsynced && problem === undefined) {
      syncDue = true;
      await pump();
    }
  }
  return {
    add(line) {
      if (problem !== undefined) return;
      waiting.push(line);
      void pump();
    },
    flush,
    async close() {
      try {
        await flush();
      } finally {
        file.close();
      }
    },
    problem: () => problem,
  };
}
