/**
 * Issue 21, item 4, end to end: a directory entry spelled with the KELVIN SIGN (U+212A) in place of
 * `K`, against a LoginTC that already has `kelvin` (the emulator folds usernames with Unicode case,
 * as a real server may). On the old code the run matched them (`toLowerCase()`) and rewrote
 * kelvin's email to the entry's; now both are left out, with a warning naming them, and nothing is
 * written for either — not even a removal with -m remove.
 */
import assert from "node:assert/strict";
import { describe, warnings, withWorld } from "../support/world.ts";

const KELVIN_SIGN = "\u212aelvin";

Deno.test("look-alike usernames: never merged, left out with a warning naming both", async () => {
  const users = [
    { uid: KELVIN_SIGN, displayName: "Mallory", mail: "mallory@evil.example" },
    { uid: "alice", displayName: "Alice Anderson", mail: "alice@example.com" },
  ];
  await withWorld({ users }, async (w) => {
    w.emulator.seedUser({
      username: "kelvin",
      name: "Kelvin Kim",
      email: "kelvin@example.com",
      domains: [w.emulator.domainId],
    });
    const warning =
      "warning: usernames that look alike are left out of this run, never matched, created or " +
      `removed: kelvin (LoginTC), \\u212aelvin (directory: uid=\\u212aelvin,${w.slapd.peopleDn}). Make them ` +
      "distinct in the directory or in LoginTC.";
    const dry = await w.dryRun(["-m", "remove", "-r", "5"]);
    assert.deepEqual(warnings(dry), [warning], describe(dry));
    assert.match(dry.stdout, /looks like kelvin \(LoginTC\): look-alike usernames are never merged/);
    assert.doesNotMatch(dry.stdout, /mallory@evil\.example →|→ mallory@evil\.example/);

    const before = w.emulator.requests.length;
    const r = await w.run(["-m", "remove", "-r", "5"]);
    assert.equal(r.code, 0, describe(r));
    assert.deepEqual(warnings(r), [warning]);
    const kelvin = w.user("kelvin");
    assert.equal(kelvin?.username, "kelvin");
    assert.equal(kelvin?.email, "kelvin@example.com");
    assert.deepEqual(w.memberNames(), ["alice", "kelvin"]);
    // Only alice was written: no update, create or removal for either look-alike.
    for (const write of w.writesSince(before)) assert.doesNotMatch(write, new RegExp(kelvin!.id));
    assert.ok(
      !w.emulator.requests.slice(before).some((q) => q.body?.includes(KELVIN_SIGN)),
      "a create for it",
    );
  });
});
