/**
 * End to end, the real CLI against slapd + the LoginTC emulator when things go wrong: one user's
 * create rejected (exit 4, the others done, the failure on stderr and in the job record), a wrong
 * api_key and a wrong domain_id (exit 1, nothing written).
 */
import assert from "node:assert/strict";
import { createRejected, describe, jobIdOf, NOTHING_TO_DO, withWorld } from "../support/world.ts";

const USERS = ["alice", "bob", "carol", "dave"].map((uid) => ({
  uid,
  displayName: uid[0].toUpperCase() + uid.slice(1),
  mail: `${uid}@example.com`,
}));

Deno.test("partial failure: one user's create answered 400 → exit 4, the others done, reported", async () => {
  await withWorld({ users: USERS }, async (w) => {
    w.emulator.seedUser({ username: "leaver", name: "Leaver", email: "leaver@example.com" });
    // One request at a time, so the 2nd POST /users is bob's (creates run in username order).
    const args = ["-m", "remove", "-r", "1", "-t", "issue_token_with_email", "--concurrency", "1"];
    await w.dryRun(args);
    w.emulator.addFault(createRejected(2));

    const sync = await w.run(args);
    assert.equal(sync.code, 4, describe(sync));
    const creates = w.emulator.requests.filter((q) => q.method === "POST" && q.path === "/api/users");
    assert.deepEqual(creates.map((q) => [JSON.parse(q.body).username, q.status]), [
      ["alice", 200],
      ["bob", 400],
      ["carol", 200],
      ["dave", 200],
    ]);
    assert.deepEqual(w.memberNames(), ["alice", "carol", "dave"]);
    assert.equal(w.user("bob"), undefined);
    assert.deepEqual(w.emulator.activationEmails.map((e) => e.username).sort(), ["alice", "carol", "dave"]);
    assert.equal(w.user("leaver")!.domains?.length, 0, "the removal still ran");

    const failure = "LoginTC Admin answered POST /api/users with 400 api.error.validation: Invalid email.";
    assert.equal(
      sync.stderr,
      [
        `error: bob: create: ${failure}`,
        `skipped: bob: add to domain: create failed: ${failure}`,
        `skipped: bob: issue token: create failed: ${failure}`,
        "",
      ].join("\n"),
    );
    assert.match(sync.stdout, /^Status: Failed\. Completed 10 of 13 action\(s\) \(approx\.\)\.$/m);
    assert.ok(
      sync.stdout.includes(`Job failed: 1 action(s) failed, 2 skipped; first: bob create: ${failure}`),
      describe(sync),
    );

    // The job record says the same.
    const id = jobIdOf(sync.stdout);
    const job = await w.run(["-j", id]);
    assert.equal(job.code, 0, describe(job));
    assert.match(job.stdout, /^Job Status: Failed$/m);
    assert.match(job.stdout, /^Job Actions \(approx\.\): 10 of 13$/m);
    assert.match(job.stdout, /^Job Error Code: steps-failed$/m);
    // -j names who, with the reason: the failed create and the two steps not attempted after it.
    assert.ok(
      job.stdout.endsWith(
        [
          "Job Withheld: 0",
          "Job Skipped: 0",
          "Job Failed: 1",
          `  bob create: ${failure}`,
          "Job Not Attempted: 2",
          `  bob add to domain: create failed: ${failure}`,
          `  bob issue token: create failed: ${failure}`,
          "",
        ].join("\n"),
      ),
      describe(job),
    );

    // The next run picks up what is left.
    const left = await w.dryRun(args);
    assert.match(
      left.stdout,
      /^Plan: 1 to create, 0 to update, 1 to add to domain, 1 token\(s\) to issue, 0 to remove$/m,
    );
    const retry = await w.run(args);
    assert.equal(retry.code, 0, describe(retry));
    assert.deepEqual(w.memberNames(), ["alice", "bob", "carol", "dave"]);
    await w.dryRun(args).then((r) => assert.ok(r.stdout.includes(NOTHING_TO_DO), describe(r)));
  });
});

Deno.test("LoginTC rejects the config", async (t) => {
  await withWorld({ users: USERS }, async (w) => {
    await t.step("wrong api_key: exit 1, says the API key was rejected, nothing written", async () => {
      const config = await w.writeConfig("wrong-key.cfg", { logintc: { api_key: "W".repeat(64) } });
      for (const args of [["-d"], ["-m", "delete", "-r", "9"]]) {
        const r = await w.run(args, { config });
        assert.equal(r.code, 1, describe(r));
        assert.match(
          r.stderr,
          /^error: LoginTC Admin rejected the API key \(401 [^)]*\) on GET \/api\/domains\/[0-9a-f]{40}; check api_key in \[logintc\]\n$/,
        );
        assert.match(r.stdout, /^Fetched 4 user\(s\)$/m);
        assert.doesNotMatch(r.stdout, /Plan:|Job created/);
      }
      assert.deepEqual(w.writesSince(0), []);
    });

    await t.step('wrong domain_id: exit 1, "domain_id … not found", nothing written', async () => {
      const wrong = "0123456789abcdef0123456789abcdef01234567";
      const config = await w.writeConfig("wrong-domain.cfg", { logintc: { domain_id: wrong } });
      const r = await w.run(["-m", "delete", "-r", "9"], { config });
      assert.equal(r.code, 1, describe(r));
      assert.ok(
        r.stderr.startsWith(`error: domain_id ${wrong} not found in LoginTC Admin (404 `),
        describe(r),
      );
      assert.match(r.stderr, /check domain_id in \[logintc\]\n$/);
      assert.deepEqual(w.writesSince(0), []);
      // No job record, and the lock released: only its file stays (never removed: src/state/lock.ts),
      // and the last run recorded for --doctor.
      assert.deepEqual([...Deno.readDirSync(w.dir)].map((e) => e.name).sort(), [
        "config.cfg",
        "last-run.json", // what --doctor reads: this run, exit 1 (src/state/lastRun.ts)
        "logintc-sync.lock",
        "wrong-domain.cfg",
        "wrong-key.cfg",
      ]);
    });
  });
});
