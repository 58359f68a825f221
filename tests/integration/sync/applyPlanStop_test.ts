/**
 * The applier stops starting steps — on a refused credential (401 or 403 from LoginTC) and when its
 * signal aborts — against the real client and the emulator; steps in flight finish within the
 * grace period or are reported as in flight. What the CLI makes of it: tests/e2e/stop_test.ts.
 */
import assert from "node:assert/strict";
import { LoginTCError, RunStopped } from "../../../src/errors.ts";
import { applyPlan, type StepEvent } from "../../../src/sync/applyPlan.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { readLoginTC } from "../../../src/sync/readLoginTC.ts";
import { withClient } from "../../support/emulated.ts";
import { dirUser } from "../../support/syncModel.ts";

const USERS = Array.from({ length: 30 }, (_, i) => dirUser(`u${String(i).padStart(2, "0")}`));
const OPTIONS = { syncMode: "add_only", syncTokenMode: "do_not_issue_token" } as const;

const posts = (emu: { requests: { method: string; path: string }[] }) =>
  emu.requests.filter((q) => q.method === "POST" && q.path === "/api/users").length;

for (const status of [401, 403]) {
  Deno.test(`applyPlan: ${status} on a write stops the run: no step starts after it`, async () => {
    await withClient({}, async (emu, api) => {
      const plan = planSync(USERS, await readLoginTC(api, emu.domainId, USERS), OPTIONS);
      // The key was fine for the reads, and is refused for writes (revoked while the sync runs).
      emu.addFault({ method: "POST", path: "/users", status });
      const events: StepEvent[] = [];
      const result = await applyPlan(plan, api, { concurrency: 4, onStep: (e) => events.push(e) });
      assert.ok(result.stopped, "stopped");
      const reason = result.stopped.reason;
      assert.ok(reason instanceof LoginTCError && reason.details.credentials === "api-key", String(reason));
      assert.equal(reason.details.status, status);
      // At most the 4 requests in flight when the first answer came back; nothing after.
      assert.ok(posts(emu) <= 4, `${posts(emu)} creates sent`);
      assert.equal(emu.requests.filter((q) => q.method !== "GET").length, posts(emu));
      assert.equal(result.failed.length, posts(emu));
      assert.ok(result.failed.every((f) => f.refusedCredentials === true && f.answer?.status === status));
      assert.deepEqual(result.done, []);
      assert.deepEqual(result.notAttempted, []);
      assert.deepEqual(result.stopped.inFlight, []);
      assert.equal(result.stopped.notStarted, plan.steps.length - result.failed.length);
      assert.deepEqual(events.map((e) => e.outcome), result.failed.map(() => "failed"));
    });
  });
}

Deno.test("applyPlan: a 400 is one step's failure, not the run's: the others go on", async () => {
  await withClient({}, async (emu, api) => {
    const plan = planSync(USERS, await readLoginTC(api, emu.domainId, USERS), OPTIONS);
    emu.addFault({ method: "POST", path: "/users", nth: 3, status: 400 });
    const result = await applyPlan(plan, api, { concurrency: 4 });
    assert.equal(result.stopped, undefined);
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0].refusedCredentials, undefined);
    assert.equal(result.failed[0].answer?.status, 400);
    assert.equal(result.done.length, plan.steps.length - 2);
  });
});

Deno.test("applyPlan: once the signal aborts, no step starts; the ones in flight finish and count", async () => {
  await withClient({}, async (emu, api) => {
    const plan = planSync(USERS, await readLoginTC(api, emu.domainId, USERS), OPTIONS);
    emu.addFault({ method: "POST", path: "/users", latencyMs: 30 });
    const stop = new AbortController();
    const reason = new RunStopped("stopped by SIGTERM", 143);
    const result = await applyPlan(plan, api, {
      concurrency: 2,
      signal: stop.signal,
      onStep: (e) => {
        if (e.finished === 5) stop.abort(reason);
      },
    });
    assert.ok(result.stopped);
    assert.equal(result.stopped.reason, reason);
    // The 5th finished with one more in flight: it finishes too (well within the grace period).
    assert.equal(result.done.length, 6);
    assert.equal(posts(emu), 6);
    assert.deepEqual(result.stopped.inFlight, []);
    assert.equal(result.stopped.notStarted, plan.steps.length - 6);
    assert.equal(emu.users().length, 6);
  });
});

Deno.test("applyPlan: a step still in flight when the grace period ends is reported in flight, not done", async () => {
  await withClient({}, async (emu, api) => {
    const plan = planSync(
      USERS.slice(0, 3),
      await readLoginTC(api, emu.domainId, USERS.slice(0, 3)),
      OPTIONS,
    );
    let release = () => {};
    const held = new Promise<void>((r) => release = r);
    emu.addFault({ method: "POST", path: "/users", nth: 2, hold: held });
    const stop = new AbortController();
    const events: StepEvent[] = [];
    const started = Date.now();
    const result = await applyPlan(plan, api, {
      concurrency: 2,
      signal: stop.signal,
      graceMs: 300,
      onStep: (e) => {
        events.push(e);
        stop.abort(new RunStopped("stopped by SIGTERM", 143));
      },
    });
    try {
      assert.ok(Date.now() - started < 5_000, "returned after the grace period, not when LoginTC answered");
      assert.ok(result.stopped);
      // The two creates race to LoginTC over two connections: whichever arrives second is held.
      assert.equal(result.done.length, 1);
      assert.equal(result.stopped.inFlight.length, 1);
      assert.deepEqual(
        [...result.done, ...result.stopped.inFlight].map((s) => `${s.kind}:${s.username}`).sort(),
        ["createUser:u00", "createUser:u01"],
      );
      assert.equal(result.stopped.notStarted, plan.steps.length - 2);
    } finally {
      release();
    }
    // The answer that comes later changes nothing already returned, and reports nothing.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(events.length, 1);
    assert.equal(result.done.length, 1);
  });
});
