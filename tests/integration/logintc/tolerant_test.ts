/**
 * Tolerant reads (docs/logintc-api.md): the username lookup reads 404 with any code and 200 with
 * [], {} or null as "no such user", never trusts a user with another username; listings end on
 * an empty page, fail on a repeated page, and take a 404 after page 1 as the end only where that
 * cannot shorten a list removals rest on (the organization listing then falls back to lookups);
 * a body of the wrong shape names the call.
 */
import assert from "node:assert/strict";
import { LoginTCError } from "../../../src/errors.ts";
import { createLoginTCClient, type LoginTCClient } from "../../../src/logintc/client.ts";
import { toUser } from "../../../src/logintc/parse.ts";
import { findOrgUsers } from "../../../src/sync/findOrgUsers.ts";
import type { Emulator, EmulatorOptions } from "../../../emulator/mod.ts";
import type { TestPki } from "../../support/certs.ts";
import { configFor, withEmulator, withPki } from "../../support/logintc.ts";

async function withClient(
  pki: TestPki,
  opts: Omit<EmulatorOptions, "tls">,
  fn: (emu: Emulator, api: LoginTCClient) => Promise<void>,
): Promise<void> {
  await withEmulator(pki, opts, async (emu) => {
    const api = createLoginTCClient(configFor(emu, { caPem: pki.caPem }), { retry: { maxAttempts: 1 } });
    try {
      await fn(emu, api);
    } finally {
      await api.close();
    }
  });
}

const isError = (pattern: RegExp) => (e: unknown) => e instanceof LoginTCError && pattern.test(e.message);

Deno.test("findUserByUsername: absent for 404 (any code) and 200 [], {}, null; another username is an error", async () => {
  await withPki(async (pki) => {
    await withClient(pki, {}, async (emu, api) => {
      emu.seedUser({ username: "Alice", name: "Alice", email: "alice@example.com" });
      // The emulator's own 404, then other codes and shapes a real service might use.
      assert.equal(await api.findUserByUsername("nobody"), undefined);
      const absent: [number, string][] = [
        [404, '{"errors":[{"code":"some.other.code","message":"x"}]}'],
        [404, "<html>Not Found</html>"],
        [200, "[]"],
        [200, "{}"],
        [200, "null"],
      ];
      for (const [status, body] of absent) {
        emu.clearFaults();
        emu.addFault({ method: "GET", path: "/users", status, body });
        assert.equal(await api.findUserByUsername("alice"), undefined, `${status} ${body}`);
      }
      emu.clearFaults();
      // Found case-insensitively; a one-element list holding the user is read too.
      assert.equal((await api.findUserByUsername("ALICE"))?.username, "Alice");
      const alice = emu.users()[0];
      emu.addFault({ method: "GET", path: "/users", status: 200, body: JSON.stringify([alice]) });
      assert.equal((await api.findUserByUsername("alice"))?.id, alice.id);
      emu.clearFaults();

      // A server that ignores ?username= answers with someone else, or with a list.
      emu.addFault({ method: "GET", path: "/users", status: 200, body: JSON.stringify(alice) });
      await assert.rejects(
        api.findUserByUsername("bob"),
        isError(/GET \/api\/users\?username=bob .*asked for username "bob", got "Alice"/),
      );
      emu.clearFaults();
      emu.addFault({ method: "GET", path: "/users", status: 200, body: JSON.stringify([alice, alice]) });
      await assert.rejects(api.findUserByUsername("alice"), isError(/expected one user, got a list of 2/));
      emu.clearFaults();
      emu.addFault({
        method: "GET",
        path: "/users",
        status: 200,
        body: '{"id":"x","username":"alice","email":7}',
      });
      await assert.rejects(api.findUserByUsername("alice"), isError(/user "alice": "email" is not a string/));
    });
  });
});

Deno.test("listings: [] ends; a short page does not; a repeated page fails; 404 after page 1 only when safe", async () => {
  await withPki(async (pki) => {
    await withClient(pki, { pageSize: 2 }, async (emu, api) => {
      for (const u of ["a", "b", "c", "d", "e"]) emu.seedUser({ username: u, name: u, email: `${u}@x.com` });
      const members = (d: string) => `/domains/${d}/users`;
      const path = members(emu.domainId);
      const names = (list: { username: string }[]) => list.map((u) => u.username);

      // Pages of 2, 2, 1, then []: the short third page is read past.
      emu.requests.length = 0;
      assert.deepEqual(names(await api.listDomainMembers(emu.domainId)), ["a", "b", "c", "d", "e"]);
      assert.deepEqual(emu.requests.map((r) => r.query.page), ["1", "2", "3", "4"]);

      // 404 for the page past the end, after a short page: the list has ended, in any mode.
      emu.addFault({ method: "GET", path, nth: 4, status: 404 });
      assert.deepEqual(names(await api.listDomainMembers(emu.domainId)), ["a", "b", "c", "d", "e"]);
      emu.clearFaults();

      // 404 right after a full page: maybe more. add_only (loose) takes it as the end; otherwise an error.
      emu.addFault({ method: "GET", path, nth: 3, status: 404 });
      assert.deepEqual(names(await api.listDomainMembers(emu.domainId, { loose: true })), [
        "a",
        "b",
        "c",
        "d",
      ]);
      emu.clearFaults();
      emu.addFault({ method: "GET", path, nth: 3, status: 404 });
      await assert.rejects(
        api.listDomainMembers(emu.domainId),
        isError(/GET \/api\/domains\/[0-9a-f]{40}\/users\?page=3 with 404 .*full page of 2/),
      );
      emu.clearFaults();

      // A server that ignores ?page= sends page 1 again.
      const page1 = JSON.stringify(emu.members().slice(0, 2));
      emu.addFault({ method: "GET", path, status: 200, body: page1 });
      await assert.rejects(
        api.listDomainMembers(emu.domainId),
        isError(/page=2 with 200 but sent the same page twice/),
      );
      emu.clearFaults();

      // A 404 on page 1 is never an empty list, nor is a body of the wrong shape.
      emu.addFault({ method: "GET", path, nth: 1, status: 404 });
      await assert.rejects(api.listDomainMembers(emu.domainId), isError(/page=1 with 404/));
      emu.clearFaults();
      emu.addFault({ method: "GET", path, nth: 1, status: 200, body: '{"users":[]}' });
      await assert.rejects(
        api.listDomainMembers(emu.domainId),
        isError(/page=1 with 200 but a list page is not a JSON array/),
      );
    });
  });
});

Deno.test("toUser: absent or null keys are unknown (kept absent), never empty; wrong types are errors", () => {
  const p = toUser({ id: "1", username: "u", name: null, domains: ["d"] });
  assert.deepEqual(p, { ok: true, value: { id: "1", username: "u", domains: ["d"] } });
  const full = toUser({
    id: "1",
    username: "u",
    name: "N",
    email: "e@x",
    alias1: "",
    phones: [],
    groups: ["g"],
  });
  assert.deepEqual(full, {
    ok: true,
    value: { id: "1", username: "u", name: "N", email: "e@x", alias1: "", phones: [], groups: ["g"] },
  });
  assert.deepEqual(toUser({ id: "1", username: "u", groups: "g" }), {
    ok: false,
    problem: 'user "u": "groups" is not a list of strings',
  });
  assert.deepEqual(toUser({ id: "1", username: "u", alias2: 3 }), {
    ok: false,
    problem: 'user "u": "alias2" is not a string',
  });
  // Keys the sync does not use never stop it.
  assert.deepEqual(toUser({ id: "1", username: "u", hardware: 5, bypasscodes: {} }), {
    ok: true,
    value: { id: "1", username: "u" },
  });
});

Deno.test("organization listing: a 404 after page 1 is not an end — the users not seen are looked up", async () => {
  await withPki(async (pki) => {
    await withClient(pki, { pageSize: 2 }, async (emu, api) => {
      for (const u of ["a", "b", "c", "d", "e"]) {
        emu.seedUser({ username: u, name: u, email: `${u}@x.com`, domains: [] });
      }
      emu.addFault({ method: "GET", path: "/users", nth: 2, status: 404 });
      emu.requests.length = 0;
      const found = await findOrgUsers(api, ["a", "e", "zed"], { strategy: "list", concurrency: 1 });
      assert.deepEqual(
        found.map((u) => u.username).sort(),
        ["a", "e"],
        "e exists: never planned as a create",
      );
      const lookups = emu.requests.filter((r) => r.query.username !== undefined).map((r) => r.query.username);
      assert.deepEqual(lookups.sort(), ["e", "zed"]);
    });
  });
});
