/**
 * Lines appended as they come (src/output/lineAppender.ts): written at once, in order, at the end of
 * the file as it is then (a truncation meanwhile is written after, never over); synced within the
 * interval; a failed write is reported once, never thrown.
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

/** Until `ok`, for at most `ms`. */
async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return ok();
}

Deno.test("appendLines: each line written as it comes, in order (no waiting for a batch); close writes the rest", async () => {
  await withFile(async (path) => {
    const lines = appendLines(await Deno.open(path, { append: true, create: true }), { syncMs: 60_000 });
    lines.add("one");
    lines.add("two");
    // Written long before the sync interval: a kill now would lose neither.
    assert.ok(await until(() => read(path) === "one\ntwo\n", 2000), read(path));
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
    const lines = appendLines(await Deno.open(path, { append: true }), {});
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
    const lines = appendLines(await Deno.open(path, { read: true }), { syncMs: 10 });
    lines.add("a");
    await lines.flush();
    assert.ok(lines.problem());
    lines.add("b");
    await lines.close();
    assert.equal(read(path), "");
  });
});
