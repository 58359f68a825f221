import assert from "node:assert/strict";
import { withEmulator } from "../../support/emulatorClient.ts";

const ALICE = { username: "alice", name: "Alice", email: "alice@example.com" };

Deno.test("tokens: PUT issues a pending token with a 10-char [a-z0-9] code and emails it; idempotent", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const a = emu.seedUser(ALICE);
    const path = `/domains/${emu.domainId}/users/${a.id}/token`;
    const first = await call("PUT", path, { headers: { "content-length": "0" } });
    assert.equal(first.status, 200);
    assert.equal(first.json.state, "pending");
    assert.match(first.json.code, /^[a-z0-9]{10}$/);
    const second = await call("PUT", path);
    assert.deepEqual(second.json, first.json, "a pending token keeps its code");
    assert.deepEqual((await call("GET", path)).json, first.json);
    assert.equal(emu.tokenEmailed(emu.domainId, a.id), true);
    assert.equal(emu.activationEmails.length, 1);
    assert.deepEqual(
      { ...emu.activationEmails[0], at: "" },
      {
        domainId: emu.domainId,
        userId: a.id,
        username: "alice",
        email: ALICE.email,
        code: first.json.code,
        at: "",
      },
    );
  });
});

Deno.test("tokens: {sendEmail:false} is recorded; active tokens stay active; activate hook", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const a = emu.seedUser(ALICE);
    const path = `/domains/${emu.domainId}/users/${a.id}/token`;
    const r = await call("PUT", path, { body: { sendEmail: false } });
    assert.equal(r.json.state, "pending");
    assert.equal(emu.tokenEmailed(emu.domainId, a.id), false);
    assert.deepEqual(emu.activationEmails, []);
    emu.activateToken(emu.domainId, a.id);
    assert.deepEqual((await call("PUT", path)).json, { state: "active" });
    assert.deepEqual((await call("GET", path)).json, { state: "active" });
    assert.equal((await call("PUT", path, { body: { sendEmail: "no" } })).status, 400);
  });
});

Deno.test("tokens: not a member 404, missing token 404 notfound.token, DELETE revokes then re-issue gets a new code", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const outsider = emu.seedUser({ ...ALICE, username: "out", domains: [] });
    const out = await call("PUT", `/domains/${emu.domainId}/users/${outsider.id}/token`);
    assert.equal(out.status, 404);
    assert.equal(out.json.errors[0].code, "api.error.notfound.user");
    assert.deepEqual(emu.members(), [], "issuing a token does not add the user");
    const a = emu.seedUser(ALICE);
    const path = `/domains/${emu.domainId}/users/${a.id}/token`;
    const none = await call("GET", path);
    assert.equal(none.status, 404);
    assert.equal(none.json.errors[0].code, "api.error.notfound.token");
    const first = (await call("PUT", path)).json;
    const del = await call("DELETE", path);
    assert.equal(del.status, 200);
    assert.equal(del.text, "");
    assert.equal((await call("GET", path)).status, 404);
    assert.equal((await call("DELETE", path)).status, 404);
    const again = (await call("PUT", path)).json;
    assert.equal(again.state, "pending");
    assert.notEqual(again.code, first.code);
  });
});

Deno.test("tokens: seeded tokens and the default seeded random make codes reproducible", async () => {
  const codes: string[] = [];
  for (let run = 0; run < 2; run++) {
    await withEmulator({}, async ({ call, emu }) => {
      const a = emu.seedUser(ALICE);
      codes.push(a.id, (await call("PUT", `/domains/${emu.domainId}/users/${a.id}/token`)).json.code);
      const b = emu.seedUser({ ...ALICE, username: "bob", token: "pending" });
      assert.equal(emu.token(emu.domainId, b.id)?.state, "pending");
      assert.equal(emu.tokenEmailed(emu.domainId, b.id), false, "seeding sends no email");
    });
  }
  assert.deepEqual(codes.slice(0, 2), codes.slice(2));
});
