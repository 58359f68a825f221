/**
 * End to end, the real CLI against slapd + the LoginTC emulator: the state directory's lock is
 * held by the operating system (src/state/lock.ts). A second run while one is going exits 3 and
 * does nothing; a run killed outright (kill -9) blocks nothing, and the next run converges;
 * runs started together never both sync.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { acquireLock, defaultLockDeps, LOCK_FILE } from "../../src/state/lock.ts";
import type { CliResult } from "../support/cli.ts";
import { describe, jobIdOf, NOTHING_TO_DO, withWorld } from "../support/world.ts";

const USERS = [
  { uid: "alice", displayName: "Alice", mail: "alice@example.com" },
  { uid: "bob", displayName: "Bob", mail: "bob@example.com" },
];

const HELD =
  /^error: another logintc-sync run \(pid \d+ on host .*, started .*\) holds the lock .*logintc-sync\.lock; this run changed nothing\. The lock ends with that run, however it ends\.\n$/;

async function waitUntil(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    assert.ok(Date.now() < deadline, `timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("lock: held by another process → exit 3 with the holder, nothing read or written", async () => {
  await withWorld({ users: USERS }, async (w) => {
    // This test process holds the lock, exactly as a running sync would.
    const lock = await acquireLock(w.dir, defaultLockDeps(() => new Date("2026-01-02T03:04:05Z")));
    try {
      const r = await w.run(["-m", "delete", "-r", "9"]);
      assert.equal(r.code, 3, describe(r));
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: another logintc-sync run (pid ${Deno.pid} on host ${Deno.hostname()}, started ` +
          `2026-01-02T03:04:05+0000) holds the lock ${join(w.dir, LOCK_FILE)}; this run changed nothing. ` +
          "The lock ends with that run, however it ends.\n",
      );
      assert.equal(w.emulator.requests.length, 0);
      // A dry run takes no lock: it still shows the plan.
      await w.dryRun([]);
    } finally {
      await lock.release();
    }
    const after = await w.run([]);
    assert.equal(after.code, 0, describe(after));
  });
});

Deno.test("lock: two overlapping syncs: the second exits 3, the first completes alone", async () => {
  await withWorld({ users: USERS }, async (w) => {
    const domainPath = `/api/domains/${w.emulator.domainId}`;
    // The first run's first LoginTC call is held for a while: it holds the lock meanwhile.
    w.emulator.addFault({ method: "GET", path: `/domains/${w.emulator.domainId}`, nth: 1, latencyMs: 3000 });
    const first = w.run(["-t", "issue_token_with_email"]);
    await waitUntil(
      "the first run reached LoginTC",
      () => w.emulator.requests.some((q) => q.path === domainPath),
    );
    const second = await w.run(["-t", "issue_token_with_email"]);
    assert.equal(second.code, 3, describe(second));
    assert.match(second.stderr, HELD);
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

const MANY = Array.from({ length: 40 }, (_, i) => {
  const uid = `user${String(i).padStart(2, "0")}`;
  return { uid, displayName: `User ${i}`, mail: `${uid}@example.com` };
});

Deno.test("lock: a sync killed with SIGKILL mid-apply blocks nothing; -j says how far it got; the next run converges", async () => {
  await withWorld({ users: MANY }, async (w) => {
    // Slow creates (one at a time), so the kill lands in the middle of the apply (each step's
    // outcome is in the job's journal within about a second).
    w.emulator.addFault({ method: "POST", path: "/users", latencyMs: 150 });
    const { child, result } = w.start(["--concurrency", "1"]);
    let killed: CliResult;
    try {
      await waitUntil(
        "20 creates made",
        () => w.emulator.requests.filter((q) => q.method === "POST" && q.status === 200).length >= 20,
      );
      // While it runs, -j says Running, with the progress recorded so far.
      const [record] = [...Deno.readDirSync(join(w.dir, "jobs"))].map((e) => e.name).filter((n) =>
        n.endsWith(".json")
      );
      const live = await w.run(["-j", record.replace(/\.json$/, "")]);
      assert.match(live.stdout, /^Job Status: Running$/m, describe(live));
      assert.match(live.stdout, /^Job Actions \(approx\.\): [1-9]\d* of 80$/m, describe(live));
    } finally {
      child.kill("SIGKILL");
      killed = await result;
    }
    assert.notEqual(killed.code, 0, describe(killed));
    const made = w.emulator.users().length;
    assert.ok(made >= 20 && made < MANY.length, `killed mid-apply: ${made} of ${MANY.length} created`);

    // -j: the record still says Running, but its run no longer holds the lock.
    const id = jobIdOf(killed.stdout);
    const job = await w.run(["-j", id]);
    assert.equal(job.code, 0, describe(job));
    assert.match(job.stdout, /^Job Status: Interrupted$/m);
    assert.match(job.stdout, /^Job Date Completed:$/m);
    assert.match(job.stdout, /^Job Error Code: interrupted$/m);
    const progress = job.stdout.match(/^Job Actions \(approx\.\): (\d+) of (\d+)$/m);
    assert.ok(progress, describe(job));
    const [recorded, total] = [Number(progress[1]), Number(progress[2])];
    assert.equal(total, 2 * MANY.length, "a create and an add to domain per user");
    assert.ok(recorded > 0 && recorded <= made, `recorded ${recorded}, made ${made}: ${describe(job)}`);
    assert.match(job.stdout, /^Job Progress Recorded: \d{4}-.*\+0000$/m);

    // A write the dead run had in flight still lands at LoginTC: wait for it (not for the lock), so
    // the convergence below does not depend on timing. (Not waiting converges too: a create that
    // lands during the next run is adopted — tests/e2e/heal_test.ts forces that order.)
    await waitUntil("in-flight writes landed", () => w.emulator.requests.every((q) => q.status !== 0));
    // Then at once: no stale lock, no takeover, no warning.
    const next = await w.run([]);
    assert.equal(next.code, 0, describe(next));
    assert.equal(next.stderr, "");
    assert.deepEqual(w.memberNames(), MANY.map((u) => u.uid));
    const again = await w.run([]);
    assert.equal(again.code, 0, describe(again));
    assert.ok(again.stdout.includes(NOTHING_TO_DO), describe(again));
    // The interrupted record is still shown as such; the later runs' records are Completed.
    assert.match((await w.run(["-j", id])).stdout, /^Job Status: Interrupted$/m);
    assert.match((await w.run(["-j", jobIdOf(next.stdout)])).stdout, /^Job Status: Completed$/m);
  });
});

Deno.test("lock: 20 pairs of syncs started together: exactly one syncs each time, the other exits 3", async () => {
  await withWorld({ users: USERS }, async (w) => {
    const domainPath = `/api/domains/${w.emulator.domainId}`;
    // Every run's first LoginTC call takes a while, so the two runs of a pair overlap.
    w.emulator.addFault({ method: "GET", path: `/domains/${w.emulator.domainId}`, latencyMs: 1500 });
    for (let pair = 0; pair < 20; pair++) {
      const leaver = `leaver${pair}`;
      w.emulator.seedUser({ username: leaver, name: "Leaver", email: `${leaver}@example.com` });
      const before = w.emulator.requests.length;
      const args = ["-m", "remove", "-r", "1"];
      const results = await Promise.all([w.start(args).result, w.start(args).result]);
      const codes = results.map((r) => r.code).sort();
      assert.deepEqual(codes, [0, 3], `pair ${pair}:\n${results.map(describe).join("\n")}`);
      const loser = results.find((r) => r.code === 3)!;
      assert.match(loser.stderr, HELD, `pair ${pair}`);
      assert.equal(loser.stdout, "");
      const since = w.emulator.requests.slice(before);
      assert.equal(
        since.filter((q) => q.path === domainPath).length,
        1,
        `pair ${pair}: one run read LoginTC`,
      );
      assert.equal(since.filter((q) => q.method === "DELETE").length, 1, `pair ${pair}: one removal`);
      assert.ok(!w.memberNames().includes(leaver), `pair ${pair}: ${leaver} removed`);
    }
  });
});
