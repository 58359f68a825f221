/**
 * The job's journal (src/state/journal.ts): one line per step, read back with what a kill leaves
 * (a line cut short), 0600; and compaction into the record by the next run (compactJournals).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { finishJob, newJob, startJob } from "../../../src/state/jobRecord.ts";
import { compactJournals, jobAsSeen, readJob, writeJob } from "../../../src/state/jobStore.ts";
import { journalPath, openJournal, readJournal } from "../../../src/state/journal.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { dirUser, state } from "../../support/syncModel.ts";

const T0 = new Date("2026-12-02T10:00:00.000Z");
const OPTS = { syncMode: "add_only", syncTokenMode: "do_not_issue_token", maxRemoveLimit: 0 } as const;

function plan() {
  const users = ["ann", "bob", "cy"].map((u) => dirUser(u));
  const p = planSync(users, state([]), { syncMode: "add_only", syncTokenMode: "do_not_issue_token" });
  return applyGuards(p, { maxRemoveLimit: 0, directoryCount: 3, memberCount: 0, baseDn: "b", filter: "f" });
}

async function withStateDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "logintc-journal-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("journal: each step's outcome, read back in order; a line cut short by a kill is left out", async () => {
  await withStateDir(async (dir) => {
    const checked = plan();
    const [c0, c1, c2] = checked.plan.steps;
    const id = "e".repeat(40);
    await Deno.mkdir(join(dir, "jobs"));
    const journal = await openJournal(dir, id, () => T0);
    journal.record({ step: c0, outcome: "done", userId: "1", finished: 1, total: 6 });
    journal.record({ step: c1, outcome: "failed", reason: "400 Invalid email.", finished: 2, total: 6 });
    journal.record({ step: c2, outcome: "not-attempted", reason: "create failed", finished: 3, total: 6 });
    await journal.close();
    assert.equal(journal.problem(), undefined);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(journalPath(dir, id))).mode! & 0o777, 0o600);
    }
    await Deno.writeTextFile(journalPath(dir, id), '{"at":"2026-12-02T10:00:01Z","outc', { append: true });
    assert.deepEqual(await readJournal(dir, id), [
      { at: T0.toISOString(), outcome: "done", username: "ann", action: "create" },
      {
        at: T0.toISOString(),
        outcome: "failed",
        username: "bob",
        action: "create",
        reason: "400 Invalid email.",
      },
      {
        at: T0.toISOString(),
        outcome: "not-attempted",
        username: "cy",
        action: "create",
        reason: "create failed",
      },
    ]);
    assert.equal(await readJournal(dir, "f".repeat(40)), undefined);
  });
});

Deno.test("journal: -j reads a Running record with its journal; the next run compacts it into the record (Interrupted)", async () => {
  await withStateDir(async (dir) => {
    const checked = plan();
    const running = startJob(
      newJob({ now: () => T0, newId: () => "a".repeat(40) }, "d".repeat(40), OPTS),
      checked,
      T0,
    );
    await writeJob(dir, running);
    const journal = await openJournal(dir, running.id, () => T0);
    journal.record({ step: checked.plan.steps[0], outcome: "done", finished: 1, total: 6 });
    journal.record({ step: checked.plan.steps[1], outcome: "done", finished: 2, total: 6 });
    await journal.close();
    // A finished record with a journal left beside it (killed between its last two writes).
    const finished = finishJob(
      startJob(newJob({ now: () => T0, newId: () => "b".repeat(40) }, "d".repeat(40), OPTS), checked, T0),
      { done: checked.plan.steps, failed: [], notAttempted: [] },
      checked,
      T0,
    );
    await writeJob(dir, finished);
    await Deno.writeTextFile(journalPath(dir, finished.id), "");

    // No run holds the lock: -j shows it Interrupted, with the journal's two actions.
    const seen = await jobAsSeen(dir, await readJob(dir, running.id));
    assert.equal(seen.status, "Interrupted");
    assert.equal(seen.actionsCompleted, 2);
    assert.deepEqual(seen.done?.map((u) => u.username), ["ann", "bob"]);

    await compactJournals(dir);
    const compacted = await readJob(dir, running.id);
    assert.equal(compacted.status, "Interrupted");
    assert.equal(compacted.errorCode, "interrupted");
    assert.equal(compacted.actionsCompleted, 2);
    assert.equal(compacted.dtProgress, "2026-12-02T10:00:00+0000");
    assert.deepEqual(await readJob(dir, finished.id), finished);
    assert.deepEqual([...Deno.readDirSync(join(dir, "jobs"))].map((e) => e.name).sort(), [
      `${"a".repeat(40)}.json`,
      `${"b".repeat(40)}.json`,
    ]);
    // Nothing left to compact: a second pass changes nothing.
    await compactJournals(dir);
    assert.deepEqual(await readJob(dir, running.id), compacted);
  });
});

Deno.test("journal: compaction in a state directory without jobs/ does nothing", async () => {
  await withStateDir(async (dir) => {
    await compactJournals(dir);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});
