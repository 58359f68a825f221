/**
 * End to end, the real CLI against slapd + the LoginTC emulator: the job record a sync leaves and
 * `-j <id>` (the guide's lines), where records live (--state-dir, LOGINTC_SYNC_STATE_DIR, the
 * config's directory). The lock: ./lock_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { API_KEY, BIND_PASSWORD, describe, jobIdOf, secretLeaks, withWorld } from "../support/world.ts";
import { escapeText } from "../../src/output/escape.ts";

const USERS = [
  { uid: "alice", displayName: "Alice", mail: "alice@example.com" },
  { uid: "bob", displayName: "Bob", mail: "bob@example.com" },
];

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/;

Deno.test("job record and -j", async (t) => {
  await withWorld({ users: USERS }, async (w) => {
    let id = "";
    await t.step("the sync prints the job id; -j <id> prints the guide's lines", async () => {
      await w.dryRun([]);
      const sync = await w.run(["-t", "issue_token_without_email"]);
      assert.equal(sync.code, 0, describe(sync));
      id = jobIdOf(sync.stdout);
      assert.ok(
        sync.stdout.endsWith(
          `Async Job created with id: ${id}\nStatus: Completed. Completed 6 of 6 action(s) (approx.).\n` +
            "Job completed successfully.\n",
        ),
        describe(sync),
      );

      const job = await w.run(["-j", id]);
      assert.equal(job.code, 0, describe(job));
      assert.equal(job.stderr, "");
      const lines = job.stdout.trimEnd().split("\n");
      const [created, started, completed] = lines.slice(3, 6).map((l) => l.replace(/^Job Date \w+: /, ""));
      for (const stamp of [created, started, completed]) assert.match(stamp, STAMP);
      assert.deepEqual(lines, [
        `Job ID: ${id}`,
        "Job Type: SyncUsersJob",
        "Job Status: Completed",
        `Job Date Created: ${created}`,
        `Job Date Started: ${started}`,
        `Job Date Completed: ${completed}`,
        "Job Actions (approx.): 6 of 6",
        "Job Error Code:",
        "Job Error Message:",
        "Job Mode: -m add_only -t issue_token_without_email -r 0",
        "Job Steps: createUser 2, addToDomain 2, issueToken 2",
        "Job Withheld: 0",
        "Job Skipped: 0",
        "Job Failed: 0",
        "Job Not Attempted: 0",
      ]);
      // The id is accepted in upper case too (copied from a ticket, say).
      const upper = await w.run(["-j", id.toUpperCase()]);
      assert.equal(upper.code, 0, describe(upper));
      assert.equal(upper.stdout, job.stdout);
      // -j reads no directory and calls no LoginTC.
      assert.doesNotMatch(job.stdout, /Fetching users/);
    });

    await t.step("unknown id: exit 2 and where it looked", async () => {
      const requests = w.emulator.requests.length;
      const unknown = "f".repeat(40);
      const r = await w.run(["-j", unknown]);
      assert.equal(r.code, 2, describe(r));
      assert.equal(r.stdout, "");
      assert.ok(
        r.stderr.startsWith(
          `error: -j/--job-status: no job ${unknown}: ${
            escapeText(join(w.dir, "jobs", `${unknown}.json`))
          } does not exist.`,
        ),
        describe(r),
      );
      assert.match(r.stderr, /--state-dir or LOGINTC_SYNC_STATE_DIR/);
      const malformed = await w.run(["-j", "not-an-id"]);
      assert.equal(malformed.code, 2, describe(malformed));
      assert.match(malformed.stderr, /^error: .*job-status.*not-an-id.*job id/m);
      assert.equal(malformed.stdout, "");
      assert.equal(w.emulator.requests.length, requests);
    });

    await t.step("--state-dir and LOGINTC_SYNC_STATE_DIR: where records are written and read", async () => {
      const flagDir = join(w.dir, "state-flag");
      const envDir = join(w.dir, "state-env");
      const bob = w.user("bob")!;
      w.emulator.seedUser({ username: "carol", name: "Carol", email: "carol@example.com" }); // to remove

      const byFlag = await w.run(["-m", "remove", "-r", "1", "--state-dir", flagDir]);
      assert.equal(byFlag.code, 0, describe(byFlag));
      const flagId = jobIdOf(byFlag.stdout);
      assert.ok(Deno.statSync(join(flagDir, "jobs", `${flagId}.json`)).isFile);
      // Not in the config's directory; readable with the flag or the variable, not without.
      assert.equal((await w.run(["-j", flagId])).code, 2);
      const viaFlag = await w.run(["-j", flagId, "--state-dir", flagDir]);
      assert.equal(viaFlag.code, 0, describe(viaFlag));
      assert.match(viaFlag.stdout, /^Job Steps: removeFromDomain 1$/m);
      const viaEnv = await w.run(["-j", flagId], { env: { LOGINTC_SYNC_STATE_DIR: flagDir } });
      assert.equal(viaEnv.code, 0, describe(viaEnv));
      assert.equal(viaEnv.stdout, viaFlag.stdout);

      // The variable alone decides where a sync writes; the flag outranks it.
      w.emulator.seedUser({ username: "dan", name: "Dan", email: "dan@example.com" });
      const byEnv = await w.run(["-m", "remove", "-r", "1"], { env: { LOGINTC_SYNC_STATE_DIR: envDir } });
      assert.equal(byEnv.code, 0, describe(byEnv));
      const envId = jobIdOf(byEnv.stdout);
      assert.ok(Deno.statSync(join(envDir, "jobs", `${envId}.json`)).isFile);
      const flagWins = await w.run(["-j", envId, "--state-dir", flagDir], {
        env: { LOGINTC_SYNC_STATE_DIR: envDir },
      });
      assert.equal(flagWins.code, 2, describe(flagWins));
      assert.ok(
        flagWins.stderr.includes(`${escapeText(join(flagDir, "jobs", `${envId}.json`))} does not exist`),
        describe(flagWins),
      );

      // The first job is still where it was.
      assert.equal((await w.run(["-j", id])).code, 0);
      assert.deepEqual(w.memberNames(), ["alice", "bob"]);
      assert.equal(w.user("bob")!.id, bob.id);
    });
  });
});

Deno.test("the harness's secret scan finds a secret in any captured text", () => {
  const texts: [string, string][] = [["run 0 stdout", "ok"], ["run 1 stderr", `bind with ${BIND_PASSWORD}!`]];
  assert.deepEqual(secretLeaks(texts, [API_KEY, BIND_PASSWORD]), ["run 1 stderr: secret #1"]);
  assert.deepEqual(secretLeaks([["x", `key=${API_KEY}`]], [API_KEY]), ["x: secret #0"]);
  assert.deepEqual(secretLeaks(texts.slice(0, 1), [API_KEY, BIND_PASSWORD]), []);
});
