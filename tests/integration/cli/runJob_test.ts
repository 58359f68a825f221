/**
 * runSyncJob against the emulator: the job record written before the first step, rewritten as
 * the run goes (by step count and by time), and what -j then shows and the exit code says.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ExitCode } from "../../../src/errors.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { readJob } from "../../../src/state/jobStore.ts";
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

Deno.test("runSyncJob: the Running record is rewritten with the steps made so far (every 100 steps or 2 s)", async () => {
  await withClient({}, async (emu, api) => {
    await withTempDir("logintc-job-", async (stateDir) => {
      const dir = Array.from({ length: 120 }, (_, i) => dirUser(`p${String(i).padStart(3, "0")}`));
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
      const record = (id: string) => JSON.parse(Deno.readTextFileSync(join(stateDir, "jobs", `${id}.json`)));
      const seen: { status: string; actionsCompleted: number; dtProgress: string }[] = [];
      // A frozen clock: only the step cadence applies. One request at a time, so the write made at
      // step 100 has long landed by step 190 (90 HTTPS round trips later).
      const frozen = new Date("2024-01-31T12:00:00Z");
      await runSyncJob(checked, api, {
        stateDir,
        options,
        concurrency: 1,
        onStep: ({ finished: done }) => {
          if (done === 90 || done === 190) {
            const { status, actionsCompleted, dtProgress } = record("a".repeat(40));
            seen.push({ status, actionsCompleted, dtProgress });
          }
        },
      }, { now: () => frozen, newId: () => "a".repeat(40) });
      assert.deepEqual(seen, [
        { status: "Running", actionsCompleted: 0, dtProgress: "" },
        { status: "Running", actionsCompleted: 100, dtProgress: "2024-01-31T12:00:00+0000" },
      ]);
      assert.equal(record("a".repeat(40)).status, "Completed");
      assert.equal(record("a".repeat(40)).actionsCompleted, 240);

      // A clock that moves 3 s per reading: the time cadence writes long before 100 steps.
      let t = Date.parse("2024-01-31T13:00:00Z");
      const dir2 = dir.map((u) => ({ ...u, name: `${u.name} Jr` }));
      const checked2 = applyGuards(planSync(dir2, await readLoginTC(api, emu.domainId, dir2), options), {
        maxRemoveLimit: 0,
        directoryCount: dir2.length,
        memberCount: dir2.length,
        baseDn: "dc=x",
        filter: "(uid=*)",
      });
      let early: number | undefined;
      await runSyncJob(checked2, api, {
        stateDir,
        options,
        concurrency: 1,
        onStep: ({ finished: done }) => {
          if (done === 50) early = record("b".repeat(40)).actionsCompleted;
        },
      }, { now: () => new Date(t += 3000), newId: () => "b".repeat(40) });
      assert.ok(early !== undefined && early > 0 && early < 50, `progress recorded by time: ${early}`);
      // Only the two records: no temp file left behind.
      assert.deepEqual([...Deno.readDirSync(join(stateDir, "jobs"))].map((e) => e.name).sort(), [
        `${"a".repeat(40)}.json`,
        `${"b".repeat(40)}.json`,
      ]);
    });
  });
});
