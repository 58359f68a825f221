import assert from "node:assert/strict";
import { withEmulator } from "../../support/emulatorClient.ts";

const user = (n: string, domains?: string[]) => ({
  username: n,
  name: `User ${n}`,
  email: `${n}@example.com`,
  domains,
});

Deno.test("domains: GET returns the domain object with J's keys; unknown id 404 notfound.domain", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const r = await call("GET", `/domains/${emu.domainId}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      id: emu.domainId,
      name: "Test Domain",
      type: "RADIUS",
      keyType: "PIN",
      maxAllowedRetries: 5,
      requestTimeout: 120,
      activationCodeExpiration: 365,
      requestPollingEnabled: true,
      bypassEnabled: true,
    });
    const missing = await call("GET", `/domains/${"1".repeat(40)}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.errors[0].code, "api.error.notfound.domain");
    const extra = emu.seedDomain("VPN");
    assert.match(extra, /^[0-9a-f]{40}$/);
    assert.equal((await call("GET", `/domains/${extra}`)).json.name, "VPN");
  });
});

Deno.test("domains: members are paged (size 2) and only members are listed", async () => {
  await withEmulator({ pageSize: 2 }, async ({ call, emu }) => {
    for (const n of ["m1", "m2", "m3", "m4", "m5"]) emu.seedUser(user(n));
    emu.seedUser(user("outsider", []));
    const seen: string[] = [];
    for (let page = 1;; page++) {
      const r = await call("GET", `/domains/${emu.domainId}/users?page=${page}`);
      assert.equal(r.status, 200);
      if (r.json.length === 0) break;
      for (const u of r.json) assert.deepEqual(u.domains, [emu.domainId]);
      seen.push(...r.json.map((u: { username: string }) => u.username));
    }
    assert.deepEqual(seen, ["m1", "m2", "m3", "m4", "m5"]);
    assert.equal((await call("GET", `/domains/${emu.domainId}/users?page=0`)).status, 400);
    assert.equal((await call("GET", `/domains/${"2".repeat(40)}/users`)).status, 404);
  });
});

Deno.test("domains: PUT member is 200 empty and idempotent; GET member; DELETE 200 empty then 404", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const a = emu.seedUser(user("alice", []));
    const path = `/domains/${emu.domainId}/users/${a.id}`;
    assert.equal((await call("GET", path)).status, 404);
    for (let i = 0; i < 2; i++) {
      const r = await call("PUT", path, { headers: { "content-length": "0" } });
      assert.equal(r.status, 200);
      assert.equal(r.text, "");
    }
    assert.deepEqual(emu.members().map((u) => u.username), ["alice"]);
    const got = await call("GET", path);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.domains, [emu.domainId]);
    const del = await call("DELETE", path);
    assert.equal(del.status, 200);
    assert.equal(del.text, "");
    const again = await call("DELETE", path);
    assert.equal(again.status, 404);
    assert.equal(again.json.errors[0].code, "api.error.notfound.user");
    assert.equal(emu.users().length, 1, "the user stays in the organization");
    assert.equal((await call("PUT", `/domains/${emu.domainId}/users/${"3".repeat(40)}`)).status, 404);
  });
});

Deno.test("domains: removing a member revokes the token in that domain only", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const vpn = emu.seedDomain("VPN");
    const a = emu.seedUser({ ...user("alice"), domains: [emu.domainId, vpn], token: "active" });
    assert.equal((await call("DELETE", `/domains/${emu.domainId}/users/${a.id}`)).status, 200);
    assert.equal(emu.token(emu.domainId, a.id), undefined);
    assert.deepEqual(emu.token(vpn, a.id), { state: "active" });
    // Re-adding does not bring the token back.
    await call("PUT", `/domains/${emu.domainId}/users/${a.id}`);
    const t = await call("GET", `/domains/${emu.domainId}/users/${a.id}/token`);
    assert.equal(t.status, 404);
    assert.equal(t.json.errors[0].code, "api.error.notfound.token");
  });
});

Deno.test("domains: bulk PUT creates, adds, updates and removes (revoking tokens); 200 empty", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const keep = emu.seedUser(user("keep"));
    const gone = emu.seedUser({ ...user("gone"), token: "pending" });
    emu.seedUser(user("Outside", []));
    const r = await call("PUT", `/domains/${emu.domainId}/users`, {
      body: [
        { username: "KEEP", name: "Kept Name", email: "keep@example.com" },
        { username: "outside", name: "Now In", email: "outside@example.com" },
        { username: "new", name: "New User", email: "new@example.com" },
      ],
    });
    assert.equal(r.status, 200);
    assert.equal(r.text, "");
    assert.deepEqual(emu.members().map((u) => u.username), ["Outside", "keep", "new"]);
    assert.equal(emu.members().find((u) => u.id === keep.id)?.name, "Kept Name");
    assert.equal(emu.token(emu.domainId, gone.id), undefined);
    assert.deepEqual(emu.users().map((u) => u.username), ["Outside", "gone", "keep", "new"]);
    const bad = await call("PUT", `/domains/${emu.domainId}/users`, { body: [{ username: "x", name: "x" }] });
    assert.equal(bad.status, 400);
    const dup = await call("PUT", `/domains/${emu.domainId}/users`, {
      body: [user("a"), user("A")].map(({ username, name, email }) => ({ username, name, email })),
    });
    assert.equal(dup.status, 400);
    assert.equal(emu.members().length, 3, "a rejected bulk PUT changes nothing");
    assert.equal((await call("PUT", `/domains/${emu.domainId}/users`, { body: [] })).status, 200);
    assert.deepEqual(emu.members(), []);
  });
});

Deno.test("domains: bulkUpdatesExisting false leaves listed users' name and email alone", async () => {
  await withEmulator({ bulkUpdatesExisting: false }, async ({ call, emu }) => {
    emu.seedUser(user("keep"));
    await call("PUT", `/domains/${emu.domainId}/users`, {
      body: [{ username: "keep", name: "Other", email: "other@example.com" }],
    });
    assert.equal(emu.members()[0].name, "User keep");
  });
});
