/**
 * The ledger's update (src/sync/ledger.ts nextLedger): what a real run records, and that absence —
 * no ledger, no anchor, another attribute — is unknown, never a change.
 */
import assert from "node:assert/strict";
import { type Ledger, type LedgerEntry, type LedgerRun, nextLedger } from "../../../src/sync/ledger.ts";
import type { Step } from "../../../src/sync/stepKinds.ts";
import type { DirectoryUser, LoginTCUser } from "../../../src/types.ts";

const DOMAIN = "d".repeat(40);
const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-02-01T00:00:00.000Z";
const NOW = new Date(T1);

const dirUser = (username: string, anchor?: string): DirectoryUser => ({
  dn: `uid=${username},dc=example,dc=com`,
  username,
  name: username,
  email: `${username}@example.com`,
  aliases: {},
  ...(anchor !== undefined ? { anchor } : {}),
});
const tcUser = (username: string, id = `id-${username}`): LoginTCUser => ({ id, username });
const entry = (username: string, fields: Partial<LedgerEntry> = {}): LedgerEntry => ({
  username,
  anchor: null,
  userId: `id-${username}`,
  managed: true,
  firstSeen: T0,
  lastSeen: T0,
  absentSince: null,
  ...fields,
});
const ledger = (users: LedgerEntry[], anchorAttribute: string | null = "entryUUID"): Ledger => ({
  version: 1,
  domainId: DOMAIN,
  anchorAttribute,
  updatedAt: T0,
  users,
});
const run = (fields: Partial<LedgerRun>): LedgerRun => ({
  previous: undefined,
  domainId: DOMAIN,
  anchorAttribute: "entryUUID",
  directory: [],
  leftOut: [],
  members: [],
  orgUsers: [],
  done: [],
  now: NOW,
  ...fields,
});
const byName = (l: Ledger) => Object.fromEntries(l.users.map((u) => [u.username, u]));

Deno.test("ledger: a first run (no ledger) records what it sees, sorted; members found are managed, the new user once added", () => {
  const done: Step[] = [
    { kind: "createUser", username: "new", name: "new", email: "new@example.com" },
    { kind: "addToDomain", username: "new" },
  ];
  const next = nextLedger(run({
    directory: [
      dirUser("zed", "a-zed"),
      dirUser("Amy", "a-amy"),
      dirUser("new", "a-new"),
      dirUser("org", "a-org"),
    ],
    members: [tcUser("zed"), tcUser("amy")],
    orgUsers: [tcUser("org")],
    done,
    createdIds: { new: "id-created" },
  }));
  assert.deepEqual(next.users.map((u) => u.username), ["Amy", "new", "org", "zed"]);
  assert.deepEqual(next.users.map((u) => [u.anchor, u.userId, u.managed]), [
    ["a-amy", "id-amy", true],
    ["a-new", "id-created", true],
    // In the organization, not a member, and not added (no step done): not this tool's member.
    ["a-org", "id-org", false],
    ["a-zed", "id-zed", true],
  ]);
  assert.ok(next.users.every((u) => u.firstSeen === T1 && u.lastSeen === T1 && u.absentSince === null));
  assert.deepEqual(
    {
      version: next.version,
      domainId: next.domainId,
      anchorAttribute: next.anchorAttribute,
      at: next.updatedAt,
    },
    { version: 1, domainId: DOMAIN, anchorAttribute: "entryUUID", at: T1 },
  );
});

Deno.test("ledger: with a ledger, a member the ledger never saw is not managed; a previous entry keeps managed until this run adds it", () => {
  const previous = ledger([
    entry("kept", { managed: false, anchor: "a1" }),
    entry("joins", { managed: false }),
  ]);
  const next = byName(nextLedger(run({
    previous,
    directory: [dirUser("kept", "a1"), dirUser("hand", "a2"), dirUser("joins", "a3")],
    members: [tcUser("kept"), tcUser("hand")],
    orgUsers: [tcUser("joins")],
    done: [{ kind: "addToDomain", username: "joins", userId: "id-joins" }],
  })));
  assert.equal(next.kept.managed, false);
  assert.equal(next.hand.managed, false);
  assert.equal(next.joins.managed, true);
  assert.equal(next.kept.firstSeen, T0);
  assert.equal(next.hand.firstSeen, T1);
});

Deno.test("ledger: absent is unknown — an entry without an anchor keeps the ledger's; no anchor attribute keeps them all", () => {
  const previous = ledger([entry("jdoe", { anchor: "a-jdoe" }), entry("gone", { anchor: "a-gone" })]);
  const noAnchor = byName(
    nextLedger(run({ previous, directory: [dirUser("jdoe")], members: [tcUser("jdoe")] })),
  );
  assert.equal(noAnchor.jdoe.anchor, "a-jdoe");
  const noAttribute = nextLedger(run({
    previous,
    anchorAttribute: null,
    directory: [dirUser("jdoe")],
    members: [tcUser("jdoe")],
  }));
  assert.equal(noAttribute.anchorAttribute, "entryUUID");
  assert.deepEqual(noAttribute.users.map((u) => u.anchor), ["a-gone", "a-jdoe"]);
  // A first run that reads no anchor records null, never a guess.
  const first = nextLedger(
    run({ anchorAttribute: null, directory: [dirUser("jdoe")], members: [tcUser("jdoe")] }),
  );
  assert.equal(first.anchorAttribute, null);
  assert.equal(first.users[0].anchor, null);
});

Deno.test("ledger: an anchor that contradicts the entry while the LoginTC user exists is recorded only once a reassignment is done", () => {
  const previous = ledger([entry("jdoe", { anchor: "old-person" })]);
  const input = { previous, directory: [dirUser("jdoe", "new-person")], members: [tcUser("jdoe")] };
  // Not done (withheld, failed, or not planned): the old anchor stays, so the next run flags it again.
  assert.equal(nextLedger(run(input)).users[0].anchor, "old-person");
  assert.equal(
    nextLedger(
      run({ ...input, done: [{ kind: "updateUser", username: "jdoe", userId: "id-jdoe", changes: {} }] }),
    ).users[0].anchor,
    "old-person",
  );
  // No LoginTC user to hold a token: the new person's anchor is recorded.
  assert.equal(nextLedger(run({ ...input, members: [] })).users[0].anchor, "new-person");
  // The same anchor: nothing to decide.
  assert.equal(
    nextLedger(run({ ...input, directory: [dirUser("jdoe", "old-person")] })).users[0].anchor,
    "old-person",
  );
});

Deno.test("ledger: another anchor attribute makes the old anchors incomparable: replaced where read, cleared where not", () => {
  const previous = ledger(
    [entry("jdoe", { anchor: "uuid-1" }), entry("gone", { anchor: "uuid-2" })],
    "entryUUID",
  );
  const next = nextLedger(run({
    previous,
    anchorAttribute: "employeeNumber",
    directory: [dirUser("jdoe", "E100")],
    members: [tcUser("jdoe"), tcUser("gone")],
  }));
  assert.equal(next.anchorAttribute, "employeeNumber");
  assert.deepEqual(byName(next).jdoe.anchor, "E100");
  assert.deepEqual(byName(next).gone.anchor, null);
});

Deno.test("ledger: entries the directory no longer shows stay with absentSince (first absence kept) until this tool deletes the user", () => {
  const T2 = new Date("2026-03-01T00:00:00.000Z");
  const previous = ledger([
    entry("left", { anchor: "a1" }),
    entry("removed", { anchor: "a2" }),
    entry("deleted", { anchor: "a3" }),
    entry("back", { anchor: "a4", absentSince: T0 }),
  ]);
  const once = nextLedger(run({
    previous,
    directory: [dirUser("back", "a4")],
    members: [tcUser("left"), tcUser("removed"), tcUser("deleted"), tcUser("back")],
    done: [
      { kind: "removeFromDomain", username: "removed", userId: "id-removed" },
      { kind: "deleteUser", username: "deleted", userId: "id-deleted" },
    ],
  }));
  const n = byName(once);
  assert.deepEqual(Object.keys(n), ["back", "left", "removed"]);
  assert.equal(n.left.absentSince, T1);
  assert.equal(n.left.lastSeen, T0);
  assert.equal(n.removed.anchor, "a2");
  assert.equal(n.back.absentSince, null);
  const twice = byName(nextLedger(run({ previous: once, now: T2, members: [tcUser("left")] })));
  assert.equal(twice.left.absentSince, T1);
  assert.equal(twice.back.absentSince, T2.toISOString());
  // Not a member any more: the id last known stays (the LoginTC user may still exist).
  assert.equal(twice.removed.userId, "id-removed");
});

Deno.test("ledger: an absent user LoginTC no longer has (gone, read for delete_after_days) leaves the ledger", () => {
  const previous = ledger([
    entry("gone", { absentSince: T0 }),
    entry("waiting", { absentSince: T0 }),
    entry("nouser", { userId: null, absentSince: T0 }),
  ]);
  const next = byName(nextLedger(run({ previous, gone: ["id-gone", "id-other"] })));
  assert.deepEqual(Object.keys(next), ["nouser", "waiting"]);
  assert.equal(next.waiting.absentSince, T0);
});

Deno.test("ledger: a failed create records no id; left-out users are seen, not recorded; case variants share one entry", () => {
  const previous = ledger([entry("Kim", { anchor: "a-kim" })]);
  const dup = dirUser("dup", "a-dup");
  const kim2 = { ...dirUser("KIM", "a-kim2"), dn: "uid=KIM,ou=other,dc=example,dc=com" };
  const next = byName(nextLedger(run({
    previous,
    directory: [dirUser("Kim", "a-kim"), kim2, dirUser("fails", "a-fails"), dup],
    leftOut: [{ username: "KIM", dn: kim2.dn }, { username: "dup", dn: dup.dn }],
    members: [tcUser("kim")],
    done: [],
  })));
  assert.deepEqual(Object.keys(next), ["fails", "Kim"]);
  assert.equal(next.fails.userId, null);
  assert.equal(next.fails.anchor, "a-fails");
  assert.equal(next.Kim.anchor, "a-kim");
  assert.equal(next.Kim.lastSeen, T1);
});

Deno.test("ledger: keys a newer version wrote are kept, at the top and in entries; another domain's ledger is not used", () => {
  const previous: Ledger = {
    ...ledger([{ ...entry("jdoe", { anchor: "a1" }), other: { note: "x" } }]),
    other: { future: [1] },
  };
  const next = nextLedger(run({ previous, directory: [dirUser("jdoe", "a1")], members: [tcUser("jdoe")] }));
  assert.deepEqual(next.other, { future: [1] });
  assert.deepEqual(next.users[0].other, { note: "x" });
  const elsewhere = nextLedger(run({
    previous: { ...previous, domainId: "e".repeat(40) },
    directory: [dirUser("jdoe", "a2")],
    members: [tcUser("jdoe")],
  }));
  assert.equal(elsewhere.users[0].anchor, "a2");
  assert.equal(elsewhere.users[0].firstSeen, T1);
});
