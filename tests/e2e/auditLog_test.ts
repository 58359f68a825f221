/**
 * End to end, the real CLI against slapd + the LoginTC emulator: the audit trail (--audit-log,
 * [sync] audit_log). One JSON line per change attempted, as it finishes, with LoginTC's answer when it
 * refused; one line per run; 0600 when created; safe under logrotate's copytruncate and create; a
 * path it cannot open is exit 2 before anything is read or written; dry runs write none of it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRejected, describe, jobIdOf, withWorld } from "../support/world.ts";

const USERS = ["alice", "bob", "carol"].map((uid) => ({
  uid,
  displayName: uid[0].toUpperCase() + uid.slice(1),
  mail: `${uid}@example.com`,
}));

// deno-lint-ignore no-explicit-any
type Line = Record<string, any>;
const linesOf = (path: string): Line[] =>
  Deno.readTextFileSync(path).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));

Deno.test("audit trail: a line per change (values, LoginTC's id, its answer on failure), then the run's line", async () => {
  await withWorld({ users: USERS }, async (w) => {
    w.emulator.seedUser({ username: "leaver", name: "Leaver", email: "leaver@example.com" });
    const leaverId = w.user("leaver")!.id;
    const audit = join(w.dir, "audit.jsonl");
    // The 2nd create (bob's, in username order at concurrency 1) is refused.
    w.emulator.addFault(createRejected(2));
    const r = await w.run(["-m", "remove", "-r", "1", "--concurrency", "1", "--audit-log", audit]);
    assert.equal(r.code, 4, describe(r));
    const id = jobIdOf(r.stdout);
    if (Deno.build.os !== "windows") assert.equal(Deno.statSync(audit).mode! & 0o777, 0o600);

    const lines = linesOf(audit);
    const changes = lines.filter((l) => l.type === "change");
    assert.deepEqual(
      changes.map((l) => `${l.outcome} ${l.action} ${l.username}`),
      [
        "done create alice",
        "failed create bob",
        "done create carol",
        "done add to domain alice",
        "done add to domain carol",
        "done remove from domain leaver",
      ],
      "bob's add to domain was not attempted: not a change attempted",
    );
    for (const l of changes) {
      assert.equal(l.jobId, id);
      assert.equal(l.format, 1);
      assert.ok(!Number.isNaN(Date.parse(l.time)) && l.time.endsWith("Z"), l.time);
    }
    const [aliceCreate, bobCreate, , aliceJoin, , removal] = changes;
    const alice = w.user("alice")!;
    assert.deepEqual(aliceCreate.values, { name: "Alice", email: "alice@example.com" });
    assert.equal(aliceCreate.kind, "createUser");
    assert.equal(aliceCreate.userId, alice.id, "the new user's id");
    assert.equal(aliceCreate.error, null);
    assert.equal(aliceCreate.answer, null);
    assert.equal(aliceJoin.kind, "addToDomain");
    assert.equal(aliceJoin.userId, alice.id);
    assert.deepEqual(removal.values, {});
    assert.equal(removal.userId, leaverId);
    assert.equal(bobCreate.userId, null);
    assert.deepEqual(bobCreate.answer, {
      status: 400,
      code: "api.error.validation",
      message: "Invalid email.",
    });
    assert.equal(
      bobCreate.error,
      "LoginTC Admin answered POST /api/users with 400 api.error.validation: Invalid email.",
    );

    const run = lines.at(-1)!;
    assert.equal(run.type, "run");
    assert.equal(lines.filter((l) => l.type === "run").length, 1);
    assert.equal(run.jobId, id);
    assert.equal(run.exitCode, 4);
    assert.equal(run.status, "Failed");
    assert.equal(run.directoryUsers, 3);
    assert.equal(run.domainId, w.emulator.domainId);
    assert.equal(run.syncMode, "remove");
    assert.deepEqual(
      Object.fromEntries(Object.entries(run.planned).filter(([, n]) => n !== 0)),
      { createUser: 3, addToDomain: 3, removeFromDomain: 1 },
    );
    assert.deepEqual(run.outcomes, { done: 5, failed: 1, notAttempted: 1, inFlight: 0, notStarted: 0 });
    assert.equal(run.withheld, 0);
    assert.equal(run.error, null);
    assert.ok(Date.parse(run.start) <= Date.parse(run.end) && run.durationMs >= 0);

    // A run with nothing to change adds its run line only; a dry run adds nothing.
    await w.dryRun(["--audit-log", audit]);
    assert.equal(linesOf(audit).length, lines.length);
    w.emulator.clearFaults();
    const next = await w.run(["--audit-log", audit]);
    assert.equal(next.code, 0, describe(next));
    const added = linesOf(audit).slice(lines.length);
    assert.deepEqual(added.map((l) => `${l.type} ${l.outcome ?? l.exitCode} ${l.username ?? ""}`), [
      "change done bob",
      "change done bob",
      "run 0 ",
    ]);
  });
});

Deno.test("audit trail: [sync] audit_log beside the config, the flag over it; logrotate's copytruncate and create", async () => {
  await withWorld({ users: USERS.slice(0, 1) }, async (w) => {
    const config = await w.writeConfig("audited.cfg");
    await Deno.writeTextFile(config, "\n[sync]\naudit_log = audit.log\n", { append: true });
    const keyed = join(w.dir, "audit.log");
    assert.equal((await w.run([], { config })).code, 0);
    assert.equal(linesOf(keyed).length, 3); // create, add to domain, run

    // copytruncate: the file is copied and emptied while nothing holds an offset in it.
    Deno.truncateSync(keyed, 0);
    w.emulator.seedUser({ username: "gone", name: "Gone", email: "gone@example.com" });
    assert.equal((await w.run(["-m", "remove", "-r", "1"], { config })).code, 0);
    const text = Deno.readTextFileSync(keyed);
    assert.ok(!text.includes("\0"), "written from the new end, no hole");
    assert.deepEqual(linesOf(keyed).map((l) => l.type), ["change", "run"]);

    // create: the file is moved away; the next run creates a new one (0600).
    Deno.renameSync(keyed, `${keyed}.1`);
    assert.equal((await w.run([], { config })).code, 0);
    assert.deepEqual(linesOf(keyed).map((l) => l.type), ["run"]);
    if (Deno.build.os !== "windows") assert.equal(Deno.statSync(keyed).mode! & 0o777, 0o600);

    // The flag wins over the key.
    const flagged = join(w.dir, "flag.jsonl");
    assert.equal((await w.run(["--audit-log", flagged], { config })).code, 0);
    assert.equal(linesOf(flagged).length, 1);
    assert.equal(linesOf(keyed).length, 1);
  });
});

Deno.test("audit trail: a path it cannot open is exit 2 with one message, before anything is read or written", async () => {
  await withWorld({ users: USERS }, async (w) => {
    const missing = join(w.dir, "no-such-folder", "audit.jsonl");
    const r = await w.run(["--audit-log", missing]);
    assert.equal(r.code, 2, describe(r));
    assert.match(
      r.stderr,
      /^error: --audit-log: cannot open .*no-such-folder.audit\.jsonl for appending: .+\n$/,
    );
    assert.equal(r.stdout, "");
    assert.equal(w.emulator.requests.length, 0);

    const config = await w.writeConfig("bad-audit.cfg");
    await Deno.writeTextFile(config, "\n[sync]\naudit_log = .\n", { append: true });
    const key = await w.run([], { config });
    assert.equal(key.code, 2, describe(key));
    assert.match(key.stderr, /^error: \[sync\] audit_log: cannot open .* for appending: .+\n$/);
    assert.equal(w.emulator.requests.length, 0);

    const empty = await w.run(["--audit-log", ""]);
    assert.equal(empty.code, 2, describe(empty));
    assert.match(empty.stderr, /^error: option '--audit-log <file>': must not be empty$/m);

    // A run that fails on its config still gets its run line, with the error.
    const audit = join(w.dir, "audit.jsonl");
    const broken = await w.writeConfig("broken.cfg", { ldap: { filter: "(uid=*" } });
    const failed = await w.run(["--audit-log", audit], { config: broken });
    assert.equal(failed.code, 2, describe(failed));
    const [run] = linesOf(audit);
    assert.equal(run.type, "run");
    assert.equal(run.exitCode, 2);
    assert.equal(run.jobId, null);
    assert.equal(run.planned, null);
    assert.match(run.error, /filter/);
  });
});
