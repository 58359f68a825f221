/**
 * Lines appended in batches (src/output/lineAppender.ts): written within the flush interval, in
 * order, at the end of the file as it is then (a truncation meanwhile is written after, never over),
 * and a failed write is reported once, never thrown.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { appendLines } from "../../../src/output/lineAppender.ts";

async function withFile(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "logintc-lines-" });
  try {
    await fn(join(dir, "log"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const read = (path: string) => Deno.readTextFileSync(path);

Deno.test("appendLines: batched, in order, on the disk within the flush interval; close writes the rest", async () => {
  await withFile(async (path) => {
    const lines = appendLines(await Deno.open(path, { append: true, create: true }), {
      flushMs: 50,
      sync: true,
    });
    lines.add("one");
    lines.add("two");
    assert.equal(read(path), "", "not yet: batched");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(read(path), "one\ntwo\n");
    for (let i = 0; i < 1000; i++) lines.add(`line ${i}`);
    await lines.flush();
    assert.equal(read(path).split("\n").length, 1003);
    lines.add("last");
    await lines.close();
    assert.ok(read(path).endsWith("line 999\nlast\n"));
    assert.equal(lines.problem(), undefined);
  });
});

Deno.test("appendLines: a file truncated meanwhile (logrotate copytruncate) is written from its new end", async () => {
  await withFile(async (path) => {
    await Deno.writeTextFile(path, "old line\n");
    const lines = appendLines(await Deno.open(path, { append: true }), { flushMs: 10, sync: false });
    lines.add("a");
    await lines.flush();
    assert.equal(read(path), "old line\na\n");
    await Deno.truncate(path, 0);
    lines.add("b");
    await lines.close();
    assert.equal(read(path), "b\n", "no gap of zero bytes where the old offset was");
  });
});

Deno.test("appendLines: a write that fails is reported once; later lines are dropped, nothing throws", async () => {
  await withFile(async (path) => {
    await Deno.writeTextFile(path, "");
    // Opened for reading only: every write fails.
    const lines = appendLines(await Deno.open(path, { read: true }), { flushMs: 10, sync: true });
    lines.add("a");
    await lines.flush();
    assert.ok(lines.problem());
    lines.add("b");
    await lines.close();
    assert.equal(read(path), "");
  });
});
