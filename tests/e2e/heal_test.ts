/**
 * End to end, the real CLI against slapd + the LoginTC emulator: a create that lands at LoginTC
 * after the run read it — as when the run before was killed with its POST /users in flight — is
 * adopted (src/logintc/createUser.ts), whichever status LoginTC gives a duplicate (400 or 409), so
 * the run exits 0 and the next one has nothing to do. No waiting for the dead run's writes.
 */
import assert from "node:assert/strict";
import type { RecordedRequest } from "../../emulator/mod.ts";
import type { CliResult } from "../support/cli.ts";
import { describe, NOTHING_TO_DO, startE2eSlapd, withWorld, type World } from "../support/world.ts";

const people = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const uid = `user${String(i).padStart(2, "0")}`;
    return { uid, displayName: `User ${i}`, mail: `${uid}@example.com` };
  });

async function waitUntil(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    assert.ok(Date.now() < deadline, `timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const creates = (w: World): RecordedRequest[] =>
  w.emulator.requests.filter((q) => q.method === "POST" && q.path === "/api/users");
const createdName = (q: RecordedRequest): string => JSON.parse(q.body).username;

Deno.test("a user LoginTC gains between the sync's read and its create is adopted (duplicate answered 400, then 409)", async (t) => {
  const slapd = await startE2eSlapd({ users: people(2) });
  try {
    for (const status of [400, 409] as const) {
      await t.step(`duplicate answered ${status}`, async () => {
        await withWorld({ slapd, emulator: { duplicateStatus: status } }, async (w) => {
          const args = ["-t", "issue_token_with_email", "--concurrency", "1"];
          const dry = await w.dryRun(args);
          assert.match(
            dry.stdout,
            /^Plan: 2 to create, 0 to update, 2 to add to domain, 2 token\(s\) to issue, 0 to remove$/m,
          );
          // user01's create is held at LoginTC until, meanwhile, LoginTC gains user01 (another run's
          // create landing late); then the held POST is handled and refused as a duplicate.
          const gate = Promise.withResolvers<void>();
          w.emulator.addFault({ method: "POST", path: "/users", nth: 2, hold: gate.promise });
          const sync = w.run(args);
          await waitUntil("user01's create reached LoginTC", () => creates(w).length === 2);
          const held = w.emulator.seedUser({
            username: "user01",
            name: "User 1",
            email: "user01@example.com",
            domains: [],
          });
          gate.resolve();
          const r = await sync;
          assert.equal(r.code, 0, describe(r));
          assert.equal(r.stderr, "");
          assert.deepEqual(creates(w).map((q) => [createdName(q), q.status]), [["user00", 200], [
            "user01",
            status,
          ]]);
          assert.equal(w.emulator.users().length, 2, "no second user01");
          assert.deepEqual(w.memberNames(), ["user00", "user01"]);
          assert.equal(
            w.emulator.token(w.emulator.domainId, held.id)?.state,
            "pending",
            "its token issued too",
          );
          const next = await w.dryRun(args);
          assert.ok(next.stdout.includes(NOTHING_TO_DO), describe(next));
        });
      });
    }

    await t.step(
      "an adopted user whose name differs: not changed by that run; the next plan shows the update",
      async () => {
        await withWorld({ slapd, emulator: { duplicateStatus: 409 } }, async (w) => {
          const gate = Promise.withResolvers<void>();
          w.emulator.addFault({ method: "POST", path: "/users", nth: 2, hold: gate.promise });
          const sync = w.run(["--concurrency", "1"]);
          await waitUntil("user01's create reached LoginTC", () => creates(w).length === 2);
          w.emulator.seedUser({
            username: "user01",
            name: "Old Name",
            email: "user01@example.com",
            domains: [],
          });
          gate.resolve();
          const r = await sync;
          assert.equal(r.code, 0, describe(r));
          assert.deepEqual(w.writesSince(0).filter((x) => x.startsWith("PUT /api/users/")), [], "no update");
          assert.equal(w.user("user01")?.name, "Old Name");
          const dry = await w.dryRun([]);
          assert.match(dry.stdout, /^Plan: 0 to create, 1 to update, 0 to add to domain, 0 to remove$/m);
          assert.equal((await w.run([])).code, 0);
          assert.equal(w.user("user01")?.name, "User 1");
          assert.ok((await w.dryRun([])).stdout.includes(NOTHING_TO_DO));
        });
      },
    );
  } finally {
    await slapd.stop();
  }
});

Deno.test("kill -9 with a create in flight: the next run starts at once, the dead run's create lands during it, exit 0", async () => {
  await withWorld({ users: people(6) }, async (w) => {
    // The dead run's 3rd create (user02) and the next run's 1st (user02 again: creates go in
    // username order, one at a time) are held, so the test decides the worst order: the dead
    // run's create lands after the next run read LoginTC and before LoginTC answers its create.
    const late = Promise.withResolvers<void>();
    const next = Promise.withResolvers<void>();
    w.emulator.addFault({ method: "POST", path: "/users", nth: 3, hold: late.promise });
    w.emulator.addFault({ method: "POST", path: "/users", nth: 4, hold: next.promise });
    const { child, result } = w.start(["--concurrency", "1"]);
    let killed: CliResult;
    try {
      await waitUntil("the dead run's 3rd create is in flight", () => creates(w).length === 3);
    } finally {
      child.kill("SIGKILL");
      killed = await result;
    }
    assert.notEqual(killed.code, 0, describe(killed));
    assert.deepEqual(w.emulator.users().map((u) => u.username), ["user00", "user01"]);

    // No waiting for the dead run's write: the next run starts now.
    const run = w.run(["--concurrency", "1"]);
    try {
      await waitUntil("the next run's first create is in flight", () => creates(w).length === 4);
      assert.deepEqual(creates(w).slice(2).map(createdName), ["user02", "user02"]);
      assert.deepEqual(
        w.emulator.users().map((u) => u.username),
        ["user00", "user01"],
        "read before it landed",
      );
    } finally {
      late.resolve();
      await waitUntil("the dead run's create landed", () => creates(w)[2].status === 200);
      next.resolve();
    }
    const r = await run;
    assert.equal(r.code, 0, describe(r));
    assert.equal(r.stderr, "");
    assert.equal(creates(w)[3].status, 400, "refused as a duplicate, then adopted");
    assert.deepEqual(w.emulator.users().map((u) => u.username), people(6).map((p) => p.uid));
    assert.deepEqual(w.memberNames(), people(6).map((p) => p.uid));
    const again = await w.run([]);
    assert.equal(again.code, 0, describe(again));
    assert.ok(again.stdout.includes(NOTHING_TO_DO), describe(again));
  });
});
