/**
 * The sync engine against the real client and the LoginTC emulator over HTTPS: read → plan →
 * check → apply, then re-read and re-plan (must be empty). Faults are injected in the emulator;
 * nothing in LoginTC is mocked.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Emulator } from "../../emulator/mod.ts";
import { ExitCode, LoginTCError } from "../../src/errors.ts";
import { createLoginTCClient, type LoginTCClient } from "../../src/logintc/client.ts";
import { applyPlan } from "../../src/sync/applyPlan.ts";
import { checkPlan } from "../../src/sync/checkPlan.ts";
import { planSync } from "../../src/sync/planSync.ts";
import { readLoginTC } from "../../src/sync/readLoginTC.ts";
import { probeCapabilities } from "../../src/logintc/capabilities.ts";
import { planFeatures } from "../../src/sync/features.ts";
import { readJob } from "../../src/sync/jobStore.ts";
import { renderJob, renderJobCreated } from "../../src/sync/renderJob.ts";
import { runSyncJob, syncExitCode } from "../../src/sync/runJob.ts";
import type { PlanOptions } from "../../src/sync/types.ts";
import type { DirectoryUser } from "../../src/types.ts";
import { configFor, withEmulator, withPki } from "../support/logintc.ts";
import { dirUser } from "./model.ts";

async function withClient(
  opts: { pageSize?: number },
  fn: (emu: Emulator, api: LoginTCClient) => Promise<void>,
): Promise<void> {
  await withPki((p) =>
    withEmulator(p, opts, async (emu) => {
      const api = createLoginTCClient(configFor(emu, { caPem: p.caPem }), { retry: { maxAttempts: 1 } });
      try {
        await fn(emu, api);
      } finally {
        await api.close();
      }
    })
  );
}

async function sync(
  api: LoginTCClient,
  emu: Emulator,
  dir: DirectoryUser[],
  options: PlanOptions,
  concurrency = 4,
) {
  const state = await readState(api, emu, dir, options.group);
  const plan = planSync(dir, state, options);
  const checked = checkPlan(plan, {
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
    onProgress: (done, total) => progress.push(done, total),
  });
  return { state, plan: checked.plan, result, progress };
}

/** readLoginTC, then the capability probe for -g (as src/sync/readExtensions.ts does). */
async function readState(
  api: LoginTCClient,
  emu: Emulator,
  dir: DirectoryUser[],
  group?: string,
  concurrency?: number,
) {
  const state = await readLoginTC(api, emu.domainId, dir, { concurrency });
  if (group === undefined) return state;
  const caps = await probeCapabilities(
    api,
    { ldap: { attrAlias: {} }, logintc: { domainId: emu.domainId } },
    {
      group,
      syncTokenMode: "do_not_issue_token",
      sample: [...state.members, ...state.orgUsers],
    },
  );
  if (caps.problems.length > 0) throw new LoginTCError(caps.problems.join("; "));
  return { ...state, features: planFeatures(caps), ...(caps.group ? { group: caps.group } : {}) };
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
    assert.deepEqual(first.result.skipped, []);
    assert.equal(first.result.done.length, first.plan.steps.length);
    assert.deepEqual(first.plan.skipped.map((s) => s.username), ["nomail"]);
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

Deno.test("apply: one user's 400 fails only that user; its later steps are skipped with the reason", async () => {
  await withClient({}, async (emu, api) => {
    emu.seedGroup("Sales");
    const blocked = emu.seedUser({ username: "blocked", name: "Blocked", email: "b@x.com", domains: [] });
    emu.addFault({ method: "PUT", path: `/domains/${emu.domainId}/users/${blocked.id}`, status: 403 });
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
      result.skipped.map((s) => `${s.step.kind}:${s.step.username}`),
      ["addToDomain:bademail", "issueToken:bademail", "issueToken:blocked", "addToGroup:bademail"],
    );
    assert.match(result.skipped[0].reason, /^create failed: /);
    assert.match(
      result.skipped.find((s) => s.step.username === "blocked")!.reason,
      /^add to domain failed: /,
    );
    // The others were all made, and "blocked" still joined the group (it does not need membership).
    assert.equal(result.done.length + result.failed.length + result.skipped.length, plan.steps.length);
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

Deno.test("readLoginTC: wrong domain fails first; group matched case-insensitively or named when missing", async () => {
  await withClient({ pageSize: 2 }, async (emu, api) => {
    emu.seedGroup("Sales");
    emu.seedUser({ username: "m1", name: "M1", email: "m1@x.com" });
    emu.seedUser({ username: "m2", name: "M2", email: "m2@x.com" });
    emu.seedUser({ username: "m3", name: "M3", email: "m3@x.com" });
    emu.seedUser({ username: "Org", name: "Org", email: "org@x.com", domains: [] });
    const dir = [dirUser("M1"), dirUser("org"), dirUser("ORG"), dirUser("absent")];

    await assert.rejects(readLoginTC(api, "f".repeat(40), dir, {}), LoginTCError);
    assert.equal(emu.requests.length, 1, "nothing else is read after the domain check fails");

    await assert.rejects(
      readState(api, emu, dir, "Marketing"),
      (e) => e instanceof LoginTCError && e.message === `group "Marketing" not found in LoginTC Admin`,
    );

    emu.requests.length = 0;
    const state = await readState(api, emu, dir, "SALES", 2);
    assert.equal(state.group?.name, "Sales");
    assert.deepEqual(state.members.map((u) => u.username).sort(), ["m1", "m2", "m3"]);
    assert.deepEqual(state.orgUsers.map((u) => u.username), ["Org"]);
    // One lookup per directory user not among the members (org/ORG asked once).
    const lookups = emu.requests.filter((r) => r.path === "/api/users" && r.query.username !== undefined);
    assert.deepEqual(lookups.map((r) => r.query.username).sort(), ["absent", "org"]);
  });
});

Deno.test("runSyncJob: the job record follows the run (Running → Failed on a step failure) and -j reads it", async () => {
  await withClient({}, async (emu, api) => {
    const stateDir = await Deno.makeTempDir();
    try {
      emu.seedUser({ username: "gone", name: "Gone", email: "gone@x.com" });
      const dir = [dirUser("ok"), dirUser("bad", { email: "not-an-email" })];
      const options = { syncMode: "remove", syncTokenMode: "do_not_issue_token", maxRemoveLimit: 0 } as const;
      const state = await readLoginTC(api, emu.domainId, dir);
      const checked = checkPlan(planSync(dir, state, options), {
        maxRemoveLimit: 0,
        directoryCount: 2,
        memberCount: state.members.length,
        baseDn: "dc=x",
        filter: "(uid=*)",
      });
      const jobFile = (id: string) => join(stateDir, "jobs", `${id}.json`);
      const seen: string[] = [];
      const at = new Date("2024-01-31T12:00:00Z");
      const outcome = await runSyncJob(checked, api, {
        stateDir,
        options,
        onCreated: (job) =>
          seen.push(renderJobCreated(job), JSON.parse(Deno.readTextFileSync(jobFile(job.id))).status),
      }, { now: () => at, newId: () => "c".repeat(40) });
      assert.deepEqual(seen, [`Async Job created with id: ${"c".repeat(40)}`, "Pending"]);
      assert.equal(outcome.path, jobFile("c".repeat(40)));
      const job = await readJob(stateDir, "c".repeat(40));
      assert.equal(job.status, "Failed");
      assert.equal(job.actionsTotal, 4); // 2 creates + 2 adds; bad: create failed, add skipped; removal withheld
      assert.equal(job.actionsCompleted, 2);
      assert.equal(job.withheld, 1);
      assert.equal(job.failures.length, 1);
      assert.equal(job.failures[0].username, "bad");
      assert.equal(syncExitCode(checked, outcome.result), ExitCode.PARTIAL);
      assert.equal(syncExitCode(checked, { done: [], failed: [], skipped: [] }), ExitCode.GUARD);
      assert.match(renderJob(job), /^Job Status: Failed$/m);
      assert.match(renderJob(job), /^Job Actions \(approx\.\): 2 of 4$/m);
    } finally {
      await Deno.remove(stateDir, { recursive: true });
    }
  });
});

Deno.test("runSyncJob: the Running record is rewritten with the steps made so far (every 100 steps or 2 s)", async () => {
  await withClient({}, async (emu, api) => {
    const stateDir = await Deno.makeTempDir();
    try {
      const dir = Array.from({ length: 120 }, (_, i) => dirUser(`p${String(i).padStart(3, "0")}`));
      const options = {
        syncMode: "add_only",
        syncTokenMode: "do_not_issue_token",
        maxRemoveLimit: 0,
      } as const;
      const checked = checkPlan(planSync(dir, await readLoginTC(api, emu.domainId, dir), options), {
        maxRemoveLimit: 0,
        directoryCount: dir.length,
        memberCount: 0,
        baseDn: "dc=x",
        filter: "(uid=*)",
      });
      const record = (id: string) => JSON.parse(Deno.readTextFileSync(join(stateDir, "jobs", `${id}.json`)));
      const seen: { status: string; actionsCompleted: number; dtProgress: string }[] = [];
      // A frozen clock: only the step cadence applies. One request at a time, so the write made at
      // step 100 has long landed by step 190 (90 HTTPS round trips later).
      const frozen = new Date("2024-01-31T12:00:00Z");
      await runSyncJob(checked, api, {
        stateDir,
        options,
        concurrency: 1,
        onProgress: (done) => {
          if (done === 90 || done === 190) {
            const { status, actionsCompleted, dtProgress } = record("a".repeat(40));
            seen.push({ status, actionsCompleted, dtProgress });
          }
        },
      }, { now: () => frozen, newId: () => "a".repeat(40) });
      assert.deepEqual(seen, [
        { status: "Running", actionsCompleted: 0, dtProgress: "" },
        { status: "Running", actionsCompleted: 100, dtProgress: "2024-01-31T12:00:00+0000" },
      ]);
      assert.equal(record("a".repeat(40)).status, "Completed");
      assert.equal(record("a".repeat(40)).actionsCompleted, 240);

      // A clock that moves 3 s per reading: the time cadence writes long before 100 steps.
      let t = Date.parse("2024-01-31T13:00:00Z");
      const dir2 = dir.map((u) => ({ ...u, name: `${u.name} Jr` }));
      const checked2 = checkPlan(planSync(dir2, await readLoginTC(api, emu.domainId, dir2), options), {
        maxRemoveLimit: 0,
        directoryCount: dir2.length,
        memberCount: dir2.length,
        baseDn: "dc=x",
        filter: "(uid=*)",
      });
      let early: number | undefined;
      await runSyncJob(checked2, api, {
        stateDir,
        options,
        concurrency: 1,
        onProgress: (done) => {
          if (done === 50) early = record("b".repeat(40)).actionsCompleted;
        },
      }, { now: () => new Date(t += 3000), newId: () => "b".repeat(40) });
      assert.ok(early !== undefined && early > 0 && early < 50, `progress recorded by time: ${early}`);
      // Only the two records: no temp file left behind.
      assert.deepEqual([...Deno.readDirSync(join(stateDir, "jobs"))].map((e) => e.name).sort(), [
        `${"a".repeat(40)}.json`,
        `${"b".repeat(40)}.json`,
      ]);
    } finally {
      await Deno.remove(stateDir, { recursive: true });
    }
  });
});
