/**
 * End to end, the guards on removals: the -r limit at and one over (the removals withheld, the
 * rest made, exit 3), and an empty directory read, which never removes anyone whatever -r says.
 * Each case: dry run shows the plan → sync → dry run shows what is still withheld.
 */
import assert from "node:assert/strict";
import { describe, PEOPLE, startE2eSlapd, withWorld, type World } from "../support/world.ts";

Deno.test("-r: at the limit the removals happen; one over, none happen and the rest proceeds (exit 3)", async (t) => {
  const slapd = await startE2eSlapd({ users: PEOPLE.slice(0, 2) });
  const seedLeavers = (w: World) => {
    w.emulator.seedUser({ username: "alice", name: "Alice Anderson", email: "alice@example.com" });
    for (const n of ["xavier", "yves", "zoe"]) {
      w.emulator.seedUser({ username: n, name: n, email: `${n}@example.com`, token: "active" });
    }
  };
  try {
    await t.step("-m remove -r 3 with 3 removals: all made", async () => {
      await withWorld({ slapd }, async (w) => {
        seedLeavers(w);
        const dry = await w.dryRun(["-m", "remove", "-r", "3"]);
        assert.match(dry.stdout, /^Plan: 1 to create, 0 to update, 1 to add to domain, 3 to remove$/m);
        const sync = await w.run(["-m", "remove", "-r", "3"]);
        assert.equal(sync.code, 0, describe(sync));
        assert.deepEqual(w.memberNames(), ["alice", "bob"]);
        await w.dryRun(["-m", "remove", "-r", "3"]).then((r) => assert.match(r.stdout, /Nothing to do/));
      });
    });

    await t.step("-m delete -r 2 with 3 removals: none made, bob still added, exit 3", async () => {
      await withWorld({ slapd }, async (w) => {
        seedLeavers(w);
        const args = ["-m", "delete", "-r", "2"];
        const withheld = "3 removal(s) withheld: more than --max-remove-limit 2 (-r; over the limit no " +
          "removal is made); rerun with -r 3 to allow them.";
        const dry = await w.dryRun(args);
        assert.match(
          dry.stdout,
          /^Plan: 1 to create, 0 to update, 1 to add to domain, 0 to remove \(3 withheld\)$/m,
        );
        assert.ok(dry.stdout.includes("Withheld (not made):"), describe(dry));
        assert.ok(dry.stdout.includes(withheld), describe(dry));

        const before = w.emulator.requests.length;
        const sync = await w.run(args);
        assert.equal(sync.code, 3, describe(sync));
        assert.ok(sync.stdout.includes(withheld), describe(sync));
        // The reason reaches stderr too, for cron jobs that keep only stderr.
        assert.ok(sync.stderr.includes(`warning: ${withheld}`), describe(sync));
        assert.match(sync.stdout, /^Job completed; 3 removal\(s\) withheld\.$/m);
        assert.deepEqual(w.memberNames(), ["alice", "bob", "xavier", "yves", "zoe"]);
        assert.deepEqual(w.emulator.users().map((u) => u.username), [
          "alice",
          "bob",
          "xavier",
          "yves",
          "zoe",
        ]);
        assert.ok(
          w.writesSince(before).every((r) => !r.startsWith("DELETE")),
          `no DELETE: ${w.writesSince(before)}`,
        );

        // Still withheld on the next run; allowed with -r 3.
        const still = await w.dryRun(args);
        assert.match(
          still.stdout,
          /^Plan: 0 to create, 0 to update, 0 to add to domain, 0 to remove \(3 withheld\)$/m,
        );
        const allowed = await w.run(["-m", "delete", "-r", "3"]);
        assert.equal(allowed.code, 0, describe(allowed));
        assert.deepEqual(w.emulator.users().map((u) => u.username), ["alice", "bob"]);
        await w.dryRun(args).then((r) => assert.match(r.stdout, /Nothing to do/));
      });
    });
  } finally {
    await slapd.stop();
  }
});

Deno.test("empty directory read: no removals whatever -r, message names base_dn and filter, exit 3", async () => {
  await withWorld({ users: PEOPLE, ldap: { filter: "(uid=nobody-matches)" } }, async (w) => {
    w.emulator.seedUser({ username: "alice", name: "Alice Anderson", email: "alice@example.com" });
    w.emulator.seedUser({ username: "bob", name: "Bob Brown", email: "bob@example.com" });
    const args = ["-m", "delete", "-r", "1000"];
    const notice = `2 removal(s) withheld: the directory read returned 0 users (base_dn ` +
      `"${w.slapd.peopleDn}", filter "(uid=nobody-matches)") while the domain has 2 member(s)`;

    const dry = await w.dryRun(args);
    assert.match(dry.stdout, /^Fetched 0 user\(s\)$/m);
    assert.ok(dry.stdout.includes(notice), describe(dry));

    const before = w.emulator.requests.length;
    const sync = await w.run(args);
    assert.equal(sync.code, 3, describe(sync));
    assert.ok(sync.stdout.includes(notice), describe(sync));
    assert.ok(sync.stdout.includes("an empty read never removes anyone, whatever -r says"), describe(sync));
    assert.deepEqual(w.writesSince(before), []);
    assert.deepEqual(w.memberNames(), ["alice", "bob"]);
  });
});
