/**
 * End to end, the real CLI against slapd + the LoginTC emulator: the job record a sync leaves and
 * `-j <id>` (the guide's lines), where records live (--state-dir, LOGINTC_SYNC_STATE_DIR, the
 * config's directory), and the lock that refuses a second run while one is going.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { API_KEY, BIND_PASSWORD, describe, jobIdOf, NOTHING_TO_DO, secretLeaks, withWorld } from "./world.ts";

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
          `Job created with id: ${id}\nStatus: Completed. Completed 6 of 6 action(s).\nJob completed successfully.\n`,
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
        "Job Actions: 6 of 6",
        "Job Error Code:",
        "Job Error Message:",
        "Job Mode: -m add_only -t issue_token_without_email -r 0",
        "Job Steps: createUser 2, addToDomain 2, issueToken 2",
        "Job Withheld: 0",
        "Job Skipped: 0",
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
            join(w.dir, "jobs", `${unknown}.json`)
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
        flagWins.stderr.includes(`${join(flagDir, "jobs", `${envId}.json`)} does not exist`),
        describe(flagWins),
      );

      // The first job is still where it was.
      assert.equal((await w.run(["-j", id])).code, 0);
      assert.deepEqual(w.memberNames(), ["alice", "bob"]);
      assert.equal(w.user("bob")!.id, bob.id);
    });
  });
});

Deno.test("a second run is refused while one holds the lock", async (t) => {
  await t.step("lock held by a live process: exit 3 with the holder, nothing read or written", async () => {
    await withWorld({ users: USERS }, async (w) => {
      const lock = join(w.dir, "logintc-sync.lock");
      const holder = JSON.stringify({
        pid: Deno.pid,
        hostname: Deno.hostname(),
        started: "2026-01-02T03:04:05+0000",
      });
      await Deno.writeTextFile(lock, holder + "\n");
      const r = await w.run(["-m", "delete", "-r", "9"]);
      assert.equal(r.code, 3, describe(r));
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: another logintc-sync run (pid ${Deno.pid} on host ${Deno.hostname()}, started ` +
          `2026-01-02T03:04:05+0000) holds ${lock}; if it is no longer running, delete the file\n`,
      );
      assert.equal(w.emulator.requests.length, 0);
      assert.equal(await Deno.readTextFile(lock), holder + "\n", "the holder's lock is left alone");
      // A dry run takes no lock: it still shows the plan.
      await w.dryRun([]);
    });
  });

  await t.step("two overlapping syncs: the second exits 3, the first completes alone", async () => {
    await withWorld({ users: USERS }, async (w) => {
      const domainPath = `/api/domains/${w.emulator.domainId}`;
      // The first run's first LoginTC call is held for a while: it holds the lock meanwhile.
      w.emulator.addFault({
        method: "GET",
        path: `/domains/${w.emulator.domainId}`,
        nth: 1,
        latencyMs: 3000,
      });
      const first = w.run(["-t", "issue_token_with_email"]);
      const deadline = Date.now() + 10_000;
      while (!w.emulator.requests.some((q) => q.path === domainPath)) {
        assert.ok(Date.now() < deadline, "the first run reached LoginTC");
        await new Promise((r) => setTimeout(r, 20));
      }
      const second = await w.run(["-t", "issue_token_with_email"]);
      assert.equal(second.code, 3, describe(second));
      assert.match(
        second.stderr,
        /^error: another logintc-sync run \(pid \d+ on host .*\) holds .*logintc-sync\.lock;/,
      );
      assert.equal(second.stdout, "");

      const done = await first;
      assert.equal(done.code, 0, describe(done));
      // Only the first run talked to LoginTC: one domain check, one create per user.
      assert.equal(w.emulator.requests.filter((q) => q.path === domainPath).length, 1);
      assert.deepEqual(w.writesSince(0).filter((r) => r === "POST /api/users").length, 2);
      assert.deepEqual(w.emulator.activationEmails.map((e) => e.username).sort(), ["alice", "bob"]);
      // Released: the next run goes ahead.
      const after = await w.run(["-t", "issue_token_with_email"]);
      assert.equal(after.code, 0, describe(after));
      assert.ok(after.stdout.includes(NOTHING_TO_DO), describe(after));
    });
  });

  await t.step(
    "a lock whose process is gone: refused until the admin deletes it (no /proc probe)",
    async () => {
      // The CLI runs with the shipped permissions (src/cli/permissions.ts), under which Deno refuses
      // /proc: it cannot tell a dead holder from a live one, so it never takes a lock over.
      await withWorld({ users: USERS }, async (w) => {
        // A process that has exited: its pid is free (deno itself: there is no `true` on Windows).
        const dead = new Deno.Command(Deno.execPath(), { args: ["--version"], stdout: "null" }).spawn();
        const pid = dead.pid;
        await dead.status;
        const lock = join(w.dir, "logintc-sync.lock");
        await Deno.writeTextFile(
          lock,
          JSON.stringify({ pid, hostname: Deno.hostname(), started: "2026-01-02T03:04:05+0000" }) + "\n",
        );
        const r = await w.run([]);
        assert.equal(r.code, 3, describe(r));
        assert.match(r.stderr, /; if it is no longer running, delete the file\n$/);
        assert.equal(w.emulator.requests.length, 0);
        await Deno.remove(lock);
        const after = await w.run([]);
        assert.equal(after.code, 0, describe(after));
        assert.equal(after.stderr, "");
        assert.deepEqual(w.memberNames(), ["alice", "bob"]);
        await assert.rejects(Deno.stat(lock), Deno.errors.NotFound);
      });
    },
  );
});

Deno.test("the harness's secret scan finds a secret in any captured text", () => {
  const texts: [string, string][] = [["run 0 stdout", "ok"], ["run 1 stderr", `bind with ${BIND_PASSWORD}!`]];
  assert.deepEqual(secretLeaks(texts, [API_KEY, BIND_PASSWORD]), ["run 1 stderr: secret #1"]);
  assert.deepEqual(secretLeaks([["x", `key=${API_KEY}`]], [API_KEY]), ["x: secret #0"]);
  assert.deepEqual(secretLeaks(texts.slice(0, 1), [API_KEY, BIND_PASSWORD]), []);
});
