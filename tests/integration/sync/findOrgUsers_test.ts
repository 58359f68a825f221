/**
 * Finding organization users: lookups vs the organization listing (src/sync/findOrgUsers.ts),
 * against the emulator over HTTPS, asserted on its request log. Both strategies must give the
 * same plan.
 */
import assert from "node:assert/strict";
import type { Emulator } from "../../../emulator/mod.ts";
import { createLoginTCClient, type LoginTCClient } from "../../../src/logintc/client.ts";
import {
  chooseStrategy,
  findOrgUsers,
  type FindStrategy,
  LOOKUP_LIMIT,
  MAX_PAGES_IN_FLIGHT,
} from "../../../src/sync/findOrgUsers.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { readLoginTC } from "../../../src/sync/readLoginTC.ts";
import type { LoginTCState, PlanOptions } from "../../../src/sync/types.ts";
import type { DirectoryUser } from "../../../src/types.ts";
import { configFor, withEmulator, withPki } from "../../support/logintc.ts";
import { dirUser } from "../../support/syncModel.ts";

const PAGE = 3;
const OPTIONS: PlanOptions = { syncMode: "remove", syncTokenMode: "do_not_issue_token" };

async function withWorld(fn: (emu: Emulator, api: LoginTCClient) => Promise<void>): Promise<void> {
  await withPki((p) =>
    withEmulator(p, { pageSize: PAGE }, async (emu) => {
      // 5 domain members, 20 organization users outside the domain, and two the directory
      // also holds: "Carol" (the directory says "carol") and dave (another name in LoginTC).
      for (let i = 1; i <= 5; i++) {
        emu.seedUser({ username: `m${i}`, name: `m${i} name`, email: `m${i}@example.com` });
      }
      for (let i = 1; i <= 20; i++) {
        emu.seedUser({ username: `o${i}`, name: `o${i}`, email: `o${i}@example.com`, domains: [] });
      }
      emu.seedUser({ username: "Carol", name: "carol name", email: "carol@example.com", domains: [] });
      emu.seedUser({ username: "dave", name: "Dave Old", email: "dave@example.com", domains: [] });
      const api = createLoginTCClient(configFor(emu, { caPem: p.caPem }), { retry: { maxAttempts: 1 } });
      try {
        await fn(emu, api);
      } finally {
        await api.close();
      }
    })
  );
}
const ORG_USERS = 27;

/** The directory: the 5 members, carol, dave, and `fresh` users LoginTC does not know. */
function directory(fresh: number): DirectoryUser[] {
  const users = [1, 2, 3, 4, 5].map((i) => dirUser(`m${i}`));
  users.push(dirUser("carol"), dirUser("dave", { name: "Dave New" }));
  for (let i = 1; i <= fresh; i++) users.push(dirUser(`new${String(i).padStart(3, "0")}`));
  return users;
}

function userRequests(emu: Emulator, from = 0) {
  const log = emu.requests.slice(from).filter((r) => r.method === "GET" && r.path === "/api/users");
  return {
    // Sorted: pages in flight together arrive in any order.
    pages: log.filter((r) => r.query.page !== undefined).map((r) => Number(r.query.page)).sort((a, b) =>
      a - b
    ),
    lookups: log.filter((r) => r.query.username !== undefined).map((r) => r.query.username),
  };
}

const usernames = (users: { username: string }[]) => users.map((u) => u.username).sort();

Deno.test("findOrgUsers: the cost rule picks lookups up to LOOKUP_LIMIT users, the listing beyond", () => {
  assert.equal(chooseStrategy(0), "lookup");
  assert.equal(chooseStrategy(LOOKUP_LIMIT), "lookup");
  assert.equal(chooseStrategy(LOOKUP_LIMIT + 1), "list");
});

Deno.test("findOrgUsers: a few users to find are looked up, one request each, no listing", async () => {
  await withWorld(async (emu, api) => {
    const dir = directory(10);
    const state = await readLoginTC(api, emu.domainId, dir);
    const { pages, lookups } = userRequests(emu);
    assert.deepEqual(pages, []);
    assert.deepEqual(lookups.sort(), usernames(dir.slice(5)));
    assert.deepEqual(usernames(state.orgUsers), ["Carol", "dave"]);
  });
});

Deno.test("findOrgUsers: many users to find: the organization is listed once, nobody looked up", async () => {
  await withWorld(async (emu, api) => {
    const dir = directory(LOOKUP_LIMIT); // 2 + 50 to find
    const state = await readLoginTC(api, emu.domainId, dir);
    const { pages, lookups } = userRequests(emu);
    assert.deepEqual(lookups, []);
    const lastFull = Math.ceil(ORG_USERS / PAGE);
    // Every page up to the empty one that ends the listing, each once; at most 3 read past it.
    assert.deepEqual(pages.slice(0, lastFull + 1), Array.from({ length: lastFull + 1 }, (_, i) => i + 1));
    assert.ok(pages.length <= lastFull + 1 + (MAX_PAGES_IN_FLIGHT - 1), `pages ${pages}`);
    assert.equal(new Set(pages).size, pages.length);
    assert.deepEqual(usernames(state.orgUsers), ["Carol", "dave"]);
  });
});

Deno.test("findOrgUsers: lookups and the listing give the same plan", async () => {
  await withWorld(async (emu, api) => {
    const dir = directory(8);
    const base: LoginTCState = {
      domainId: emu.domainId,
      members: await api.listDomainMembers(emu.domainId),
      orgUsers: [],
    };
    const toFind = dir.slice(5).map((u) => u.username);
    const plans = [];
    for (const strategy of ["lookup", "list"] as FindStrategy[]) {
      const from = emu.requests.length;
      const orgUsers = await findOrgUsers(api, toFind, { strategy, concurrency: 4 });
      const { pages, lookups } = userRequests(emu, from);
      if (strategy === "list") assert.ok(pages.length > 0 && lookups.length === 0, `${pages} ${lookups}`);
      else assert.ok(pages.length === 0 && lookups.length === toFind.length);
      plans.push(planSync(dir, { ...base, orgUsers }, OPTIONS));
    }
    assert.deepEqual(plans[1], plans[0]);
    // carol and dave are added (dave updated), not created; the 8 new ones are created.
    const creates = plans[0].steps.filter((s) => s.kind === "createUser").map((s) => s.username);
    assert.equal(creates.length, 8);
    assert.ok(!creates.includes("carol") && !creates.includes("dave"));
    const adds = plans[0].steps.filter((s) => s.kind === "addToDomain").map((s) => s.username);
    assert.ok(adds.includes("Carol") && adds.includes("dave"), JSON.stringify(adds));
  });
});

Deno.test("findOrgUsers: a listing longer than its budget stops and looks the rest up (≤ 2N requests)", async () => {
  await withWorld(async (emu, api) => {
    // 3 to find, 10 pages in the organization: the budget is 3 pages.
    const found = await findOrgUsers(api, ["dave", "carol", "new001"], { strategy: "list", concurrency: 4 });
    const { pages, lookups } = userRequests(emu);
    assert.deepEqual(pages, [1, 2, 3]);
    // o1..o8 are on pages 1-3; carol and dave come later, so all three are looked up.
    assert.deepEqual(lookups.sort(), ["carol", "dave", "new001"]);
    assert.ok(pages.length + lookups.length <= 2 * 3);
    assert.deepEqual(usernames(found), ["Carol", "dave"]);
  });
});

/**
 * More than LOOKUP_LIMIT to find, and a listing abandoned after pages 1-3 (the fault the caller set):
 * every user is then looked up, and carol and dave are still found.
 */
async function assertListingAbandoned(emu: Emulator, api: LoginTCClient): Promise<void> {
  const toFind = [...Array(LOOKUP_LIMIT).keys()].map((i) => `new${i}`).concat(["carol", "dave"]);
  const found = await findOrgUsers(api, toFind, { concurrency: 4 });
  const { pages, lookups } = userRequests(emu);
  assert.deepEqual(pages, [1, 2, 3]);
  assert.equal(lookups.length, toFind.length);
  assert.deepEqual(usernames(found), ["Carol", "dave"]);
}

Deno.test("findOrgUsers: a server that ignores ?page= is not trusted: the users are looked up", async () => {
  await withWorld(async (emu, api) => {
    // Pages 1 and 2 answer the same: what a LoginTC without paging would send.
    const page1 = JSON.stringify(emu.users().filter((u) => u.username.startsWith("o")).slice(0, PAGE));
    emu.addFault({ method: "GET", path: "/users", times: 2, status: 200, body: page1 });
    await assertListingAbandoned(emu, api);
  });
});

Deno.test("findOrgUsers: a 404 on a later page does not end the listing: the rest is looked up", async () => {
  await withWorld(async (emu, api) => {
    // Every page is full (27 users, 3 a page); the second listing request answers 404.
    emu.addFault({ method: "GET", path: "/users", nth: 2, status: 404 });
    await assertListingAbandoned(emu, api);
  });
});
