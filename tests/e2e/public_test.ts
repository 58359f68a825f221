/**
 * End to end, the real CLI against a LoginTC that has only the public API (the emulator's
 * api: "public"), and against one whose extensions exist but do not show their values
 * (write-only, ./writeOnly_test.ts): the core sync works, every feature this LoginTC lacks is
 * skipped with one warning per run and exit 5, and no scheduled run ever repeats a write (request log).
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../src/errors.ts";
import { describe, jobIdOf, NOTHING_TO_DO, runWrites, warnings, withWorld } from "../support/world.ts";

Deno.test("public-only LoginTC: first sync, re-sync writes nothing, emails ignoring case, tokens with email, -m remove", async () => {
  await withWorld({
    users: [
      { uid: "alice", displayName: "Alice", mail: "Alice@Example.COM" },
      { uid: "bob", displayName: "Bob", mail: "bob@example.com" },
      { uid: "carol", displayName: "Carol", mail: "Carol@Example.com" },
    ],
    emulator: { api: "public", lowercaseEmails: true },
  }, async (w) => {
    // carol is in the organization already, her email stored lowercased; leaver is a member.
    w.emulator.seedUser({ username: "carol", name: "Carol", email: "carol@example.com", domains: [] });
    const leaver = w.emulator.seedUser({ username: "leaver", name: "Leaver", email: "leaver@example.com" });
    const args = ["-t", "issue_token_with_email"];

    const dry = await w.dryRun(args);
    assert.match(
      dry.stdout,
      /^Plan: 2 to create, 0 to update, 3 to add to domain, 3 token\(s\) to issue, 0 to remove$/m,
    );
    assert.equal(dry.stderr, "");

    const first = await runWrites(w, args);
    assert.equal(first.r.code, ExitCode.OK, describe(first.r));
    assert.equal(first.r.stderr, "");
    assert.deepEqual(w.memberNames(), ["alice", "bob", "carol", "leaver"]);
    assert.equal(w.user("alice")!.email, "alice@example.com", "LoginTC stored it lowercased");
    assert.deepEqual(w.emulator.activationEmails.map((e) => e.username).sort(), ["alice", "bob", "carol"]);
    assert.equal(first.writes.filter((x) => x.startsWith("POST /api/users")).length, 2);

    // Emails differ only in case from what LoginTC stored: in sync, nothing written.
    for (let i = 0; i < 2; i++) {
      const again = await runWrites(w, args);
      assert.equal(again.r.code, ExitCode.OK, describe(again.r));
      assert.deepEqual(again.writes, [], describe(again.r));
      assert.ok(again.r.stdout.includes(NOTHING_TO_DO), describe(again.r));
    }

    const remove = await runWrites(w, ["-m", "remove", "-r", "1"]);
    assert.equal(remove.r.code, ExitCode.OK, describe(remove.r));
    assert.deepEqual(remove.writes, [`DELETE /api/domains/${w.emulator.domainId}/users/${leaver.id}`]);
    assert.deepEqual(w.memberNames(), ["alice", "bob", "carol"]);
    const after = await runWrites(w, ["-m", "remove", "-r", "1"]);
    assert.deepEqual(after.writes, [], describe(after.r));
    await w.dryRun(["-m", "remove"]).then((r) => assert.ok(r.stdout.includes(NOTHING_TO_DO), describe(r)));
  });
});

Deno.test("public-only LoginTC: attr_alias1, attr_phone, -g, -l are skipped with one warning each, exit 5, no repeated write", async () => {
  await withWorld({
    users: [
      {
        uid: "alice",
        displayName: "Alice",
        mail: "alice@example.com",
        telephoneNumber: "+1 555 0101",
        extra: { employeeNumber: "A-1" },
      },
      {
        uid: "bob",
        displayName: "Bob",
        mail: "bob@example.com",
        telephoneNumber: "+1 555 0102",
        extra: { employeeNumber: "B-2" },
      },
    ],
    ldap: { attr_alias1: "employeeNumber", attr_phone: "telephoneNumber" },
    emulator: { api: "public" },
  }, async (w) => {
    w.emulator.seedGroup("Staff");
    w.emulator.seedAdministrator("admin@example.com");
    w.emulator.seedUser({ username: "someone", name: "Some One", email: "someone@example.com", domains: [] });
    const args = ["-g", "Staff", "-l", "admin@example.com"];

    const dry = await w.dryRun(args);
    assert.deepEqual(warnings(dry).map((l) => l.split(": ").slice(1, 3).join(": ")), [
      "attr_alias1: skipped",
      "attr_phone: skipped",
      "-g: skipped",
      "-l: skipped",
    ]);
    assert.match(dry.stdout, /^Plan: 2 to create, 0 to update, 2 to add to domain, 0 to remove$/m);

    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await runWrites(w, args));
    for (const [i, { r }] of runs.entries()) {
      assert.equal(r.code, ExitCode.UNSUPPORTED, `run ${i + 1}: ${describe(r)}`);
      const lines = warnings(r);
      assert.equal(lines.length, 4, describe(r));
      assert.match(lines[0], /^warning: attr_alias1: skipped: LoginTC's user objects carry no alias1\.\.3 /);
      assert.match(lines[1], /^warning: attr_phone: skipped: LoginTC has no phones API /);
      assert.match(
        lines[2],
        /^warning: -g: skipped: LoginTC has no groups API \(GET \/api\/groups\?page=1 answered 404\)/,
      );
      assert.match(lines[3], /^warning: -l: skipped: LoginTC has no notification API /);
    }
    // The core sync ran on the first run; nothing ever went to an extension path.
    assert.deepEqual(w.memberNames(), ["alice", "bob"]);
    assert.deepEqual(runs[0].writes.map((x) => x.replace(/[0-9a-f]{40}/g, "ID")).sort(), [
      "POST /api/users",
      "POST /api/users",
      "PUT /api/domains/ID/users/ID",
      "PUT /api/domains/ID/users/ID",
    ]);
    assert.deepEqual(runs[1].writes, [], "run 2 repeats no write");
    assert.deepEqual(runs[2].writes, [], "run 3 repeats no write");
    assert.match(
      runs[0].r.stdout,
      /^Job completed; 4 configured feature\(s\) skipped \(not supported by this LoginTC\)\.$/m,
    );
    assert.deepEqual(w.emulator.notifications, []);

    // The job record says so.
    const job = await w.run(["-j", jobIdOf(runs[0].r.stdout)]);
    assert.equal(job.code, 0, describe(job));
    assert.match(job.stdout, /^Job Error Code: features-skipped$/m);
    assert.match(
      job.stdout,
      /^Job Error Message: 4 configured feature\(s\) skipped: attr_alias1: unsupported: /m,
    );
  });
});

Deno.test("public-only LoginTC: unknown usernames answered 200 {}; issue_token_without_email warned every run (it emails anyway)", async () => {
  await withWorld({
    users: [
      { uid: "alice", displayName: "Alice", mail: "alice@example.com" },
      { uid: "bob", displayName: "Bob", mail: "bob@example.com" },
    ],
    emulator: { api: "public" },
  }, async (w) => {
    // A service that answers a search for an unknown username with 200 {} instead of 404.
    w.emulator.addFault({ method: "GET", path: "/users", status: 200, body: "{}" });
    const args = ["-t", "issue_token_without_email"];
    const warning =
      /^warning: -t issue_token_without_email: cannot be verified: [^\n]*\{"sendEmail": false\}[^\n]*\n$/;

    const first = await runWrites(w, args);
    assert.equal(first.r.code, ExitCode.OK, describe(first.r));
    assert.match(first.r.stderr, warning);
    assert.deepEqual(w.memberNames(), ["alice", "bob"]);
    const lookups = w.emulator.requests.filter((q) => q.query.username !== undefined);
    assert.deepEqual(lookups.map((q) => [q.query.username, q.fault]).sort(), [["alice", "status"], [
      "bob",
      "status",
    ]]);
    // Why the warning: this LoginTC ignored {"sendEmail": false} and emailed the codes.
    assert.deepEqual(w.emulator.activationEmails.map((e) => e.username).sort(), ["alice", "bob"]);

    const again = await runWrites(w, args);
    assert.equal(again.r.code, ExitCode.OK, describe(again.r));
    assert.match(again.r.stderr, warning, "said on every run");
    assert.deepEqual(again.writes, []);
  });
});
