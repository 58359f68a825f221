/** What became of the planned steps, per kind (src/report/stepOutcomes.ts). */
import assert from "node:assert/strict";
import { tallySteps, totalOutcomes } from "../../../src/report/stepOutcomes.ts";
import type { Step } from "../../../src/sync/stepKinds.ts";

Deno.test("outcomes: each planned step counted once, under its kind; the rest never started", () => {
  const c = (u: string): Step => ({ kind: "createUser", username: u, name: u, email: `${u}@x` });
  const j = (u: string): Step => ({ kind: "addToDomain", username: u });
  const steps = [c("a"), c("b"), c("c"), c("d"), j("a"), j("b"), j("c"), j("d")];
  const tally = tallySteps(steps, {
    done: [steps[0], steps[4]],
    failed: [{ step: steps[1], message: "400" }],
    notAttempted: [{ step: steps[5], reason: "create failed" }],
    stopped: { reason: new Error("stopped"), inFlight: [steps[2]], notStarted: 3 },
  });
  assert.deepEqual(tally.createUser, { done: 1, failed: 1, notAttempted: 0, inFlight: 1, notStarted: 1 });
  assert.deepEqual(tally.addToDomain, { done: 1, failed: 0, notAttempted: 1, inFlight: 0, notStarted: 2 });
  assert.deepEqual(tally.deleteUser, { done: 0, failed: 0, notAttempted: 0, inFlight: 0, notStarted: 0 });
  assert.deepEqual(totalOutcomes(tally), { done: 2, failed: 1, notAttempted: 1, inFlight: 1, notStarted: 3 });
});
