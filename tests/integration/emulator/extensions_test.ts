/** The ASSUMED extensions of src/logintc/extensions.ts, through their shared path builders. */
import assert from "node:assert/strict";
import { EXTENSION_ERROR_CODES, EXTENSION_PATHS } from "../../../src/logintc/extensions.ts";
import { withEmulator } from "../../support/emulatorClient.ts";

const ALICE = { username: "alice", name: "Alice", email: "alice@example.com" };

Deno.test("extensions: groups are listed with paging; membership PUT idempotent, DELETE then 404", async () => {
  await withEmulator({ pageSize: 2 }, async ({ call, emu }) => {
    const groups = ["Staff", "VPN Users", "Admins"].map((n) => emu.seedGroup(n));
    const p1 = await call("GET", `${EXTENSION_PATHS.groups}?page=1`);
    const p2 = await call("GET", `${EXTENSION_PATHS.groups}?page=2`);
    const p3 = await call("GET", `${EXTENSION_PATHS.groups}?page=3`);
    assert.deepEqual([...p1.json, ...p2.json], groups);
    assert.deepEqual(p3.json, []);
    for (const g of groups) assert.match(g.id, /^[0-9a-f]{40}$/);
    const a = emu.seedUser(ALICE);
    const path = EXTENSION_PATHS.groupMember(groups[1].id, a.id);
    for (let i = 0; i < 2; i++) {
      const r = await call("PUT", path);
      assert.equal(r.status, 200);
      assert.equal(r.text, "");
    }
    assert.deepEqual((await call("GET", `/users/${a.id}`)).json.groups, [groups[1].id]);
    const del = await call("DELETE", path);
    assert.equal(del.status, 200);
    assert.equal(del.text, "");
    assert.equal((await call("DELETE", path)).status, 404);
    const unknown = await call("PUT", EXTENSION_PATHS.groupMember("4".repeat(40), a.id));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.errors[0].code, EXTENSION_ERROR_CODES.groupNotFound);
    assert.equal((await call("PUT", EXTENSION_PATHS.groupMember(groups[0].id, "5".repeat(40)))).status, 404);
  });
});

Deno.test("extensions: seedUser groups by name (created on demand) or id", async () => {
  await withEmulator({}, ({ emu }) => {
    const staff = emu.seedGroup("Staff");
    const a = emu.seedUser({ ...ALICE, groups: ["Staff", "New Group"] });
    const all = emu.groups();
    assert.deepEqual(all.map((g) => g.name), ["Staff", "New Group"]);
    assert.deepEqual(a.groups, all.map((g) => g.id));
    assert.deepEqual(emu.seedUser({ ...ALICE, username: "bob", groups: [staff.id] }).groups, [staff.id]);
  });
});

Deno.test("extensions: aliases are set and cleared with PUT /users/{id}; null leaves them", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const a = emu.seedUser({ ...ALICE, alias2: "old" });
    assert.equal(a.alias2, "old");
    const r = await call("PUT", `/users/${a.id}`, { body: { alias1: "al", alias2: "", alias3: null } });
    assert.equal(r.status, 200);
    assert.deepEqual([r.json.alias1, r.json.alias2, r.json.alias3], ["al", "", ""]);
    assert.equal((await call("PUT", `/users/${a.id}`, { body: { alias1: 7 } })).status, 400);
    assert.equal((await call("PUT", `/users/${a.id}`, { body: { alias3: "x".repeat(129) } })).status, 400);
  });
});

Deno.test("extensions: POST phones adds a number once and returns the user", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const a = emu.seedUser({ ...ALICE, phones: ["+1 555 0100"] });
    const path = EXTENSION_PATHS.userPhones(a.id);
    const r = await call("POST", path, { body: { number: "+1 555 0199" } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.phones, ["+1 555 0100", "+1 555 0199"]);
    const again = await call("POST", path, { body: { number: "+1 555 0100" } });
    assert.deepEqual(again.json.phones, ["+1 555 0100", "+1 555 0199"]);
    assert.equal((await call("POST", path, { body: { number: "" } })).status, 400);
    assert.equal((await call("POST", path, { body: {} })).status, 400);
    assert.equal(
      (await call("POST", EXTENSION_PATHS.userPhones("6".repeat(40)), { body: { number: "1" } })).status,
      404,
    );
  });
});

Deno.test("extensions: notifications go to administrators only (case-insensitive), else 404", async () => {
  const at = new Date("2024-01-31T12:00:00Z");
  await withEmulator({ now: () => at }, async ({ call, emu }) => {
    emu.seedAdministrator("Admin@Example.com");
    const body = { email: "admin@example.COM", added: ["alice"], removed: ["bob", "carol"] };
    const r = await call("POST", EXTENSION_PATHS.notifications, { body });
    assert.equal(r.status, 200);
    assert.equal(r.text, "");
    assert.deepEqual(emu.notifications, [{ ...body, at: at.toISOString() }]);
    const no = await call("POST", EXTENSION_PATHS.notifications, {
      body: { ...body, email: "x@example.com" },
    });
    assert.equal(no.status, 404);
    assert.equal(no.json.errors[0].code, EXTENSION_ERROR_CODES.administratorNotFound);
    const bad = await call("POST", EXTENSION_PATHS.notifications, {
      body: { email: "admin@example.com", added: "x" },
    });
    assert.equal(bad.status, 400);
    assert.equal(emu.notifications.length, 1);
  });
});
