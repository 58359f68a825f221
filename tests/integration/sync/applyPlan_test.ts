/**
 * The sync engine against the real client and the LoginTC emulator over HTTPS: read → plan →
 * check → apply, then re-read and re-plan (must be empty). Faults are injected in the emulator;
 * nothing in LoginTC is mocked. The job record around a run: ../cli/runJob_test.ts.
 */
import assert from "node:assert/strict";
import type { Emulator } from "../../../emulator/mod.ts";
import type { LoginTCClient } from "../../../src/logintc/client.ts";
import { applyPlan } from "../../../src/sync/applyPlan.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import type { PlanOptions } from "../../../src/sync/types.ts";
import type { DirectoryUser } from "../../../src/types.ts";
import { readState, withClient } from "../../support/emulated.ts";
import { dirUser } from "../../support/syncModel.ts";

async function sync(
  api: LoginTCClient,
  emu: Emulator,
  dir: DirectoryUser[],
  options: PlanOptions,
  concurrency = 4,
) {
  const state = await readState(api, emu, dir, options.group);
  const plan = planSync(dir, state, options);
  const checked = applyGuards(plan, {
    maxRemoveLimit: 10,
    directoryCount: dir.length,
    memberCount: state.members.length,
    baseDn: "dc=x",
    filter: "(uid=*)",
  });
  const progress: number[] = [];
  assert.equal(checked.plan.domainId, emu.domainId, "the plan carries the domain it was read from");
  const result = await applyPlan(checked.plan, api, {
    concurrency,
    onStep: (e) => progress.push(e.finished, e.total),
  });
  return { state, plan: checked.plan, result, progress };
}

function apiCalls(emu: Emulator) {
  return emu.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
}

Deno.test("apply: a full sync against the emulator converges (re-read, re-plan is empty)", async () => {
  await withClient({ pageSize: 2 }, async (emu, api) => {
    emu.seedGroup("Sales");
    emu.seedUser({
      username: "keep",
      name: "Keep",
      email: "keep@x.com",
      alias2: "k2",
      phones: ["+1 555 0100"],
    });
    emu.seedUser({ username: "Renamed", name: "Old Name", email: "renamed@x.com" });
    emu.seedUser({ username: "orgonly", name: "Org Only", email: "org@x.com", domains: [] });
    emu.seedUser({ username: "leaver1", name: "L1", email: "l1@x.com" });
    emu.seedUser({ username: "leaver2", name: "L2", email: "l2@x.com" });
    const dir = [
      dirUser("keep", { name: "Keep", email: "keep@x.com", aliases: { alias2: "" }, phone: "+1-555-0100" }),
      dirUser("renamed", { name: "New Name", email: "renamed@x.com" }),
      dirUser("ORGONLY", { name: "Org Only", email: "org@x.com", aliases: { alias1: "o1" } }),
      dirUser("newbie", { name: "New Bie", email: "newbie@x.com", phone: "+1 555 0111" }),
      dirUser("nomail", { name: "No Mail", email: undefined }),
    ];
    const options: PlanOptions = {
      syncMode: "remove",
      syncTokenMode: "issue_token_without_email",
      group: "sales",
    };
    const first = await sync(api, emu, dir, options);
    assert.deepEqual(first.result.failed, []);
    assert.deepEqual(first.result.notAttempted, []);
    assert.equal(first.result.done.length, first.plan.steps.length);
    assert.deepEqual(first.plan.leftOut.map((s) => s.username), ["nomail"]);
    assert.deepEqual(first.progress.slice(-2), [first.plan.steps.length, first.plan.steps.length]);

    assert.deepEqual(emu.members().map((u) => u.username), ["keep", "newbie", "orgonly", "Renamed"].sort());
    const users = new Map(emu.users().map((u) => [u.username, u]));
    assert.ok(!users.has("ORGONLY") && !users.has("renamed"), "no case-variant duplicate was created");
    assert.equal(users.get("Renamed")!.name, "New Name");
    assert.equal(users.get("keep")!.alias2, "");
    assert.deepEqual(users.get("keep")!.phones, ["+1 555 0100"]);
    assert.equal(users.get("orgonly")!.alias1, "o1");
    assert.deepEqual(users.get("newbie")!.phones, ["+1 555 0111"]);
    const sales = emu.groups().find((g) => g.name === "Sales")!;
    for (const name of ["keep", "newbie", "orgonly", "Renamed"]) {
      assert.ok(users.get(name)!.groups!.includes(sales.id));
    }
    // Tokens only for the two users this sync added to the domain, without email.
    assert.equal(emu.token(emu.domainId, users.get("newbie")!.id)?.state, "pending");
    assert.equal(emu.tokenEmailed(emu.domainId, users.get("orgonly")!.id), false);
    assert.equal(emu.token(emu.domainId, users.get("keep")!.id), undefined);
    assert.equal(emu.activationEmails.length, 0);
    // remove mode: leavers are out of the domain but still in the organization.
    assert.ok(users.has("leaver1") && users.get("leaver1")!.domains?.length === 0);

    const again = await sync(api, emu, dir, options);
    assert.deepEqual(again.plan.steps, []);
  });
});

Deno.test("apply: one user's 400 fails only that user; its later steps are not attempted, with the reason", async () => {
  await withClient({}, async (emu, api) => {
    emu.seedGroup("Sales");
    const blocked = emu.seedUser({ username: "blocked", name: "Blocked", email: "b@x.com", domains: [] });
    emu.addFault({ method: "PUT", path: `/domains/${emu.domainId}/users/${blocked.id}`, status: 400 });
    const dir = [
      dirUser("good1"),
      dirUser("bademail", { email: "not-an-email" }),
      dirUser("good2"),
      dirUser("blocked", { name: "Blocked", email: "b@x.com" }),
    ];
    const { plan, result } = await sync(api, emu, dir, {
      syncMode: "add_only",
      syncTokenMode: "issue_token_with_email",
      group: "Sales",
    });
    assert.deepEqual(
      result.failed.map((f) => `${f.step.kind}:${f.step.username}`),
      ["createUser:bademail", "addToDomain:blocked"],
    );
    assert.ok(result.failed[0].message.length > 0);
    assert.match(result.failed[0].message, /400/);
    assert.deepEqual(
      result.notAttempted.map((s) => `${s.step.kind}:${s.step.username}`),
      ["addToDomain:bademail", "issueToken:bademail", "issueToken:blocked", "addToGroup:bademail"],
    );
    assert.match(result.notAttempted[0].reason, /^create failed: /);
    assert.match(
      result.notAttempted.find((s) => s.step.username === "blocked")!.reason,
      /^add to domain failed: /,
    );
    // The others were all made, and "blocked" still joined the group (it does not need membership).
    assert.equal(result.done.length + result.failed.length + result.notAttempted.length, plan.steps.length);
    assert.deepEqual(emu.members().map((u) => u.username), ["good1", "good2"]);
    assert.ok(emu.users().find((u) => u.username === "blocked")!.groups!.length === 1);
    assert.equal(emu.activationEmails.length, 2);
    assert.ok(!emu.users().some((u) => u.username === "bademail"));
  });
});

Deno.test("apply: phases run in order (every create before any domain add, tokens after adds)", async () => {
  await withClient({}, async (emu, api) => {
    emu.seedUser({ username: "gone", name: "Gone", email: "gone@x.com" });
    const dir = ["a", "b", "c"].map((u) => dirUser(u, { aliases: { alias1: `${u}1` } }));
    await sync(api, emu, dir, { syncMode: "delete", syncTokenMode: "issue_token_with_email" });
    const phase = (call: string): number =>
      call.startsWith("POST /api/users") && !call.includes("phones")
        ? 0
        : /^PUT \/api\/domains\/\w+\/users\/\w+$/.test(call)
        ? 2
        : call.endsWith("/token")
        ? 3
        : call.startsWith("PUT /api/users/")
        ? 5
        : call.startsWith("DELETE")
        ? 6
        : -1;
    const phases = apiCalls(emu).map(phase);
    assert.ok(!phases.includes(-1), apiCalls(emu).join("\n"));
    assert.deepEqual(phases, [0, 0, 0, 2, 2, 2, 3, 3, 3, 5, 5, 5, 6]);
    assert.ok(!emu.users().some((u) => u.username === "gone"), "delete mode deletes from the organization");
  });
});

Deno.test("apply: at most `concurrency` calls are in flight (observed through emulator latency)", async () => {
  await withClient({}, async (emu, api) => {
    const LATENCY = 300;
    const CONCURRENCY = 2;
    const ids = Array.from(
      { length: 6 },
      (_, i) => emu.seedUser({ username: `u${i}`, name: `U${i}`, email: `u${i}@x.com`, domains: [] }).id,
    );
    emu.addFault({
      method: "PUT",
      path: new RegExp(`^/domains/${emu.domainId}/users/\\w+$`),
      latencyMs: LATENCY,
    });
    const dir = ids.map((_, i) => dirUser(`u${i}`, { name: `U${i}`, email: `u${i}@x.com` }));
    const { result } = await sync(api, emu, dir, {
      syncMode: "add_only",
      syncTokenMode: "do_not_issue_token",
    }, CONCURRENCY);
    assert.equal(result.done.length, 6);
    const arrivals = emu.requests.filter((r) => r.method === "PUT").map((r) => Date.parse(r.at));
    assert.equal(arrivals.length, 6);
    // Every call arriving within LATENCY ms of another is still in flight when the later one
    // arrives (the server holds each for LATENCY), so a window that short holds at most 2.
    const maxInWindow = Math.max(
      ...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + LATENCY).length),
    );
    assert.equal(maxInWindow, CONCURRENCY);
  });
});

for (const mode of ["extended", "public"] as const) {
  Deno.test(`apply (${mode} API): a reassignment revokes token, bypass codes and hardware; 404 (nothing to revoke) is done`, async () => {
    await withClient({ api: mode }, async (emu, api) => {
      const full = emu.seedUser({ username: "full", name: "Old Full", email: "of@x.com", token: "active" });
      emu.setSecondFactors(full.id, { bypasscodes: ["11111111", "22222222"], hardware: "HW-1" });
      // No token, no bypass codes, no hardware token: every revocation answers 404 or 200 with nothing done.
      emu.seedUser({ username: "bare", name: "Old Bare", email: "ob@x.com" });
      const other = emu.seedDomain();
      const org = emu.seedUser({
        username: "orgonly",
        name: "Old Org",
        email: "oo@x.com",
        domains: [other],
        token: "active",
      });
      emu.setSecondFactors(org.id, { hardware: "HW-2" });
      const dir = ["full", "bare", "orgonly"].map((u) =>
        dirUser(u, { name: `New ${u}`, anchor: `new-${u}` })
      );
      const state = await readState(api, emu, dir);
      const ledger = {
        version: 1 as const,
        domainId: emu.domainId,
        anchorAttribute: "entryUUID",
        updatedAt: "2026-01-01T00:00:00.000Z",
        users: ["bare", "full", "orgonly"].map((username) => ({
          username,
          anchor: `old-${username}`,
          userId: null,
          managed: true,
          firstSeen: "2026-01-01T00:00:00.000Z",
          lastSeen: "2026-01-01T00:00:00.000Z",
          absentSince: null,
        })),
      };
      const plan = planSync(dir, { ...state, ledger }, {
        syncMode: "add_only",
        syncTokenMode: "issue_token_with_email",
        anchorAttribute: "entryUUID",
      });
      const orgStep = plan.steps.find((s) => s.kind === "reassignUser" && s.username === "orgonly");
      assert.deepEqual(orgStep && "otherDomains" in orgStep && orgStep.otherDomains, [other]);
      const result = await applyPlan(plan, api, {});
      assert.deepEqual(result.failed, []);
      assert.deepEqual(result.notAttempted, []);
      assert.equal(emu.token(emu.domainId, full.id)?.state, "pending", "a new token for the new person");
      assert.deepEqual(emu.secondFactors(full.id), { bypasscodes: [], hardware: "" });
      assert.deepEqual(emu.secondFactors(org.id), { bypasscodes: [], hardware: "" });
      // Not this sync's domain: the token there stays (the plan names the domain instead).
      assert.equal(emu.token(other, org.id)?.state, "active");
      assert.deepEqual(emu.members().map((u) => [u.username, u.name]), [
        ["bare", "New bare"],
        ["full", "New full"],
        ["orgonly", "New orgonly"],
      ]);
    });
  });
}

Deno.test("apply: a reassignment LoginTC refuses fails, and none of that user's other steps is attempted", async () => {
  await withClient({}, async (emu, api) => {
    const u = emu.seedUser({ username: "jdoe", name: "John", email: "john@x.com", token: "active" });
    // 409, not 401/403: a refused credential stops the whole run (src/sync/applyPlan.ts).
    emu.addFault({ method: "DELETE", path: `/users/${u.id}/bypasscodes`, status: 409 });
    const dir = [dirUser("jdoe", { name: "Jane", email: "jane@x.com", anchor: "jane" })];
    const state = await readState(api, emu, dir);
    const ledger = {
      version: 1 as const,
      domainId: emu.domainId,
      anchorAttribute: "entryUUID",
      updatedAt: "2026-01-01T00:00:00.000Z",
      users: [{
        username: "jdoe",
        anchor: "john",
        userId: u.id,
        managed: true,
        firstSeen: "2026-01-01T00:00:00.000Z",
        lastSeen: "2026-01-01T00:00:00.000Z",
        absentSince: null,
      }],
    };
    const plan = planSync(dir, { ...state, ledger }, {
      syncMode: "add_only",
      syncTokenMode: "issue_token_with_email",
      anchorAttribute: "entryUUID",
    });
    const result = await applyPlan(plan, api, {});
    assert.deepEqual(result.failed.map((f) => f.step.kind), ["reassignUser"]);
    assert.match(result.failed[0].message, /409/);
    assert.deepEqual(result.notAttempted.map((s) => s.step.kind), ["updateUser", "issueToken"]);
    assert.match(result.notAttempted[0].reason, /^reassign failed: /);
    assert.equal(emu.users()[0].name, "John", "the account keeps the previous person's name");
  });
});
