/**
 * End to end, the real CLI against slapd + the LoginTC emulator: aliases (set, clear with "" and
 * " ", absent attribute untouched, normalize_alias), phones (additive only), -g (existing group,
 * missing group) and -l (notification, non-administrator address).
 */
import assert from "node:assert/strict";
import { describe, NOTHING_TO_DO, withWorld } from "../support/world.ts";
import { PEOPLE_DN } from "../support/slapdData.ts";

/** An entry with empty employeeNumber and description values (the UserSpec helper writes none). */
const EMPTY_VALUES_LDIF = [
  `dn: uid=emptyclear,${PEOPLE_DN}`,
  "objectClass: inetOrgPerson",
  "uid: emptyclear",
  "cn: Empty Clear",
  "sn: Clear",
  "displayName: Empty Clear",
  "mail: emptyclear@example.com",
  "employeeNumber:",
].join("\n");

Deno.test('aliases: set, clear with "" and " ", absent attribute untouched, normalize_alias', async () => {
  await withWorld({
    users: [
      // alias1 is not normalized: the value is kept as the directory has it.
      {
        uid: "setter",
        displayName: "Set Ter",
        mail: "setter@example.com",
        extra: { employeeNumber: "E-101" },
      },
      {
        uid: "spaceclear",
        displayName: "Space Clear",
        mail: "spaceclear@example.com",
        extra: { employeeNumber: " " },
      },
      { uid: "absent", displayName: "Ab Sent", mail: "absent@example.com" },
      {
        uid: "john.doe",
        displayName: "John Doe",
        mail: "jd@example.com",
        extra: {
          employeeNumber: "EXAMPLE\\Mixed.Case",
          description: "EXAMPLE\\John.Doe",
          carLicense: "john.doe@example.com",
        },
      },
    ],
    extraLdif: EMPTY_VALUES_LDIF,
    ldap: {
      attr_alias1: "employeeNumber",
      attr_alias2: "description",
      attr_alias3: "carLicense",
      normalize_alias: "alias2,alias3",
    },
  }, async (w) => {
    const seed = (username: string, alias1: string) =>
      w.emulator.seedUser({
        username,
        name: username,
        email: `${username}@example.com`,
        alias1,
        alias2: "a2",
        alias3: "a3",
      });
    seed("setter", "E-old");
    seed("emptyclear", "old-1");
    seed("spaceclear", "old-2");
    seed("absent", "keep-me");

    const dry = await w.dryRun([]);
    const rows = dry.stdout.split("\n").filter((l) => /(set|clear) alias/.test(l)).map((l) =>
      l.split("|").slice(1, 4).map((c) => c.trim()).join(" | ")
    );
    assert.deepEqual(rows, [
      "emptyclear | clear alias | alias1: cleared",
      "john.doe | set alias | alias1: EXAMPLE\\Mixed.Case",
      "john.doe | set alias | alias2: john.doe",
      "john.doe | set alias | alias3: john.doe",
      "setter | set alias | alias1: E-old → E-101",
      "spaceclear | clear alias | alias1: cleared",
    ], describe(dry));

    const sync = await w.run([]);
    assert.equal(sync.code, 0, describe(sync));
    const aliases = (name: string) => {
      const u = w.user(name)!;
      return [u.alias1, u.alias2, u.alias3];
    };
    assert.deepEqual(aliases("setter"), ["E-101", "a2", "a3"]);
    assert.deepEqual(aliases("emptyclear"), ["", "a2", "a3"]);
    assert.deepEqual(aliases("spaceclear"), ["", "a2", "a3"]);
    // No employeeNumber, description or carLicense on the entry: LoginTC's aliases stay.
    assert.deepEqual(aliases("absent"), ["keep-me", "a2", "a3"]);
    // Created in this run, aliases set on the new user.
    assert.deepEqual(aliases("john.doe"), ["EXAMPLE\\Mixed.Case", "john.doe", "john.doe"]);

    const again = await w.dryRun([]);
    assert.ok(again.stdout.includes(NOTHING_TO_DO), describe(again));
  });
});

Deno.test("phones are additive: LoginTC-only phones stay, new ones are added, formatting variants are not", async () => {
  await withWorld({
    users: [
      { uid: "alice", displayName: "Alice", mail: "alice@example.com", telephoneNumber: "+1 555 0101" },
      { uid: "bob", displayName: "Bob", mail: "bob@example.com", telephoneNumber: "+1 (555) 0102" },
      { uid: "carol", displayName: "Carol", mail: "carol@example.com", telephoneNumber: "+49 30 1111" },
      { uid: "dave", displayName: "Dave", mail: "dave@example.com" },
    ],
    ldap: { attr_phone: "telephoneNumber" },
  }, async (w) => {
    w.emulator.seedUser({
      username: "alice",
      name: "Alice",
      email: "alice@example.com",
      phones: ["+1 555 0000"],
    });
    w.emulator.seedUser({ username: "bob", name: "Bob", email: "bob@example.com", phones: ["+1-555-0102"] });
    w.emulator.seedUser({
      username: "dave",
      name: "Dave",
      email: "dave@example.com",
      phones: ["+1 555 0404"],
    });

    const dry = await w.dryRun([]);
    assert.match(
      dry.stdout,
      /^Plan: 1 to create, 0 to update, 1 to add to domain, 2 phone\(s\) to add, 0 to remove$/m,
    );
    assert.match(dry.stdout, /^\| alice +\| add phone +\| phone \+1 555 0101 +\|$/m);
    assert.match(dry.stdout, /^\| carol +\| add phone +\| phone \+49 30 1111 +\|$/m);

    const sync = await w.run([]);
    assert.equal(sync.code, 0, describe(sync));
    assert.deepEqual(w.user("alice")!.phones, ["+1 555 0000", "+1 555 0101"]);
    assert.deepEqual(w.user("bob")!.phones, ["+1-555-0102"]);
    assert.deepEqual(w.user("carol")!.phones, ["+49 30 1111"]);
    assert.deepEqual(w.user("dave")!.phones, ["+1 555 0404"]); // no phone in LDAP: never taken away
    assert.equal(w.emulator.requests.filter((q) => q.path.endsWith("/phones")).length, 2);

    await w.dryRun([]).then((r) => assert.ok(r.stdout.includes(NOTHING_TO_DO), describe(r)));
  });
});

Deno.test("-g", async (t) => {
  await withWorld({
    users: [
      { uid: "alice", displayName: "Alice", mail: "alice@example.com" },
      { uid: "bob", displayName: "Bob", mail: "bob@example.com" },
    ],
  }, async (w) => {
    const sales = w.emulator.seedGroup("Sales");
    w.emulator.seedUser({ username: "alice", name: "Alice", email: "alice@example.com", groups: [sales.id] });

    await t.step("a missing group: clear error, exit 1, nothing written", async () => {
      const before = w.emulator.requests.length;
      const r = await w.run(["-g", "Marketing"]);
      assert.equal(r.code, 1, describe(r));
      assert.equal(r.stderr, `error: group "Marketing" not found in LoginTC Admin\n`);
      assert.deepEqual(w.writesSince(before), []);
      assert.deepEqual(w.memberNames(), ["alice"]);
      // No job was started, and the lock was released (its file stays: src/state/lock.ts); the run is
      // recorded for --doctor (src/state/lastRun.ts).
      assert.deepEqual([...Deno.readDirSync(w.dir)].map((e) => e.name).sort(), [
        "config.cfg",
        "last-run.json",
        "logintc-sync.lock",
      ]);
    });

    await t.step("users are added to an existing group (name matched case-insensitively)", async () => {
      const dry = await w.dryRun(["-g", "sales"]);
      assert.match(
        dry.stdout,
        /^Plan: 1 to create, 0 to update, 1 to add to domain, 1 to add to group, 0 to remove$/m,
      );
      assert.match(dry.stdout, /^\| bob +\| add to group +\| group Sales +\|$/m);
      const sync = await w.run(["-g", "sales"]);
      assert.equal(sync.code, 0, describe(sync));
      assert.deepEqual(w.user("alice")!.groups, [sales.id]);
      assert.deepEqual(w.user("bob")!.groups, [sales.id]);
      const groupCalls = w.emulator.requests.filter((q) =>
        q.path.startsWith("/api/groups/") && q.method === "PUT"
      );
      assert.deepEqual(groupCalls.map((q) => q.path), [`/api/groups/${sales.id}/users/${w.user("bob")!.id}`]);
      await w.dryRun(["-g", "Sales"]).then((r) => assert.ok(r.stdout.includes(NOTHING_TO_DO), describe(r)));
    });
  });
});

Deno.test("-l", async (t) => {
  const users = [
    { uid: "alice", displayName: "Alice", mail: "alice@example.com" },
    { uid: "bob", displayName: "Bob", mail: "bob@example.com" },
  ];
  const seed = (w: Parameters<Parameters<typeof withWorld>[1]>[0]) => {
    w.emulator.seedAdministrator("admin@example.com");
    w.emulator.seedUser({ username: "alice", name: "Alice", email: "alice@example.com" });
    w.emulator.seedUser({ username: "leaver", name: "Leaver", email: "leaver@example.com" });
    w.emulator.seedUser({ username: "gone", name: "Gone", email: "gone@example.com" });
  };

  await t.step("an administrator's address: notification with the added and removed lists", async () => {
    await withWorld({ users }, async (w) => {
      seed(w);
      const args = ["-m", "remove", "-r", "2", "-l", "Admin@Example.com"];
      await w.dryRun(args); // a dry run notifies nobody (and sends only GETs)
      assert.equal(w.emulator.notifications.length, 0);

      const sync = await w.run(args);
      assert.equal(sync.code, 0, describe(sync));
      assert.equal(sync.stderr, "");
      assert.match(sync.stdout, /^Notification sent to Admin@Example\.com \(1 added, 2 removed\)\.$/m);
      assert.equal(w.emulator.notifications.length, 1);
      const { email, added, removed } = w.emulator.notifications[0];
      assert.deepEqual({ email, added, removed }, {
        email: "Admin@Example.com",
        added: ["bob"],
        removed: ["gone", "leaver"],
      });

      // Nothing added or removed: no notification.
      const again = await w.run(args);
      assert.equal(again.code, 0, describe(again));
      assert.ok(again.stdout.includes(NOTHING_TO_DO), describe(again));
      assert.equal(w.emulator.notifications.length, 1);
    });
  });

  await t.step("not an administrator's address: warning on stderr, the sync still exits 0", async () => {
    await withWorld({ users }, async (w) => {
      seed(w);
      const sync = await w.run(["-m", "remove", "-r", "2", "-l", "someone@example.com"]);
      assert.equal(sync.code, 0, describe(sync));
      assert.equal(
        sync.stderr,
        "warning: -l someone@example.com: not the email of a LoginTC Admin administrator; no notification was sent\n",
      );
      assert.doesNotMatch(sync.stdout, /Notification sent/);
      assert.equal(w.emulator.notifications.length, 0);
      assert.deepEqual(w.memberNames(), ["alice", "bob"]);
    });
  });
});
