/**
 * The LoginTC client on LoginTC's error answers, from the emulator over real HTTPS: a rejected API
 * key, an unknown domain, LoginTC's error body, non-JSON bodies where a result is needed and where
 * it is not. Every error text captured is scanned for the API key at the end.
 */
import assert from "node:assert/strict";
import type { LoginTCError } from "../../../src/errors.ts";
import { fakeTime } from "../../support/logintc.ts";
import { using, withFaultHarness, WRONG_KEY } from "../../support/logintcHarness.ts";

Deno.test("LoginTC client: LoginTC's error answers and success bodies", async (t) => {
  await withFaultHarness(t, 6, async ({ fail, start, client }) => {
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
          // (A duplicate username is adopted, not refused: tests/integration/logintc/createUser_test.ts.)
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
  });
});
