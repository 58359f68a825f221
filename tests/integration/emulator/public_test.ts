/**
 * The public-only emulator (api: "public"): only what the official clients and LoginTC's docs
 * show. User objects carry exactly id, username, email, name and domains; every extension path
 * answers like an unknown path; unknown PUT fields and the token body are ignored.
 */
import assert from "node:assert/strict";
import { EXTENSION_PATHS } from "../../../src/logintc/extensions.ts";
import { EMULATOR_MAIN, startEmulatorProcess } from "../../support/emulatorProcess.ts";
import { withEmulator } from "../../support/emulatorClient.ts";

const ALICE = { username: "alice", name: "Alice", email: "alice@example.com" };
const PUBLIC_KEYS = ["id", "username", "email", "name", "domains"];

Deno.test("public API: user objects carry exactly id, username, email, name, domains", async () => {
  await withEmulator({ api: "public" }, async ({ call, emu }) => {
    assert.equal(emu.api, "public");
    const created = await call("POST", "/users", { body: ALICE });
    assert.equal(created.status, 200);
    assert.deepEqual(Object.keys(created.json), PUBLIC_KEYS);
    const id = created.json.id;
    assert.equal((await call("PUT", `/domains/${emu.domainId}/users/${id}`)).status, 200);
    for (
      const path of [
        `/users/${id}`,
        "/users?username=alice",
        `/domains/${emu.domainId}/users/${id}`,
      ]
    ) {
      assert.deepEqual(Object.keys((await call("GET", path)).json), PUBLIC_KEYS, path);
    }
    for (const path of ["/users?page=1", `/domains/${emu.domainId}/users?page=1`]) {
      const page = (await call("GET", path)).json;
      assert.deepEqual(page.map((u: object) => Object.keys(u)), [PUBLIC_KEYS], path);
    }
    assert.deepEqual((await call("GET", `/users/${id}`)).json.domains, [emu.domainId]);
  });
});

Deno.test("public API: every extension path answers 404 like an unknown path", async () => {
  await withEmulator({ api: "public" }, async ({ call, emu }) => {
    const a = emu.seedUser(ALICE);
    const g = emu.seedGroup("Staff");
    const unknown = await call("GET", "/no-such-thing");
    assert.equal(unknown.status, 404);
    const probes: [string, string, unknown?][] = [
      ["GET", `${EXTENSION_PATHS.groups}?page=1`],
      ["GET", EXTENSION_PATHS.groups],
      ["PUT", EXTENSION_PATHS.groupMember(g.id, a.id)],
      ["DELETE", EXTENSION_PATHS.groupMember(g.id, a.id)],
      ["GET", EXTENSION_PATHS.userPhones(a.id)],
      ["POST", EXTENSION_PATHS.userPhones(a.id), { number: "+1 555 0100" }],
      ["GET", EXTENSION_PATHS.notifications],
      ["POST", EXTENSION_PATHS.notifications, { email: "x@example.com", added: [], removed: [] }],
    ];
    for (const [method, path, body] of probes) {
      const r = await call(method, path, body === undefined ? {} : { body });
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.deepEqual(r.json, unknown.json, `${method} ${path}: the same answer as an unknown path`);
    }
    // The extended emulator (default) has them: a GET on a POST-only path is 405, not 404.
    await withEmulator({}, async (ext) => {
      assert.equal((await ext.call("GET", EXTENSION_PATHS.notifications)).status, 405);
      assert.equal((await ext.call("GET", `${EXTENSION_PATHS.groups}?page=1`)).status, 200);
    });
  });
});

Deno.test("public API: alias fields on PUT /users are dropped (200); the token body is ignored and the code emailed", async () => {
  await withEmulator({ api: "public" }, async ({ call, emu }) => {
    const a = emu.seedUser(ALICE);
    const r = await call("PUT", `/users/${a.id}`, { body: { name: "Alice B", alias1: "al" } });
    assert.equal(r.status, 200);
    assert.equal(r.json.name, "Alice B");
    assert.equal("alias1" in r.json, false);
    const token = await call("PUT", `/domains/${emu.domainId}/users/${a.id}/token`, {
      body: { sendEmail: false },
    });
    assert.equal(token.status, 200);
    assert.equal(token.json.state, "pending");
    assert.deepEqual(emu.activationEmails.map((e) => e.username), ["alice"], "emailed anyway");
  });
});

Deno.test("emulator: an unknown api mode is refused", async () => {
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    withEmulator({ api: "private" as any }, () => {}),
    /emulator api must be "extended" or "public"/,
  );
});

Deno.test("deno task emulator --api public: says so, and serves only the public API; a bad --api exits 2", async () => {
  const run = await startEmulatorProcess(["--api", "public"]);
  const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(run.caFile)] });
  try {
    assert.match(run.out, /listening on https:\/\/\S+\/api \(page size 100, public API\)/);
    const get = async (path: string) => {
      const res = await fetch(`${run.url}/api${path}`, {
        client,
        headers: { authorization: `LoginTC key="${run.key}"`, accept: "application/vnd.logintc.v1+json" },
      });
      await res.body?.cancel();
      return res.status;
    };
    assert.equal(await get("/ping"), 200);
    assert.equal(await get(`${EXTENSION_PATHS.groups}?page=1`), 404);
    assert.equal(await get(EXTENSION_PATHS.notifications), 404);
  } finally {
    client.close();
    assert.equal((await run.stop()).code, 0);
  }
  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EMULATOR_MAIN, "--api", "private"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bad.code, 2);
  assert.match(
    new TextDecoder().decode(bad.stderr),
    /^emulator: --api must be extended or public, got "private"\n/,
  );
});
