/**
 * Big text (the users and plan tables of a 100k-user first sync: ~28 MB) goes to the Output in
 * batches of lines, so it is never one string nor one encoded buffer.
 */
import type { Output } from "./output.ts";

/**
 * Writes `lines` with one `output.out` per `batch` lines (joined with "\n"; out() adds the last
 * newline): the bytes are those of `output.out([...lines].join("\n"))`, an empty `lines` included.
 */
export function writeLines(output: Output, lines: Iterable<string>, batch = 1000): void {
  const size = Math.max(1, Math.floor(batch));
  let chunk: string[] = [];
  let wrote = false;
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length >= size) {
      output.out(chunk.join("\n"));
      wrote = true;
      chunk = [];
    }
  }
  if (chunk.length > 0 || !wrote) output.out(chunk.join("\n"));
}
