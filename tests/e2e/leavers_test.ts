/**
 * Leavers end to end ([sync], docs/configuration.md): the real CLI against slapd (with the ppolicy
 * overlay) and the emulator. Disabled users excluded (ppolicy's permanent lock, disabled_filter) and
 * protected members kept; -m delete with members in two domains, in both API modes, and with user
 * objects that do not show their domains. Each case: dry run shows the plan → sync → dry run shows
 * nothing to do (with the decisions still listed); --check, --json (schema) and -j show them too.
 */
import assert from "node:assert/strict";
import { reportSchema, validate } from "../support/jsonSchema.ts";
import {
  describe,
  jobIdOf,
  NOTHING_TO_DO,
  PEOPLE,
  startE2eSlapd,
  withWorld,
  type World,
} from "../support/world.ts";
import type { UserSpec } from "../support/slapd.ts";

const schema = await reportSchema();

/** alice and dave as usual; bob locked for good (ppolicy); carol a leaver by HR's attribute. */
const USERS: UserSpec[] = [
  { ...PEOPLE[0], extra: { employeeType: "staff" } },
  { ...PEOPLE[1], extra: { pwdAccountLockedTime: "000001010000Z" } },
  { ...PEOPLE[2], extra: { employeeType: "leaver" } },
  PEOPLE[3],
];

const member = (w: World, username: string, extra: { domains?: string[] } = {}) =>
  w.emulator.seedUser({
    username,
    name: `${username} name`,
    email: `${username}@example.com`,
    token: "active",
    ...extra,
  });

Deno.test("leavers: disabled users excluded, a protected member kept — plan → sync → nothing to do", async () => {
  const slapd = await startE2eSlapd({ users: USERS, ppolicy: true });
  try {
    await withWorld({
      slapd,
      sync: {
        disabled_users: "exclude",
        disabled_filter: "(employeeType=leaver)",
        protect_users: "BreakGlass",
      },
    }, async (w) => {
      for (const p of PEOPLE.slice(0, 3)) {
        w.emulator.seedUser({ username: p.uid, name: p.displayName, email: p.mail, token: "active" });
      }
      member(w, "breakglass");
      const bobId = w.user("bob")!.id;
      const args = ["-m", "remove", "-r", "2"];

      const dry = await w.dryRun(args);
      const lines = dry.stdout.split("\n");
      assert.ok(
        lines.includes("Plan: 1 to create, 0 to update, 1 to add to domain, 2 to remove, 1 kept"),
        describe(dry),
      );
      assert.match(dry.stdout, /^\| dave +\| create +\|/m);
      assert.match(
        dry.stdout,
        /^\| bob +\| remove from domain \| disabled in the directory \(pwdAccountLockedTime: locked permanently\); token revoked \|$/m,
      );
      assert.match(
        dry.stdout,
        /^\| carol +\| remove from domain \| disabled in the directory \(disabled_filter\); token revoked +\|$/m,
      );
      const kept = lines.indexOf("Kept (not removed):");
      assert.ok(kept > 0, describe(dry));
      assert.match(
        lines[kept + 4],
        /^\| breakglass \| keep +\| protected \(protect_users\): never removed or deleted \|$/,
      );
      const disabledLine = "2 user(s) are disabled in the directory and are treated as not in it " +
        "(disabled_users = exclude): bob (pwdAccountLockedTime: locked permanently), carol (disabled_filter).";
      assert.ok(lines.includes(disabledLine), describe(dry));

      // --check: pending (6); --json validates and carries the decisions.
      const check = await w.run(["--check", ...args]);
      assert.equal(check.code, 6, describe(check));
      const json = await w.run(["-d", "--json", ...args]);
      const doc = JSON.parse(json.stdout);
      assert.deepEqual(validate(schema, doc), []);
      assert.deepEqual(doc.plan.kept, [{
        username: "breakglass",
        userId: w.user("breakglass")!.id,
        reason: "protected",
      }]);
      assert.equal(doc.plan.disabled.handling, "exclude");
      assert.deepEqual(
        doc.plan.disabled.users.map((u: { username: string; reason: string }) => [u.username, u.reason]),
        [
          ["bob", "pwdAccountLockedTime: locked permanently"],
          ["carol", "disabled_filter"],
        ],
      );
      assert.deepEqual(
        doc.plan.steps.filter((s: { kind: string }) => s.kind === "removeFromDomain"),
        [
          {
            kind: "removeFromDomain",
            username: "bob",
            userId: bobId,
            disabled: "pwdAccountLockedTime: locked permanently",
          },
          {
            kind: "removeFromDomain",
            username: "carol",
            userId: w.user("carol")!.id,
            disabled: "disabled_filter",
          },
        ],
      );

      const sync = await w.run(args);
      assert.equal(sync.code, 0, describe(sync));
      assert.deepEqual(w.memberNames(), ["alice", "breakglass", "dave"]);
      assert.equal(w.emulator.token(w.emulator.domainId, bobId), undefined, "bob's token revoked");
      assert.ok(w.user("bob"), "remove keeps the user in the organization");

      const again = await w.dryRun(args);
      const after = again.stdout.split("\n");
      assert.ok(after.includes(NOTHING_TO_DO), describe(again));
      assert.ok(after.includes("Kept (not removed):"), describe(again));
      assert.ok(after.includes(disabledLine), describe(again));
      const inSync = await w.run(["--check", ...args]);
      assert.equal(inSync.code, 0, describe(inSync));
      assert.match(inSync.stdout, /^Check: in sync \(exit 0\)\.$/m);

      // -j: who was kept and who is disabled, with why.
      const job = await w.run(["-j", jobIdOf(sync.stdout)]);
      assert.equal(job.code, 0, describe(job));
      assert.match(
        job.stdout,
        /^Job Kept: 1\n {2}breakglass keep: protected \(protect_users\): never removed or deleted$/m,
      );
      assert.match(
        job.stdout,
        /^Job Disabled: 2 \(disabled_users = exclude\)\n {2}bob: pwdAccountLockedTime: locked permanently\n {2}carol: disabled_filter$/m,
      );

      // bob is unlocked: he returns, and is simply added again (with a new token, as -t says).
      await slapd.ldapModify(
        `dn: uid=bob,${slapd.peopleDn}\nchangetype: modify\ndelete: pwdAccountLockedTime\n`,
      );
      const back = await w.dryRun([...args, "-t", "issue_token_with_email"]);
      assert.match(
        back.stdout,
        /^\| bob +\| add to domain +\| already in the organization +\|$/m,
        describe(back),
      );
      assert.match(back.stdout, /^1 user\(s\) are disabled in the directory and are treated as not in it/m);
    });
  } finally {
    await slapd.stop();
  }
});

Deno.test("leavers: with include (the default) disabled users keep their tokens, and every view counts them", async () => {
  const slapd = await startE2eSlapd({ users: USERS, ppolicy: true });
  try {
    await withWorld({ slapd }, async (w) => {
      for (const p of PEOPLE) w.emulator.seedUser({ username: p.uid, name: p.displayName, email: p.mail });
      const dry = await w.dryRun(["-m", "remove", "-r", "5"]);
      assert.deepEqual(dry.stdout.trimEnd().split("\n").slice(-3), [
        NOTHING_TO_DO,
        "1 user(s) are disabled in the directory and keep their tokens (disabled_users = include): " +
        "bob (pwdAccountLockedTime: locked permanently).",
        "Dry run: nothing was changed.",
      ]);
      const doctor = await w.run(["--doctor"]);
      assert.match(
        doctor.stdout,
        /^warn +ldap\.disabled +1 user\(s\) are disabled in the directory and keep their tokens \(disabled_users = include; checked: pwdAccountLockedTime 000001010000Z \(ppolicy's permanent lock\)\)\n +bob: pwdAccountLockedTime: locked permanently\n +fix: to revoke their tokens, set disabled_users = exclude in \[sync\]/m,
      );
      // With a filter too, both are named.
      const withFilter = await w.writeConfig("filter.cfg", {
        sync: { disabled_filter: "(employeeType=leaver)" },
      });
      const both = await w.run(["--doctor", "--json"], { config: withFilter });
      const check = JSON.parse(both.stdout).doctor.checks.find((c: { id: string }) =>
        c.id === "ldap.disabled"
      );
      assert.equal(check.status, "warn");
      assert.match(
        check.detail,
        /^2 user\(s\) are disabled .*\nbob: pwdAccountLockedTime: locked permanently\ncarol: disabled_filter$/,
      );
    });
  } finally {
    await slapd.stop();
  }
});

for (const api of ["extended", "public"] as const) {
  Deno.test(`leavers: -m delete with members in two domains (${api} API): only removed from this one`, async () => {
    await withWorld({ users: PEOPLE.slice(0, 1), emulator: { api } }, async (w) => {
      const other = w.emulator.seedDomain("Other Domain");
      w.emulator.seedUser({ username: "alice", name: "Alice Anderson", email: "alice@example.com" });
      const erin = member(w, "erin", { domains: [w.emulator.domainId, other] });
      const frank = member(w, "frank");
      const args = ["-m", "delete", "-r", "2"];

      const dry = await w.dryRun(args);
      assert.ok(
        dry.stdout.split("\n").includes("Plan: 0 to create, 0 to update, 0 to add to domain, 2 to remove"),
      );
      assert.match(
        dry.stdout,
        /^\| erin +\| remove from domain \| not in the directory; token revoked; kept for another domain \(a member of 1 other domain\(s\)\): not deleted \|$/m,
      );
      assert.match(
        dry.stdout,
        /^\| frank +\| delete user +\| not in the directory; deleted from the organization +\|$/m,
      );

      const sync = await w.run(args);
      assert.equal(sync.code, 0, describe(sync));
      assert.deepEqual(w.memberNames(), ["alice"]);
      assert.ok(w.user("erin"), "erin still exists");
      assert.deepEqual(w.emulator.members(other).map((u) => u.username), ["erin"]);
      assert.deepEqual(
        w.emulator.token(other, erin.id),
        { state: "active" },
        "her token in the other domain is kept",
      );
      assert.equal(w.emulator.token(w.emulator.domainId, erin.id), undefined);
      assert.equal(w.user("frank"), undefined, "frank deleted");
      assert.ok(w.writesSince(0).includes(`DELETE /api/users/${frank.id}`));

      const again = await w.dryRun(args);
      assert.ok(again.stdout.split("\n").includes(NOTHING_TO_DO), describe(again));
    });
  });
}

Deno.test("leavers: -m delete where user objects do not show domains: not deleted, removed from the domain", async () => {
  await withWorld({ users: PEOPLE.slice(0, 1), emulator: { showDomains: false } }, async (w) => {
    w.emulator.seedUser({ username: "alice", name: "Alice Anderson", email: "alice@example.com" });
    member(w, "frank");
    const dry = await w.dryRun(["-m", "delete", "-r", "1"]);
    assert.match(
      dry.stdout,
      /^\| frank +\| remove from domain \| not in the directory; token revoked; not deleted: LoginTC did not show the user's domains, so deleting it could not be proved safe \|$/m,
      describe(dry),
    );
    const sync = await w.run(["-m", "delete", "-r", "1"]);
    assert.equal(sync.code, 0, describe(sync));
    assert.deepEqual(w.memberNames(), ["alice"]);
    assert.ok(w.user("frank"), "not deleted");
    assert.deepEqual(w.writesSince(0).filter((r) => r.startsWith("DELETE /api/users/")), []);
    assert.ok((await w.dryRun(["-m", "delete", "-r", "1"])).stdout.includes(NOTHING_TO_DO));
  });
});

Deno.test("leavers: a bad [sync] value is one message naming key and line, exit 2, nothing contacted", async () => {
  await withWorld(
    { users: PEOPLE.slice(0, 1), sync: { protect_users: "a", disabled_users: "sometimes" } },
    async (w) => {
      const r = await w.run(["-d"]);
      assert.equal(r.code, 2, describe(r));
      const line = (await Deno.readTextFile(w.config)).split("\n").indexOf("disabled_users = sometimes") + 1;
      assert.equal(
        r.stderr,
        `error: ${w.config}:${line}: [sync] disabled_users: 'sometimes' is not one of include, exclude\n`,
      );
      assert.equal(w.emulator.requests.length, 0);
    },
  );
});

Deno.test("leavers: remove_scope = managed — a hand-added member is kept, a member this tool added is removed", async () => {
  const slapd = await startE2eSlapd({ users: PEOPLE.slice(0, 2) });
  try {
    await withWorld({ slapd, sync: { remove_scope: "managed" } }, async (w) => {
      w.emulator.seedUser({
        username: "alice",
        name: "Alice Anderson",
        email: "alice@example.com",
        token: "active",
      });
      w.emulator.seedUser({ username: "bob", name: "Bob Brown", email: "bob@example.com", domains: [] });
      member(w, "svc-backup"); // added by hand, never in the directory
      const args = ["-m", "remove", "-r", "5"];

      // First run, no ledger yet: nobody is known to be ours, so nobody is removed; --doctor says so.
      const before = await w.run(["--doctor"]);
      assert.match(
        before.stdout,
        /^warn +config\.sync +disabled_users = include; protect_users: none; remove_scope = managed; delete_after_days = 0\n +no ledger yet: the first real run writes it\n +fix: until a real run has written the ledger, remove_scope = managed removes nobody/m,
      );
      const first = await w.dryRun(args);
      assert.match(
        first.stdout,
        /^\| bob +\| add to domain +\| already in the organization +\|$/m,
        describe(first),
      );
      assert.match(
        first.stdout,
        /^\| svc-backup \| keep +\| not managed by this sync: kept \(remove_scope = managed\) \|$/m,
      );
      assert.equal((await w.run(args)).code, 0);
      const ledger = JSON.parse(await Deno.readTextFile(`${w.dir}/ledger/${w.emulator.domainId}.json`));
      assert.deepEqual(
        ledger.users.map((u: { username: string; managed: boolean }) => [u.username, u.managed]),
        [["alice", true], ["bob", true]],
      );
      assert.match(
        (await w.run(["--doctor"])).stdout,
        /^ok +config\.sync +.*remove_scope = managed.*\n +ledger: 2 user\(s\), 2 managed by this sync, 0 absent from the directory$/m,
      );

      // bob leaves the directory: this tool added him, so he is removed; svc-backup stays.
      await slapd.ldapModify(`dn: uid=bob,${slapd.peopleDn}\nchangetype: delete\n`);
      const dry = await w.dryRun(args);
      assert.ok(
        dry.stdout.split("\n").includes(
          "Plan: 0 to create, 0 to update, 0 to add to domain, 1 to remove, 1 kept",
        ),
      );
      assert.match(dry.stdout, /^\| bob +\| remove from domain \| not in the directory; token revoked \|$/m);
      const sync = await w.run(args);
      assert.equal(sync.code, 0, describe(sync));
      assert.deepEqual(w.memberNames(), ["alice", "svc-backup"]);
      const after = await w.dryRun(args);
      assert.ok(after.stdout.split("\n").includes(NOTHING_TO_DO), describe(after));
      assert.match(after.stdout, /^\| svc-backup \| keep +\| not managed by this sync/m);
    });
  } finally {
    await slapd.stop();
  }
});

for (const api of ["extended", "public"] as const) {
  Deno.test(`leavers: delete_after_days — removed at once, deleted when due, on a moving clock (${api} API)`, async () => {
    const slapd = await startE2eSlapd({ users: PEOPLE });
    try {
      await withWorld({ slapd, sync: { delete_after_days: "30" }, emulator: { api } }, async (w) => {
        for (const p of PEOPLE) {
          w.emulator.seedUser({ username: p.uid, name: p.displayName, email: p.mail, token: "active" });
        }
        const args = ["-m", "delete", "-r", "3"];
        // The program's clock (tests/support/fakeClock.ts): day 0 at 06:00 UTC, then days later.
        const T0 = Date.UTC(2026, 2, 1, 6, 0, 0);
        const day = (n: number) => ({ now: new Date(T0 + n * 86_400_000) });
        const carolId = w.user("carol")!.id;

        assert.ok((await w.dryRun(args, day(0))).stdout.includes(NOTHING_TO_DO));
        assert.equal((await w.run(args, day(0))).code, 0); // the ledger records all four present

        // Day 1: carol and dave leave the directory.
        await slapd.ldapModify(`dn: uid=carol,${slapd.peopleDn}\nchangetype: delete\n`);
        await slapd.ldapModify(`dn: uid=dave,${slapd.peopleDn}\nchangetype: delete\n`);
        const plan = await w.dryRun(args, day(1));
        assert.match(
          plan.stdout,
          /^\| carol +\| remove from domain \| not in the directory; token revoked; deletion due on 2026-04-01 \(delete_after_days\) +\|$/m,
          describe(plan),
        );
        const sync = await w.run(args, day(1));
        assert.equal(sync.code, 0, describe(sync));
        assert.deepEqual(w.memberNames(), ["alice", "bob"]);
        assert.equal(
          w.emulator.token(w.emulator.domainId, carolId),
          undefined,
          "the token is revoked at once",
        );
        assert.ok(w.user("carol") && w.user("dave"), "not deleted yet");
        // The job record is dated by the program's clock.
        assert.match(
          (await w.run(["-j", jobIdOf(sync.stdout)])).stdout,
          /^Job Date Created: 2026-03-02T06:00:\d\d\+0000$/m,
        );

        // Day 10: nothing to do; the pending deletions are shown with their dates. dave returns.
        await slapd.ldapModify(
          `dn: uid=dave,${slapd.peopleDn}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: dave\ncn: dave\nsn: -\n` +
            `displayName: Dave Davis\nmail: dave@example.com\n`,
        );
        const waiting = await w.dryRun(args, day(10));
        assert.match(
          waiting.stdout,
          /^\| dave +\| add to domain +\| already in the organization +\|$/m,
          describe(waiting),
        );
        assert.match(
          waiting.stdout,
          /^\| carol +\| keep +\| removed from the domain; deletion due on 2026-04-01 \(delete_after_days\) +\|$/m,
        );
        const json = JSON.parse((await w.run(["-d", "--json", ...args], day(10))).stdout);
        assert.deepEqual(validate(schema, json), []);
        assert.deepEqual(json.plan.kept, [
          { username: "carol", userId: carolId, reason: "deletionPending", due: "2026-04-01" },
        ]);
        assert.equal((await w.run(["--check", ...args], day(10))).code, 6); // dave's return is pending
        // --doctor (on the real clock: the test certificates are short-lived) reads the ledger.
        assert.match(
          (await w.run(["--doctor"])).stdout,
          /^ +ledger: 4 user\(s\), 4 managed by this sync, 2 absent from the directory \(the first deletion due on 2026-04-01, if still absent and not a member of another domain\)$/m,
        );
        assert.equal((await w.run(args, day(10))).code, 0);
        assert.deepEqual(w.memberNames(), ["alice", "bob", "dave"]);

        // Day 31, carol's due date (30 UTC days after the run that first missed her): deleted.
        const due = await w.dryRun(args, day(31));
        assert.match(
          due.stdout,
          /^\| carol +\| delete user +\| not in the directory since 2026-03-02 \(delete_after_days\); deleted from the organization +\|$/m,
          describe(due),
        );
        const deleted = await w.run(args, day(31));
        assert.equal(deleted.code, 0, describe(deleted));
        assert.equal(w.user("carol"), undefined, describe(deleted));
        assert.ok(w.user("dave"), "dave came back: never deleted");
        const ledger = JSON.parse(await Deno.readTextFile(`${w.dir}/ledger/${w.emulator.domainId}.json`));
        assert.deepEqual(ledger.users.map((u: { username: string }) => u.username), ["alice", "bob", "dave"]);
        const end = await w.dryRun(args, day(32));
        assert.ok(end.stdout.split("\n").includes(NOTHING_TO_DO), describe(end));
        assert.ok(!end.stdout.includes("Kept"), describe(end));
      });
    } finally {
      await slapd.stop();
    }
  });
}
