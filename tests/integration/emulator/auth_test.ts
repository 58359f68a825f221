import assert from "node:assert/strict";
import { VND, withEmulator } from "../../support/emulatorClient.ts";

const OTHER_KEY = "A".repeat(64);

Deno.test("auth: a missing Authorization header is 401 with an errors body", async () => {
  await withEmulator({}, async ({ call }) => {
    const r = await call("GET", "/ping", { headers: { authorization: "" } });
    assert.equal(r.status, 401);
    assert.equal(r.json.errors[0].code, "api.error.unauthorized");
    assert.equal(typeof r.json.errors[0].message, "string");
    assert.equal(r.headers.get("content-type"), VND);
  });
});

Deno.test("auth: malformed headers are 401 (wrong scheme, unquoted, short key, Bearer)", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    for (
      const value of [
        `LoginTC key=${emu.apiKey}`,
        `Bearer ${emu.apiKey}`,
        `logintc key="${emu.apiKey}"`,
        `LoginTC key="${emu.apiKey.slice(1)}"`,
        `LoginTC key="${emu.apiKey}x"`,
      ]
    ) {
      const r = await call("GET", "/ping", { headers: { authorization: value } });
      assert.equal(r.status, 401, value);
      assert.equal(r.json.errors[0].code, "api.error.unauthorized");
    }
  });
});

Deno.test("auth: a wrong key is 401 and the message does not echo the key sent", async () => {
  await withEmulator({}, async ({ call }) => {
    const r = await call("GET", "/users", { headers: { authorization: `LoginTC key="${OTHER_KEY}"` } });
    assert.equal(r.status, 401);
    assert.equal(r.json.errors[0].code, "api.error.unauthorized");
    assert.ok(!r.text.includes(OTHER_KEY));
  });
});

Deno.test("auth: the configured key is accepted; a custom apiKey replaces the default", async () => {
  await withEmulator({ apiKey: OTHER_KEY }, async ({ call, emu }) => {
    assert.equal(emu.apiKey, OTHER_KEY);
    const r = await call("GET", "/ping");
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: "OK" });
    assert.equal(r.headers.get("content-type"), VND);
  });
});

Deno.test("accept: vendor type, application/json, */*, a list and a missing Accept are fine; others 406", async () => {
  await withEmulator({}, async ({ call }) => {
    for (const accept of [VND, "application/json", "*/*", "text/html, application/json;q=0.9", ""]) {
      const r = await call("GET", "/ping", { headers: { accept } });
      assert.equal(r.status, 200, accept);
    }
    for (const accept of ["text/html", "application/xml", "image/png"]) {
      const r = await call("GET", "/ping", { headers: { accept } });
      assert.equal(r.status, 406, accept);
      assert.equal(r.json.errors[0].code, "api.error.notacceptable");
    }
  });
});

Deno.test("routing: unknown route 404, wrong method 405 with Allow, outside /api 404", async () => {
  await withEmulator({}, async ({ call, emu, pki }) => {
    const r = await call("GET", "/nothing/here");
    assert.equal(r.status, 404);
    assert.equal(r.json.errors[0].code, "api.error.notfound");
    const m = await call("DELETE", "/ping");
    assert.equal(m.status, 405);
    assert.equal(m.json.errors[0].code, "api.error.methodnotallowed");
    assert.equal(m.headers.get("allow"), "GET");
    const client = Deno.createHttpClient({ caCerts: [pki.caPem] });
    try {
      const res = await fetch(`${emu.url}/users`, { client });
      assert.equal(res.status, 404);
      assert.equal((await res.json()).errors[0].code, "api.error.notfound");
    } finally {
      client.close();
    }
  });
});
