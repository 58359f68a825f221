import assert from "node:assert/strict";
import { USER_KEYS, VND, withEmulator } from "../../support/emulatorClient.ts";

const ALICE = { username: "alice", name: "Alice Liddell", email: "alice@example.com" };

Deno.test("users: POST creates a user with every key present and never null", async () => {
  await withEmulator({}, async ({ call }) => {
    const r = await call("POST", "/users", { body: ALICE });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json).sort(), [...USER_KEYS].sort());
    assert.match(r.json.id, /^[0-9a-f]{40}$/);
    assert.deepEqual(
      { ...r.json, id: "" },
      {
        id: "",
        ...ALICE,
        domains: [],
        bypasscodes: [],
        hardware: "",
        alias1: "",
        alias2: "",
        alias3: "",
        phones: [],
        groups: [],
      },
    );
    const got = await call("GET", `/users/${r.json.id}`);
    assert.deepEqual(got.json, r.json);
  });
});

Deno.test("users: lookup by username is case-insensitive, decodes like URLSearchParams, 404 when absent", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const a = emu.seedUser({ username: "Ann Lee+x&y=z", name: "Ann", email: "ann@example.com" });
    const r = await call("GET", `/users?username=${encodeURIComponent("ann lee+X&Y=Z")}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.id, a.id);
    assert.ok(!Array.isArray(r.json));
    // A raw "+" is a space under form decoding (WHATWG URL, application/x-www-form-urlencoded).
    const raw = await call("GET", "/users?username=Ann+Lee%2Bx%26y%3Dz");
    assert.equal(raw.json.id, a.id);
    const missing = await call("GET", "/users?username=nobody");
    assert.equal(missing.status, 404);
    assert.equal(missing.json.errors[0].code, "api.error.notfound.user");
    const byId = await call("GET", "/users/invalid");
    assert.equal(byId.status, 404);
    assert.equal(byId.json.errors[0].code, "api.error.notfound.user");
  });
});

Deno.test("users: paging with page size 2 over 7 users, 1-based, [] past the end, creation order", async () => {
  await withEmulator({ pageSize: 2 }, async ({ call, emu }) => {
    const names = ["g", "f", "e", "d", "c", "b", "a"];
    for (const n of names) emu.seedUser({ username: n, name: n, email: `${n}@example.com`, domains: [] });
    const seen: string[] = [];
    const sizes: number[] = [];
    for (let page = 1;; page++) {
      const r = await call("GET", `/users?page=${page}`);
      assert.equal(r.status, 200);
      sizes.push(r.json.length);
      if (r.json.length === 0) break;
      seen.push(...r.json.map((u: { username: string }) => u.username));
    }
    assert.deepEqual(sizes, [2, 2, 2, 1, 0]);
    assert.deepEqual(seen, names);
    const first = await call("GET", "/users");
    assert.deepEqual(first.json.map((u: { username: string }) => u.username), ["g", "f"]);
    assert.deepEqual((await call("GET", "/users?page=99")).json, []);
    for (const bad of ["0", "-1", "x", "1.5", ""]) {
      const r = await call("GET", `/users?page=${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.json.errors[0].code, "api.error.validation");
    }
  });
});

Deno.test("users: validation errors are 400 with an errors body naming the field", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const cases: [unknown, string][] = [
      [{ ...ALICE, username: "" }, "username"],
      [{ ...ALICE, username: "u".repeat(129) }, "username"],
      [{ ...ALICE, name: "" }, "name"],
      [{ ...ALICE, name: "n".repeat(129) }, "name"],
      [{ ...ALICE, email: "not-an-email" }, "email"],
      [{ ...ALICE, email: "a@b" }, "email"],
      [{ ...ALICE, email: 5 }, "email"],
      [{ ...ALICE, username: ["x"] }, "username"],
      [{ name: "x", email: "x@example.com" }, "username"],
      [[ALICE], "JSON object"],
    ];
    for (const [body, word] of cases) {
      const r = await call("POST", "/users", { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.errors[0].code, "api.error.validation");
      assert.ok(r.json.errors[0].message.includes(word), r.json.errors[0].message);
    }
    const ok = await call("POST", "/users", {
      body: { ...ALICE, username: "u".repeat(128), name: "é".repeat(128) },
    });
    assert.equal(ok.status, 200);
    const malformed = await call("POST", "/users", { body: "{not json" });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.errors[0].code, "api.error.badrequest");
    const form = await call("POST", "/users", {
      body: "username=x",
      headers: { "content-type": "text/plain" },
    });
    assert.equal(form.status, 415);
    const plainJson = await call("POST", "/users", {
      body: { ...ALICE, username: "bob" },
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    assert.equal(plainJson.status, 200);
    assert.equal(emu.users().length, 2);
  });
});

Deno.test("users: duplicate usernames are rejected case-insensitively with 400 by default", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    assert.equal((await call("POST", "/users", { body: ALICE })).status, 200);
    const dup = await call("POST", "/users", { body: { ...ALICE, username: "ALICE" } });
    assert.equal(dup.status, 400);
    assert.equal(dup.json.errors[0].code, "api.error.duplicate.username");
    assert.equal(emu.users().length, 1);
  });
});

Deno.test("users: duplicateStatus 409 and caseSensitiveUsernames options", async () => {
  await withEmulator({ duplicateStatus: 409, caseSensitiveUsernames: true }, async ({ call, emu }) => {
    assert.equal((await call("POST", "/users", { body: ALICE })).status, 200);
    assert.equal((await call("POST", "/users", { body: ALICE })).status, 409);
    assert.equal((await call("POST", "/users", { body: { ...ALICE, username: "ALICE" } })).status, 200);
    assert.equal((await call("GET", "/users?username=Alice")).status, 404);
    assert.deepEqual(emu.users().map((u) => u.username), ["ALICE", "alice"]);
  });
});

Deno.test("users: PUT updates given fields, null/absent unchanged, username field 400, unknown user 404", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const a = emu.seedUser(ALICE);
    const r = await call("PUT", `/users/${a.id}`, { body: { name: "Alice L.", email: null } });
    assert.equal(r.status, 200);
    assert.equal(r.json.name, "Alice L.");
    assert.equal(r.json.email, ALICE.email);
    const e = await call("PUT", `/users/${a.id}`, { body: { email: "new@example.com" } });
    assert.equal(e.json.email, "new@example.com");
    assert.equal(e.json.name, "Alice L.");
    const u = await call("PUT", `/users/${a.id}`, { body: { username: "alice2" } });
    assert.equal(u.status, 400);
    assert.equal((await call("PUT", `/users/${a.id}`, { body: { name: "" } })).status, 400);
    assert.equal((await call("PUT", `/users/${a.id}`, { body: { email: "bad" } })).status, 400);
    assert.equal((await call("PUT", `/users/${"0".repeat(40)}`, { body: { name: "x" } })).status, 404);
    assert.equal(emu.users()[0].username, "alice");
    assert.equal(emu.users()[0].name, "Alice L.");
  });
});

Deno.test("users: DELETE is 200 with an empty body, removes memberships and tokens; again 404", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const other = emu.seedDomain("VPN");
    const a = emu.seedUser({ ...ALICE, domains: [emu.domainId, other], token: "pending" });
    assert.ok(emu.token(other, a.id));
    const r = await call("DELETE", `/users/${a.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.text, "");
    assert.equal(r.headers.get("content-length"), "0");
    assert.deepEqual(emu.users(), []);
    assert.deepEqual(emu.members(), []);
    assert.deepEqual(emu.members(other), []);
    assert.equal((await call("DELETE", `/users/${a.id}`)).status, 404);
    assert.equal((await call("GET", `/domains/${other}/users/${a.id}/token`)).status, 404);
  });
});

Deno.test("organization and ping", async () => {
  await withEmulator({ organizationName: "Chrome Stage" }, async ({ call }) => {
    const o = await call("GET", "/organization");
    assert.equal(o.status, 200);
    assert.deepEqual(o.json, { name: "Chrome Stage" });
    assert.equal(o.headers.get("content-type"), VND);
  });
});
