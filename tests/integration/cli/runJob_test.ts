/**
 * runSyncJob against the emulator: the job record written before the first step, the journal of
 * its steps as the run goes (on the disk within a second), and what -j then shows and the exit code
 * says.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ExitCode } from "../../../src/errors.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { jobAsSeen, readJob } from "../../../src/state/jobStore.ts";
import { readJournal } from "../../../src/state/journal.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { readLoginTC } from "../../../src/sync/readLoginTC.ts";
import { renderJob, renderJobCreated } from "../../../src/report/renderJob.ts";
import { runSyncJob, syncExitCode } from "../../../src/cli/runJob.ts";
import { withTempDir } from "../../support/tempDir.ts";
import { withClient } from "../../support/emulated.ts";
import { dirUser } from "../../support/syncModel.ts";

Deno.test("runSyncJob: the job record follows the run (Running → Failed on a step failure) and -j reads it", async () => {
  await withClient({}, async (emu, api) => {
    await withTempDir("logintc-job-", async (stateDir) => {
      emu.seedUser({ username: "gone", name: "Gone", email: "gone@x.com" });
      const dir = [dirUser("ok"), dirUser("bad", { email: "not-an-email" })];
      const options = { syncMode: "remove", syncTokenMode: "do_not_issue_token", maxRemoveLimit: 0 } as const;
      const state = await readLoginTC(api, emu.domainId, dir);
      const checked = applyGuards(planSync(dir, state, options), {
        maxRemoveLimit: 0,
        directoryCount: 2,
        memberCount: state.members.length,
        baseDn: "dc=x",
        filter: "(uid=*)",
      });
      const jobFile = (id: string) => join(stateDir, "jobs", `${id}.json`);
      const seen: string[] = [];
      const at = new Date("2024-01-31T12:00:00Z");
      const outcome = await runSyncJob(checked, api, {
        stateDir,
        options,
        onCreated: (job) =>
          seen.push(renderJobCreated(job), JSON.parse(Deno.readTextFileSync(jobFile(job.id))).status),
      }, { now: () => at, newId: () => "c".repeat(40) });
      assert.deepEqual(seen, [`Async Job created with id: ${"c".repeat(40)}`, "Pending"]);
      assert.equal(outcome.path, jobFile("c".repeat(40)));
      const job = await readJob(stateDir, "c".repeat(40));
      assert.equal(job.status, "Failed");
      assert.equal(job.actionsTotal, 4); // 2 creates + 2 adds; bad: create failed, add skipped; removal withheld
      assert.equal(job.actionsCompleted, 2);
      assert.equal(job.withheld, 1);
      assert.equal(job.failures.length, 1);
      assert.equal(job.failures[0].username, "bad");
      assert.equal(syncExitCode(checked, outcome.result), ExitCode.PARTIAL);
      assert.equal(syncExitCode(checked, { done: [], failed: [], notAttempted: [] }), ExitCode.GUARD);
      assert.match(renderJob(job), /^Job Status: Failed$/m);
      assert.match(renderJob(job), /^Job Actions \(approx\.\): 2 of 4$/m);
    });
  });
});

Deno.test("runSyncJob: each step is in the journal within a second; -j reads it while Running; the final record takes it in", async () => {
  await withClient({}, async (emu, api) => {
    await withTempDir("logintc-job-", async (stateDir) => {
      const dir = Array.from({ length: 60 }, (_, i) => dirUser(`p${String(i).padStart(3, "0")}`));
      const options = {
        syncMode: "add_only",
        syncTokenMode: "do_not_issue_token",
        maxRemoveLimit: 0,
      } as const;
      const checked = applyGuards(planSync(dir, await readLoginTC(api, emu.domainId, dir), options), {
        maxRemoveLimit: 0,
        directoryCount: dir.length,
        memberCount: 0,
        baseDn: "dc=x",
        filter: "(uid=*)",
      });
      // The 21st create is held until the test lets it go: 20 creates made, then the run waits.
      let release = () => {};
      emu.addFault({ method: "POST", path: "/users", nth: 21, hold: new Promise<void>((r) => release = r) });
      const id = "a".repeat(40);
      const running = runSyncJob(checked, api, { stateDir, options, concurrency: 1 }, {
        now: () => new Date(),
        newId: () => id,
      });
      try {
        const deadline = Date.now() + 20_000;
        while (emu.users().length < 20) {
          assert.ok(Date.now() < deadline, "20 creates");
          await new Promise((r) => setTimeout(r, 10));
        }
        // Within about a second of the 20th create, its outcome is on the disk.
        const made = Date.now();
        let entries = await readJournal(stateDir, id);
        while ((entries?.length ?? 0) < 20 && Date.now() - made < 1500) {
          await new Promise((r) => setTimeout(r, 20));
          entries = await readJournal(stateDir, id);
        }
        assert.equal(entries?.length, 20, `after ${Date.now() - made} ms`);
        assert.deepEqual(entries?.map((e) => `${e.outcome} ${e.username} ${e.action}`).slice(-1), [
          "done p019 create",
        ]);
        const seen = await jobAsSeen(stateDir, await readJob(stateDir, id));
        // The test process holds no lock: the job shows Interrupted, with the 20 actions made.
        assert.equal(seen.actionsCompleted, 20);
        assert.equal(seen.done?.length, 20);
      } finally {
        release();
      }
      const outcome = await running;
      assert.equal(outcome.job.status, "Completed");
      assert.equal(outcome.journalProblem, undefined);
      const record = await readJob(stateDir, id);
      assert.equal(record.actionsCompleted, 120);
      assert.equal(record.done, undefined, "a job that ran its whole plan does not name every action");
      // The journal is gone; only the record is left (no temp file either).
      assert.deepEqual([...Deno.readDirSync(join(stateDir, "jobs"))].map((e) => e.name), [`${id}.json`]);
    });
  });
});
