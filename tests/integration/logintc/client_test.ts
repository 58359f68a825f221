/**
 * The LoginTC client's happy paths against the emulator over real HTTPS (per-run CA, trusted
 * via ca_file's PEM only): every LoginTCApi method, paging, headers, encoding, empty bodies.
 */
import assert from "node:assert/strict";
import { createLoginTCClient } from "../../../src/logintc/client.ts";
import type { LoginTCClient } from "../../../src/logintc/client.ts";
import { VERSION } from "../../../src/version.ts";
import type { Emulator } from "../../../emulator/mod.ts";
import type { TestPki } from "../../support/certs.ts";
import { configFor, fakeTime, withEmulator, withPki } from "../../support/logintc.ts";

const MEDIA = "application/vnd.logintc.v1+json";

async function withClient(
  pki: TestPki,
  emuOpts: { pageSize?: number },
  fn: (c: LoginTCClient, emu: Emulator) => Promise<void>,
): Promise<void> {
  await withEmulator(pki, emuOpts, async (emu) => {
    const t = fakeTime();
    const client = createLoginTCClient(configFor(emu, { caPem: pki.caPem }), { ...t, env: () => undefined });
    try {
      await fn(client, emu);
    } finally {
      await client.close();
    }
  });
}

Deno.test("LoginTC client: every API method against the emulator", async (t) => {
  await withPki(async (pki) => {
    await t.step("ping, getDomain and the headers every request carries", async () => {
      await withClient(pki, {}, async (c, emu) => {
        await c.ping();
        const dom = await c.getDomain(emu.domainId);
        assert.equal(dom.id, emu.domainId);
        assert.equal(dom.name, "Test Domain");
        const [ping, get] = emu.requests;
        assert.equal(ping.path, "/api/ping");
        assert.equal(get.path, `/api/domains/${emu.domainId}`);
        for (const r of emu.requests) {
          assert.equal(r.headers["authorization"], `LoginTC key="${emu.apiKey}"`);
          assert.equal(r.headers["accept"], MEDIA);
          assert.equal(r.headers["content-type"], undefined, "no Content-Type without a body");
          assert.match(
            r.headers["user-agent"],
            new RegExp(`^logintc-sync/${VERSION} \\(deno \\d+\\.\\d+\\.\\d+; \\w+\\)$`),
          );
          assert.equal(r.headers["proxy-authorization"], undefined);
        }
      });
    });

    await t.step("createUser, findUserByUsername (found and 404 → undefined), updateUser", async () => {
      await withClient(pki, {}, async (c, emu) => {
        const u = await c.createUser({ username: "jdoe", name: "John Doe", email: "jdoe@example.com" });
        assert.match(u.id, /^[0-9a-f]{40}$/);
        assert.deepEqual([u.username, u.name, u.email], ["jdoe", "John Doe", "jdoe@example.com"]);
        const post = emu.requests.find((r) => r.method === "POST")!;
        assert.equal(post.headers["content-type"], MEDIA);
        assert.deepEqual(JSON.parse(post.body), {
          username: "jdoe",
          name: "John Doe",
          email: "jdoe@example.com",
        });

        assert.equal((await c.findUserByUsername("jdoe"))?.id, u.id);
        assert.equal(await c.findUserByUsername("nobody"), undefined);

        const up = await c.updateUser(u.id, { email: "john@example.com", name: undefined });
        assert.equal(up.email, "john@example.com");
        assert.equal(up.name, "John Doe");
        const put = emu.requests.findLast((r) => r.method === "PUT")!;
        assert.deepEqual(JSON.parse(put.body), { email: "john@example.com" }, "only the given fields");
        assert.equal(emu.users()[0].email, "john@example.com");
      });
    });

    await t.step("usernames with reserved characters are encoded in the query", async () => {
      await withClient(pki, {}, async (c, emu) => {
        const odd = "a+b&c=d e/f?#%é";
        emu.seedUser({ username: odd, name: "Odd", email: "odd@example.com" });
        emu.seedUser({ username: "a b&c=d e/f?#%é", name: "Decoy", email: "decoy@example.com" });
        const found = await c.findUserByUsername(odd);
        assert.equal(found?.username, odd);
        const req = emu.requests.at(-1)!;
        assert.equal(req.query.username, odd);
      });
    });

    await t.step(
      "domain membership, tokens (with and without email), deleteUser; 404s count as done",
      async () => {
        await withClient(pki, {}, async (c, emu) => {
          const a = await c.createUser({ username: "alice", name: "Alice", email: "alice@example.com" });
          const b = await c.createUser({ username: "bob", name: "Bob", email: "bob@example.com" });
          await c.addDomainMember(emu.domainId, a.id);
          await c.addDomainMember(emu.domainId, a.id); // idempotent
          await c.addDomainMember(emu.domainId, b.id);
          assert.deepEqual(emu.members().map((u) => u.username), ["alice", "bob"]);
          const addReq = emu.requests.findLast((r) => r.method === "PUT")!;
          assert.equal(addReq.body, "");
          assert.equal(addReq.headers["content-type"], undefined);

          const withMail = await c.issueToken(emu.domainId, a.id, { sendEmail: true });
          assert.equal(withMail.state, "pending");
          assert.match(withMail.code!, /^[a-z0-9]{10}$/);
          assert.equal(emu.tokenEmailed(emu.domainId, a.id), true);
          assert.equal(emu.requests.at(-1)!.body, "", "the public call is bodiless");

          const noMail = await c.issueToken(emu.domainId, b.id, { sendEmail: false });
          assert.equal(noMail.state, "pending");
          assert.equal(emu.tokenEmailed(emu.domainId, b.id), false);
          assert.deepEqual(JSON.parse(emu.requests.at(-1)!.body), { sendEmail: false });
          assert.equal(emu.requests.at(-1)!.headers["content-type"], MEDIA);

          await c.removeDomainMember(emu.domainId, a.id);
          assert.deepEqual(emu.members().map((u) => u.username), ["bob"]);
          await c.removeDomainMember(emu.domainId, a.id); // 404 → done
          assert.equal(emu.requests.at(-1)!.status, 404);

          await c.deleteUser(b.id);
          await c.deleteUser(b.id); // 404 → done
          assert.equal(emu.requests.at(-1)!.status, 404);
          assert.deepEqual(emu.users().map((u) => u.username), ["alice"]);
          // DELETE and bodiless PUT answered 200 with an empty body, and that was fine.
          assert.ok(emu.requests.some((r) => r.method === "DELETE" && r.status === 200));
        });
      },
    );

    await t.step("groups, phones and the administrator notification (extensions)", async () => {
      await withClient(pki, {}, async (c, emu) => {
        const g = emu.seedGroup("VPN Users");
        emu.seedGroup("Admins");
        const u = emu.seedUser({ username: "carol", name: "Carol", email: "carol@example.com" });
        const groups = await c.listGroups();
        assert.deepEqual(groups.map((x) => x.name).sort(), ["Admins", "VPN Users"]);
        await c.addGroupMember(g.id, u.id);
        assert.deepEqual(emu.users()[0].groups, [g.id]);

        const p1 = await c.addPhone(u.id, "+1 555 0100");
        assert.deepEqual(p1.phones, ["+1 555 0100"]);
        const p2 = await c.addPhone(u.id, "+1 555 0100");
        assert.deepEqual(p2.phones, ["+1 555 0100"], "adding a known number is a no-op");

        emu.seedAdministrator("admin@example.com");
        assert.equal(
          await c.notifyAdministrator({ email: "admin@example.com", added: ["carol"], removed: [] }),
          "sent",
        );
        assert.equal(emu.notifications.length, 1);
        assert.equal(
          await c.notifyAdministrator({ email: "stranger@example.com", added: [], removed: ["x"] }),
          "not-an-administrator",
        );
        assert.equal(emu.notifications.length, 1);
      });
    });

    await t.step("listDomainMembers reads every page until an empty one (page size 2, 9 users)", async () => {
      await withClient(pki, { pageSize: 2 }, async (c, emu) => {
        const names = Array.from({ length: 9 }, (_, i) => `user${i + 1}`);
        for (const n of names) emu.seedUser({ username: n, name: n, email: `${n}@example.com` });
        emu.seedUser({ username: "outsider", name: "O", email: "o@example.com", domains: [] });
        const members = await c.listDomainMembers(emu.domainId);
        assert.deepEqual(members.map((u) => u.username).sort(), names.sort());
        const pages = emu.requests.filter((r) => r.path.endsWith("/users")).map((r) => r.query.page);
        assert.deepEqual(
          pages,
          ["1", "2", "3", "4", "5", "6"],
          "5 pages of data (the last one short), then []",
        );
      });
    });

    await t.step("a short page is not the end: paging continues until an empty page", async () => {
      await withClient(pki, { pageSize: 3 }, async (c, emu) => {
        for (const n of ["a1", "a2", "a3", "a4"]) {
          emu.seedUser({ username: n, name: n, email: `${n}@example.com` });
        }
        // Page 2 is short (1 user); the client must still ask for page 3 before it stops.
        const members = await c.listDomainMembers(emu.domainId);
        assert.equal(members.length, 4);
        assert.deepEqual(emu.requests.map((r) => r.query.page), ["1", "2", "3"]);
      });
    });

    await t.step("an empty domain and no groups: one request each, empty lists", async () => {
      await withClient(pki, {}, async (c, emu) => {
        assert.deepEqual(await c.listDomainMembers(emu.domainId), []);
        assert.deepEqual(await c.listGroups(), []);
        assert.equal(emu.requests.length, 2);
      });
    });
  });
});
