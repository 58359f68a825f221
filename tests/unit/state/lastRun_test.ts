/** last-run.json (src/state/lastRun.ts): the last run, the last success kept across failures; absent or damaged is unknown. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type LastRun,
  nextLastRun,
  readLastRun,
  type RunSeen,
  writeLastRun,
} from "../../../src/state/lastRun.ts";

const run = (end: string, exitCode: number, status: RunSeen["status"]): RunSeen => ({
  start: end,
  end,
  exitCode,
  jobId: status === null ? null : "a".repeat(40),
  status,
});

Deno.test("last run: a completed job is a success (exit 0, 3 or 5); a failed one keeps the last success", () => {
  const ok = run("2026-12-01T02:15:00.000Z", 3, "Completed");
  const first = nextLastRun(undefined, ok);
  assert.deepEqual(first, { format: 1, lastRun: ok, lastSuccess: ok });
  const failed = run("2026-12-02T02:15:00.000Z", 4, "Failed");
  assert.deepEqual(nextLastRun(first, failed), { format: 1, lastRun: failed, lastSuccess: ok });
  const noJob = run("2026-12-03T02:15:00.000Z", 1, null);
  assert.deepEqual(nextLastRun(undefined, noJob).lastSuccess, null);
});

Deno.test("last run: written 0600 and read back; missing or damaged reads as unknown", async () => {
  const dir = await Deno.makeTempDir({ prefix: "logintc-lastrun-" });
  try {
    assert.equal(await readLastRun(dir), undefined);
    const value: LastRun = nextLastRun(undefined, run("2026-12-01T02:15:00.000Z", 0, "Completed"));
    await writeLastRun(dir, value);
    assert.deepEqual(await readLastRun(dir), value);
    if (Deno.build.os !== "windows") {
      assert.equal(Deno.statSync(join(dir, "last-run.json")).mode! & 0o777, 0o600);
    }
    for (const text of ["{", '{"format":1}', '{"format":2,"lastRun":{},"lastSuccess":null}']) {
      await Deno.writeTextFile(join(dir, "last-run.json"), text);
      assert.equal(await readLastRun(dir), undefined, text);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
