/**
 * The LoginTC client when things go wrong, against the emulator's injected faults over real
 * HTTPS: retries and backoff (sleeps recorded by fake time), the no-duplicate POST /users retry,
 * give-up, timeouts, LoginTC's error bodies, bad keys and domains, untrusted certificates.
 * Every error text captured here is scanned for the API key at the end.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createLoginTCClient } from "../../src/logintc/client.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import type { ClientDeps, LoginTCClient } from "../../src/logintc/client.ts";
import { LoginTCError } from "../../src/errors.ts";
import type { LoginTCConfig } from "../../src/types.ts";
import type { Emulator } from "../../emulator/mod.ts";
import { freePort } from "../support/net.ts";
import { configFor, errorText, fakeTime, rejection, withEmulator, withPki } from "../support/logintc.ts";

const WRONG_KEY = "WrongKey0000000000000000000000000000000000000000000000000000000Z";

async function using<T>(client: LoginTCClient, fn: (c: LoginTCClient) => Promise<T>): Promise<T> {
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

Deno.test("LoginTC client: retries, faults and error messages", async (t) => {
  const captured: string[] = [];
  const keys: string[] = [WRONG_KEY];
  const fail = async (fn: () => Promise<unknown>) => {
    const e = await rejection(fn);
    captured.push(errorText(e));
    return e;
  };
  await withPki(async (pki) => {
    const start = (fn: (emu: Emulator) => Promise<void>) =>
      withEmulator(pki, {}, (emu) => (keys.push(emu.apiKey), fn(emu)));
    const client = (emu: Emulator, deps: ClientDeps = {}, cfg: Partial<LoginTCConfig> = {}) =>
      createLoginTCClient(configFor(emu, { caPem: pki.caPem, ...cfg }), { env: () => undefined, ...deps });

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

    await t.step("401: the API key is rejected, not retried, and the key is not in the message", async () => {
      await start(async (emu) => {
        const time = fakeTime();
        const e = await fail(() => using(client(emu, time, { apiKey: WRONG_KEY }), (c) => c.ping()));
        assert.equal(
          e.message,
          "LoginTC Admin rejected the API key (401 api.error.unauthorized: Invalid API key.) on GET /api/ping; " +
            "check api_key in [logintc]",
        );
        assert.equal((e as LoginTCError).details.code, "api.error.unauthorized");
        assert.deepEqual(time.sleeps, []);
      });
    });

    await t.step("404 on GET /domains/{id}: domain_id not found", async () => {
      await start(async (emu) => {
        const other = "0123456789abcdef0123456789abcdef01234567";
        const e = await fail(() => using(client(emu, fakeTime()), (c) => c.getDomain(other)));
        assert.match(
          e.message,
          new RegExp(
            `^domain_id ${other} not found in LoginTC Admin \\(404 api\\.error\\.notfound\\.domain: `,
          ),
        );
        assert.match(e.message, /check domain_id in \[logintc\]$/);
      });
    });

    await t.step("LoginTC's error body: the message carries errors[0].code and .message", async () => {
      await start(async (emu) => {
        emu.seedUser({ username: "frank", name: "Frank", email: "frank@example.com" });
        emu.addFault({
          method: "PUT",
          path: /^\/users\//,
          status: 400,
          body:
            '{"errors":[{"code":"api.error.custom","message":"Custom words."},{"code":"second","message":"ignored"}]}',
        });
        await using(client(emu, fakeTime()), async (c) => {
          // (A duplicate username is adopted, not refused: tests/logintc/create_test.ts.)
          const bad = await fail(() => c.createUser({ username: "gina", name: "G", email: "not-an-email" }));
          assert.match(
            bad.message,
            /^LoginTC Admin answered POST \/api\/users with 400 api\.error\.[a-z.]+: Field "email" must be a valid email address\.$/,
          );
          const custom = await fail(() => c.updateUser(emu.users()[0].id, { name: "X" }));
          assert.match(custom.message, /with 400 api\.error\.custom: Custom words\.$/);
          assert.equal((custom as LoginTCError).details.apiMessage, "Custom words.");
        });
      });
    });

    await t.step("a non-JSON error body and a non-JSON 200 where a result is needed", async () => {
      await start(async (emu) => {
        emu.addFault({
          path: "/ping",
          status: 500,
          body: "<html><body>Internal   Server Error</body></html>",
        });
        emu.addFault({ method: "GET", path: "/users", malformed: true });
        await using(client(emu, fakeTime()), async (c) => {
          const e500 = await fail(() => c.ping());
          assert.equal(
            e500.message,
            "LoginTC Admin answered GET /api/ping with 500: <html><body>Internal Server Error</body></html>",
          );
          const bad = await fail(() => c.findUserByUsername("x"));
          assert.equal(
            bad.message,
            "LoginTC Admin answered GET /api/users?username=x with 200 but the body is not JSON",
          );
        });
      });
    });

    await t.step(
      "no 204 assumption: empty and non-JSON success bodies are fine where the result is ignored",
      async () => {
        await start(async (emu) => {
          const u = emu.seedUser({ username: "gina", name: "Gina", email: "gina@example.com", domains: [] });
          emu.addFault({
            method: "PUT",
            path: `/domains/${emu.domainId}/users/${u.id}`,
            nth: 1,
            malformed: true,
          });
          await using(client(emu, fakeTime()), async (c) => {
            await c.addDomainMember(emu.domainId, u.id); // 200 "<html>…"
            await c.addDomainMember(emu.domainId, u.id); // 200 ""
            await c.removeDomainMember(emu.domainId, u.id); // 200 ""
            await c.deleteUser(u.id); // 200 ""
          });
          assert.deepEqual(emu.requests.map((r) => r.status), [200, 200, 200, 200]);
          assert.equal(emu.requests[1].body, "");
        });
      },
    );

    await t.step(
      "untrusted certificate: no CA given, or the wrong CA → message points at ca_file; not retried",
      async () => {
        await start(async (emu) => {
          for (const caPem of [undefined, await Deno.readTextFile(pki.otherCaFile)]) {
            const time = fakeTime();
            const c = createLoginTCClient(configFor(emu, { caPem }), { env: () => undefined, ...time });
            const e = await fail(() => using(c, (x) => x.ping()));
            assert.match(
              e.message,
              /^Cannot verify the TLS certificate of LoginTC Admin at 127\.0\.0\.1:\d+ \(invalid peer certificate: UnknownIssuer\) on GET \/api\/ping\. /,
            );
            assert.match(e.message, /set ca_file in \[logintc\]/);
            assert.deepEqual(time.sleeps, []);
          }
          assert.equal(emu.requests.length, 0);
        });
      },
    );

    await t.step(
      "ca_file is read once, at config load: the client trusts the PEM the config carries",
      async () => {
        await start(async (emu) => {
          const dir = await Deno.makeTempDir({ prefix: "logintc-client-cfg-" });
          try {
            await Deno.copyFile(pki.caFile, join(dir, "ca.pem"));
            const text = [
              "[logintc]",
              `host = ${emu.host}`,
              `api_key = ${emu.apiKey}`,
              `domain_id = ${emu.domainId}`,
              "ca_file = ca.pem",
              "[ldap]",
              "host = ldap.example.com",
              "encryption = ssl",
              "bind_dn = cn=reader,dc=example,dc=com",
              "bind_password = secret",
              "base_dn = dc=example,dc=com",
              "filter = (uid=*)",
              "attr_username = uid",
              "attr_name = cn",
              "attr_email = mail",
            ].join("\n");
            const config = parseConfig(text, join(dir, "sync.cfg"), Deno.readTextFileSync);
            await Deno.remove(join(dir, "ca.pem"));
            await using(createLoginTCClient(config.logintc, { env: () => undefined }), (c) => c.ping());
            assert.equal(emu.requests.length, 1);
          } finally {
            await Deno.remove(dir, { recursive: true });
          }
        });
      },
    );

    await t.step("nothing listening: connection refused, retried, then a clear message", async () => {
      const time = fakeTime();
      const host = `127.0.0.1:${freePort()}`;
      const c = createLoginTCClient({ host, apiKey: WRONG_KEY, domainId: "0".repeat(40) }, {
        env: () => undefined,
        ...time,
      });
      const e = await fail(() => using(c, (x) => x.ping()));
      assert.match(
        e.message,
        new RegExp(
          `^Cannot reach LoginTC Admin at ${host} on GET /api/ping: .*Connection refused.*; gave up after 5 attempts$`,
        ),
      );
      assert.equal(time.sleeps.length, 4);
    });
  });

  await t.step("no captured error text contains an API key", () => {
    assert.ok(captured.length >= 12, `captured ${captured.length} errors`);
    for (const text of captured) {
      for (const key of keys) assert.ok(!text.includes(key), `an API key leaked into: ${text}`);
    }
  });
});
