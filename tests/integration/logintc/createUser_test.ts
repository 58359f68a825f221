/**
 * createUser against a username LoginTC already holds (src/logintc/createUser.ts), over real
 * HTTPS, for both answers a duplicate may get (400, the emulator's default, and 409): the existing
 * user is adopted after one lookup; a refusal for any other reason stands unchanged.
 */
import assert from "node:assert/strict";
import { createLoginTCClient } from "../../../src/logintc/client.ts";
import type { LoginTCClient } from "../../../src/logintc/client.ts";
import { LoginTCError } from "../../../src/errors.ts";
import type { Emulator } from "../../../emulator/mod.ts";
import { configFor, fakeTime, rejection, withEmulator, withPki } from "../../support/logintc.ts";

/** "METHOD /path[?username] status" for every request, in order. */
function log(emu: Emulator): string[] {
  return emu.requests.map((r) =>
    `${r.method} ${r.path}${r.query.username ? `?${r.query.username}` : ""} ${r.status}`
  );
}

Deno.test("createUser: a duplicate username (400 or 409) adopts the user LoginTC holds; other refusals stand", async (t) => {
  await withPki(async (pki) => {
    const using = (status: 400 | 409, fn: (c: LoginTCClient, emu: Emulator) => Promise<void>) =>
      withEmulator(pki, { duplicateStatus: status }, async (emu) => {
        const c = createLoginTCClient(configFor(emu, { caPem: pki.caPem }), {
          ...fakeTime(),
          env: () => undefined,
        });
        try {
          await fn(c, emu);
        } finally {
          await c.close();
        }
      });

    for (const status of [400, 409] as const) {
      await t.step(`${status}: the existing user is returned (POST, then GET), nothing created`, async () => {
        await using(status, async (c, emu) => {
          // In no domain, with another name and email than the create asks for.
          const held = emu.seedUser({
            username: "frank",
            name: "Old Frank",
            email: "old@example.com",
            domains: [],
          });
          const u = await c.createUser({ username: "FRANK", name: "Frank", email: "frank@example.com" });
          assert.deepEqual(u, held, "LoginTC's user as it is: not updated by the create");
          assert.deepEqual(log(emu), [`POST /api/users ${status}`, "GET /api/users?FRANK 200"]);
          assert.equal(emu.users().length, 1);
          // The steps after the create go on with the adopted id.
          await c.addDomainMember(emu.domainId, u.id);
          assert.deepEqual(emu.members().map((m) => m.id), [held.id]);
        });
      });

      await t.step(`${status} for another reason and no such user: LoginTC's refusal stands`, async () => {
        await using(status, async (c, emu) => {
          if (status === 409) {
            emu.addFault({
              method: "POST",
              path: "/users",
              status: 409,
              body: '{"errors":[{"code":"api.error.conflict","message":"Conflicting request."}]}',
            });
          }
          const e = await rejection(() =>
            c.createUser({ username: "gina", name: "Gina", email: "not-an-email" })
          );
          assert.ok(e instanceof LoginTCError);
          assert.equal(e.details.status, status);
          assert.equal(
            e.message,
            status === 400
              ? 'LoginTC Admin answered POST /api/users with 400 api.error.validation: Field "email" must be a valid email address.'
              : "LoginTC Admin answered POST /api/users with 409 api.error.conflict: Conflicting request.",
          );
          assert.deepEqual(log(emu), [`POST /api/users ${status}`, "GET /api/users?gina 404"]);
          assert.equal(emu.users().length, 0);
        });
      });
    }

    await t.step(
      "a lookup that fails after the refusal: the refusal stands, not the lookup's error",
      async () => {
        await using(400, async (c, emu) => {
          emu.seedUser({ username: "hank", name: "Hank", email: "hank@example.com" });
          emu.addFault({ method: "GET", path: "/users", status: 500 });
          const e = await rejection(() =>
            c.createUser({ username: "hank", name: "Hank", email: "hank@example.com" })
          );
          assert.match(
            e.message,
            /^LoginTC Admin answered POST \/api\/users with 400 api\.error\.duplicate\.username: /,
          );
          assert.deepEqual(log(emu), ["POST /api/users 400", "GET /api/users?hank 500"]);
        });
      },
    );

    await t.step("another status (403) is not a duplicate: no lookup", async () => {
      await using(400, async (c, emu) => {
        emu.seedUser({ username: "ivy", name: "Ivy", email: "ivy@example.com" });
        emu.addFault({ method: "POST", path: "/users", status: 403 });
        const e = await rejection(() =>
          c.createUser({ username: "ivy", name: "Ivy", email: "ivy@example.com" })
        );
        assert.equal((e as LoginTCError).details.status, 403);
        assert.deepEqual(log(emu), ["POST /api/users 403"]);
      });
    });
  });
});
