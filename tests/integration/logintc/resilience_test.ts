/**
 * The LoginTC client when things go wrong, against the emulator's injected faults over real
 * HTTPS: retries and backoff (sleeps recorded by fake time), the no-duplicate POST /users retry,
 * give-up, timeouts. LoginTC's error answers: ./answers_test.ts; certificates and an unreachable
 * host: ./reach_test.ts. Every error text captured is scanned for the API key at the end.
 */
import assert from "node:assert/strict";
import type { ClientDeps } from "../../../src/logintc/client.ts";
import { LoginTCError } from "../../../src/errors.ts";
import { fakeTime } from "../../support/logintc.ts";
import { using, withFaultHarness } from "../../support/logintcHarness.ts";

Deno.test("LoginTC client: retries, backoff, the no-duplicate create, timeouts", async (t) => {
  await withFaultHarness(t, 3, async ({ fail, start, client }) => {
    await t.step("429 with Retry-After in seconds is honoured through the injected sleep", async () => {
      await start(async (emu) => {
        emu.addFault({
          method: "GET",
          path: "/ping",
          times: 2,
          status: 429,
          headers: { "Retry-After": "3" },
        });
        const time = fakeTime();
        await using(client(emu, time), (c) => c.ping());
        assert.deepEqual(time.sleeps, [3000, 3000]);
        assert.deepEqual(emu.requests.map((r) => r.status), [429, 429, 200]);
      });
    });

    await t.step(
      "429 with an HTTP-date Retry-After waits until that date; a huge one is capped",
      async () => {
        await start(async (emu) => {
          const time = fakeTime(Date.UTC(2026, 0, 15, 12, 0, 0));
          emu.addFault({
            path: "/ping",
            nth: 1,
            status: 429,
            headers: { "Retry-After": "Thu, 15 Jan 2026 12:00:07 GMT" },
          });
          emu.addFault({ path: "/ping", nth: 2, status: 429, headers: { "Retry-After": "86400" } });
          await using(client(emu, time), (c) => c.ping());
          assert.deepEqual(time.sleeps, [7000, 30_000]);
        });
      },
    );

    await t.step("503 twice then OK: exponential backoff with full jitter", async () => {
      await start(async (emu) => {
        emu.addFault({ path: `/domains/${emu.domainId}`, times: 2, status: 503 });
        const time = fakeTime(undefined, 0.5); // half of base·2^(n-1): 250 ms, 500 ms
        const dom = await using(client(emu, time), (c) => c.getDomain(emu.domainId));
        assert.equal(dom.id, emu.domainId);
        assert.deepEqual(time.sleeps, [250, 500]);
      });
    });

    await t.step("gives up after max attempts with a clear error", async () => {
      await start(async (emu) => {
        emu.addFault({ path: "/ping", status: 502 });
        const time = fakeTime(undefined, 0.999);
        const e = await fail(() => using(client(emu, time), (c) => c.ping()));
        assert.ok(e instanceof LoginTCError);
        assert.match(
          e.message,
          /^LoginTC Admin answered GET \/api\/ping with 502 emulator\.fault: .*gave up after 5 attempts/,
        );
        assert.equal(e.details.status, 502);
        assert.equal(emu.requests.length, 5);
        assert.deepEqual(time.sleeps, [499, 999, 1998, 3996]);
      });
    });

    await t.step(
      "a dropped connection on POST /users: the retry looks the user up first, then creates once",
      async () => {
        await start(async (emu) => {
          emu.addFault({ method: "POST", path: "/users", nth: 1, drop: true });
          const time = fakeTime();
          const u = await using(
            client(emu, time),
            (c) => c.createUser({ username: "dana", name: "Dana", email: "dana@example.com" }),
          );
          assert.equal(u.username, "dana");
          assert.deepEqual(
            emu.requests.map((r) =>
              `${r.method} ${r.path}${r.query.username ? `?${r.query.username}` : ""} ${r.status}`
            ),
            ["POST /api/users 0", "GET /api/users?dana 404", "POST /api/users 200"],
          );
          assert.equal(
            emu.users().filter((x) => x.username === "dana").length,
            1,
          );
          assert.equal(time.sleeps.length, 1);
        });
      },
    );

    await t.step(
      "POST /users whose answer is lost after LoginTC created the user: found, never created twice",
      async () => {
        await start(async (emu) => {
          // The emulator handles the POST only after 400 ms; the client gives up at 150 ms. Its
          // retry (after a real 600 ms wait) finds the user the first POST created.
          emu.addFault({ method: "POST", path: "/users", nth: 1, latencyMs: 400 });
          const sleeps: number[] = [];
          const deps: ClientDeps = {
            timeoutMs: 150,
            sleep: (ms) => (sleeps.push(ms), new Promise((r) => setTimeout(r, 600))),
          };
          const u = await using(
            client(emu, deps),
            (c) => c.createUser({ username: "erin", name: "Erin", email: "erin@example.com" }),
          );
          assert.equal(u.username, "erin");
          assert.deepEqual(emu.requests.map((r) => r.method), ["POST", "GET"], "no second POST");
          assert.equal(emu.requests[1].status, 200);
          assert.equal(emu.users().filter((x) => x.username === "erin").length, 1);
          assert.equal(u.id, emu.users()[0].id);
          assert.equal(sleeps.length, 1);
        });
      },
    );

    await t.step("a non-idempotent POST (notification) is not repeated after a lost answer", async () => {
      await start(async (emu) => {
        emu.seedAdministrator("admin@example.com");
        emu.addFault({ method: "POST", path: "/notifications", nth: 1, drop: true });
        const time = fakeTime();
        const e = await fail(() =>
          using(
            client(emu, time),
            (c) => c.notifyAdministrator({ email: "admin@example.com", added: [], removed: [] }),
          )
        );
        assert.match(
          e.message,
          /Cannot reach LoginTC Admin at 127\.0\.0\.1:\d+ on POST \/api\/notifications/,
        );
        assert.equal(emu.requests.length, 1);
        assert.deepEqual(time.sleeps, []);
      });
    });

    await t.step("timeout: a request that gets no answer in time fails naming the limit", async () => {
      await start(async (emu) => {
        emu.addFault({ path: "/ping", latencyMs: 500 });
        const time = fakeTime();
        const e = await fail(() =>
          using(client(emu, { ...time, timeoutMs: 100, retry: { maxAttempts: 2 } }), (c) => c.ping())
        );
        assert.match(
          e.message,
          /^No answer from LoginTC Admin at 127\.0\.0\.1:\d+ within 0\.1 s on GET \/api\/ping; gave up after 2 attempts$/,
        );
        assert.equal(time.sleeps.length, 1);
      });
    });
  });
});
