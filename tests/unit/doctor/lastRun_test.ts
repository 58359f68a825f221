/** --doctor's state.last-run (src/doctor/lastRun.ts): none yet, recent, and no success for 2 days. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkLastRun } from "../../../src/doctor/lastRun.ts";
import { escapeText } from "../../../src/output/escape.ts";
import { nextLastRun, writeLastRun } from "../../../src/state/lastRun.ts";

Deno.test("doctor state.last-run: nothing yet is fine; a recent success ok; none for over 2 days a warning", async () => {
  const dir = await Deno.makeTempDir({ prefix: "logintc-doctor-" });
  try {
    const now = new Date("2026-12-04T08:00:00Z");
    const deps = { env: () => undefined, now: () => now };
    const where = { stateDir: dir, configPath: join(dir, "config.cfg") };
    assert.deepEqual(await checkLastRun(where, deps), {
      id: "state.last-run",
      status: "ok",
      // Shown escaped: on Windows "C:\\users" would read as a \u escape otherwise.
      detail: `no sync run recorded in ${escapeText(dir)} yet`,
      fix: null,
    });
    const good = {
      start: "2026-12-04T02:15:00Z",
      end: "2026-12-04T02:15:09Z",
      exitCode: 0,
      jobId: "b".repeat(40),
      status: "Completed" as const,
    };
    await writeLastRun(dir, nextLastRun(undefined, good));
    const recent = await checkLastRun(where, deps);
    assert.equal(recent.status, "ok");
    assert.equal(
      recent.detail,
      `last run ended 6 h ago (2026-12-04T02:15:09Z), exit 0, job ${
        "b".repeat(40)
      }; last success 6 h ago (2026-12-04T02:15:09Z)`,
    );
    const later = {
      ...good,
      start: "2026-12-07T02:15:00Z",
      end: "2026-12-07T02:15:01Z",
      exitCode: 1,
      jobId: null,
      status: null,
    };
    await writeLastRun(dir, nextLastRun(nextLastRun(undefined, good), later));
    const stale = await checkLastRun(where, { ...deps, now: () => new Date("2026-12-07T03:00:00Z") });
    assert.equal(stale.status, "warn");
    assert.match(stale.detail, /^last run ended 45 min ago \(.*\), exit 1; last success 3 day\(s\) ago/);
    assert.match(stale.fix!, /^no sync has completed its job for over 2 days/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
