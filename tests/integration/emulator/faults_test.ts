import assert from "node:assert/strict";
import { seededRandom } from "../../../emulator/mod.ts";
import { withEmulator } from "../../support/emulatorClient.ts";

Deno.test("faults: 429 with Retry-After for the first N matches, then normal; recorded in the log", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    emu.addFault({ method: "GET", path: "/ping", times: 2, status: 429, headers: { "Retry-After": "1" } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call("GET", "/ping");
      statuses.push(r.status);
      if (r.status === 429) {
        assert.equal(r.headers.get("retry-after"), "1");
        assert.equal(r.json.errors[0].code, "emulator.fault");
      }
    }
    assert.deepEqual(statuses, [429, 429, 200]);
    assert.deepEqual(emu.requests.map((q) => [q.status, q.fault]), [[429, "status"], [429, "status"], [
      200,
      undefined,
    ]]);
    assert.equal((await call("GET", "/organization")).status, 200, "other paths unaffected");
  });
});

Deno.test("faults: 503 on the n-th matching request only; RegExp paths; custom body; clearFaults", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    emu.addFault({ path: /^\/users/, nth: 2, status: 503, body: "busy" });
    const got = [];
    for (const p of ["/users", "/ping", "/users?page=2", "/users/x"]) got.push((await call("GET", p)).status);
    assert.deepEqual(got, [200, 200, 503, 404]);
    assert.equal(emu.requests[2].path, "/api/users");
    emu.addFault({ status: 500 });
    assert.equal((await call("GET", "/ping")).status, 500);
    emu.clearFaults();
    assert.equal((await call("GET", "/ping")).status, 200);
  });
});

Deno.test("faults: latency delays the answer, which is otherwise normal", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    emu.addFault({ path: "/ping", latencyMs: 300 });
    const t0 = performance.now();
    const r = await call("GET", "/ping");
    const took = performance.now() - t0;
    assert.equal(r.status, 200);
    assert.ok(took >= 290, `took ${took} ms`);
    assert.equal(emu.requests[0].fault, "latency");
  });
});

Deno.test("faults: hold handles a request only once the test releases it; others go on meanwhile", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const gate = Promise.withResolvers<void>();
    emu.addFault({ method: "POST", path: "/users", nth: 1, hold: gate.promise });
    const held = call("POST", "/users", { body: { username: "kim", name: "Kim", email: "kim@example.com" } });
    while (emu.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    assert.equal((await call("GET", "/ping")).status, 200, "not blocked by the held request");
    assert.equal(emu.requests[0].status, 0, "still in flight");
    assert.deepEqual(emu.users(), [], "not handled yet");
    gate.resolve();
    assert.equal((await held).status, 200);
    assert.deepEqual(emu.users().map((u) => u.username), ["kim"]);
    assert.equal(emu.requests[0].fault, "latency");
  });
});

Deno.test("faults: a fetch abort during injected latency leaves the emulator usable", async () => {
  await withEmulator({}, async ({ call, emu, pki }) => {
    emu.addFault({ path: "/ping", times: 1, latencyMs: 5_000 });
    const client = Deno.createHttpClient({ caCerts: [pki.caPem] });
    try {
      await assert.rejects(
        fetch(`${emu.url}/api/ping`, {
          client,
          headers: { authorization: `LoginTC key="${emu.apiKey}"` },
          signal: AbortSignal.timeout(100),
        }),
      );
    } finally {
      client.close();
    }
    assert.equal((await call("GET", "/organization")).status, 200);
  });
});

Deno.test("faults: drop closes the connection without a response", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    emu.addFault({ method: "POST", path: "/users", times: 1, drop: true });
    const body = { username: "alice", name: "Alice", email: "alice@example.com" };
    const err = await call("POST", "/users", { body }).then(() => undefined, (e) => e);
    assert.ok(err instanceof TypeError, String(err));
    // What a Deno 2.9.6 client sees: the TCP connection ends with no TLS close_notify, no status.
    assert.match(String(err.cause), /peer closed connection without sending TLS close_notify/);
    assert.equal(emu.requests[0].fault, "drop");
    assert.equal(emu.requests[0].status, 0);
    assert.deepEqual(emu.users(), [], "a dropped request is not applied");
    assert.equal((await call("POST", "/users", { body })).status, 200);
  });
});

Deno.test("faults: malformed answers 200 with a body that is not JSON", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    emu.addFault({ path: "/ping", malformed: true });
    const r = await call("GET", "/ping");
    assert.equal(r.status, 200);
    assert.throws(() => JSON.parse(r.text));
    assert.equal(emu.requests[0].fault, "malformed");
  });
});

Deno.test("faults: probability with a seeded random is reproducible", async () => {
  const runs: number[][] = [];
  for (let run = 0; run < 2; run++) {
    await withEmulator({ random: seededRandom(42) }, async ({ call, emu }) => {
      emu.addFault({ path: "/ping", probability: 0.5, status: 503 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await call("GET", "/ping")).status);
      runs.push(statuses);
    });
  }
  assert.deepEqual(runs[0], runs[1]);
  assert.ok(runs[0].includes(503) && runs[0].includes(200), runs[0].join(","));
});

Deno.test("faults: invalid rules are refused", async () => {
  await withEmulator({}, ({ emu }) => {
    assert.throws(() => emu.addFault({ path: "/ping" }), /needs/);
    assert.throws(() => emu.addFault({ status: 503, drop: true }), /at most one/);
    assert.throws(() => emu.addFault({ status: 503, nth: 0 }), /nth/);
    assert.throws(() => emu.addFault({ status: 503, probability: 2 }), /probability/);
  });
});
