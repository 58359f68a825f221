/**
 * End to end, the ledger's file (docs/operations.md, "The ledger"): written by real runs only, one
 * per domain, readable by its owner only; a damaged one is one warning and is written afresh.
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../src/errors.ts";
import { describe, PEOPLE, warnings, withWorld } from "../support/world.ts";

Deno.test("ledger: dry runs never write it; a real run records each synced user with its LoginTC id; a damaged one is rewritten", async () => {
  await withWorld({ users: PEOPLE.slice(0, 2) }, async (w) => {
    const file = `${w.dir}/ledger/${w.emulator.domainId}.json`;
    await w.dryRun([]);
    await w.run(["--check"]);
    await assert.rejects(Deno.stat(file), Deno.errors.NotFound);

    const one = await w.run([]);
    assert.equal(one.code, ExitCode.OK, describe(one));
    const ledger = JSON.parse(await Deno.readTextFile(file));
    assert.equal(ledger.version, 1);
    assert.equal(ledger.domainId, w.emulator.domainId);
    assert.deepEqual(
      ledger.users.map((u: { username: string; userId: string; managed: boolean; absentSince: null }) => [
        u.username,
        u.userId,
        u.managed,
        u.absentSince,
      ]),
      [["alice", w.user("alice")!.id, true, null], ["bob", w.user("bob")!.id, true, null]],
    );
    if (Deno.build.os !== "windows") assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);

    await Deno.writeTextFile(file, "{damaged");
    const dry = await w.dryRun([]);
    assert.deepEqual(warnings(dry).map((l) => l.replace(/ledger .*\.json:/, "ledger FILE:")), [
      "warning: ledger FILE: not JSON; this run matches users by username only (nothing is flagged as reused " +
      "or renamed), and a real run writes a fresh ledger",
    ]);
    assert.equal(await Deno.readTextFile(file), "{damaged");
    const two = await w.run([]);
    assert.equal(two.code, ExitCode.OK, describe(two));
    assert.equal(JSON.parse(await Deno.readTextFile(file)).users.length, 2);
    const three = await w.run([]);
    assert.equal(three.stderr, "", describe(three));
  });
});
