/**
 * Lines appended to an open file in batches: a line added is written (with the others waiting)
 * within `flushMs`, and with `sync` the batch is flushed to the disk (fdatasync) before the next
 * one, so what was added more than about `flushMs` ago survives a kill and, synced, a crash. One
 * write at a time, in the order added. A write that fails is remembered (`problem`) and the lines
 * after it are dropped: the caller's work goes on, and it reports the problem once.
 *
 * The file is opened by the caller, in append mode (O_APPEND): every write lands at the end of the
 * file as it is then, so a file truncated meanwhile (logrotate's copytruncate) is simply written
 * from its new end, never at an old offset (open(2), O_APPEND).
 */
import { messageOf } from "../unknown.ts";

export interface LineAppender {
  /** Queues one line (without its line feed). */
  add(line: string): void;
  /** Writes (and syncs) everything added so far, and waits for it. */
  flush(): Promise<void>;
  /** flush, then closes the file. */
  close(): Promise<void>;
  /** Why a write failed (the lines from then on were dropped), or undefined. */
  problem(): string | undefined;
}

export function appendLines(file: Deno.FsFile, options: { flushMs: number; sync: boolean }): LineAppender {
  const encoder = new TextEncoder();
  let waiting: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> | undefined;
  let problem: string | undefined;

  async function writeOut(): Promise<void> {
    while (waiting.length > 0 && problem === undefined) {
      const bytes = encoder.encode(waiting.join("\n") + "\n");
      waiting = [];
      try {
        for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
        if (options.sync) await file.syncData();
      } catch (error) {
        problem = messageOf(error);
      }
    }
    waiting = problem === undefined ? waiting : [];
  }
  function start(): Promise<void> {
    writing ??= writeOut().finally(() => {
      writing = undefined;
      if (waiting.length > 0) schedule();
    });
    return writing;
  }
  function schedule(): void {
    if (timer !== undefined || writing !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void start();
    }, options.flushMs);
  }
  async function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    while (writing !== undefined || (waiting.length > 0 && problem === undefined)) await start();
  }
  return {
    add(line) {
      if (problem !== undefined) return;
      waiting.push(line);
      schedule();
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
