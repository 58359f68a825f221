import assert from "node:assert/strict";
import { checkPlan } from "../../../src/sync/checkPlan.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { dirUser, state, tcUser } from "../../support/syncModel.ts";

const BASE = { baseDn: "ou=people,dc=example,dc=com", filter: "(objectClass=person)" };

function planWith(removals: number, mode: "remove" | "delete" = "remove") {
  const gone = Array.from({ length: removals }, (_, i) => tcUser(`gone${i}`));
  return {
    plan: planSync([dirUser("keep"), dirUser("new")], state([tcUser("keep"), ...gone]), {
      syncMode: mode,
      syncTokenMode: "do_not_issue_token",
    }),
    memberCount: removals + 1,
  };
}

Deno.test("check: removals at the -r limit are all made", () => {
  const { plan, memberCount } = planWith(3);
  const checked = checkPlan(plan, { ...BASE, maxRemoveLimit: 3, directoryCount: 2, memberCount });
  assert.equal(checked.plan, plan);
  assert.deepEqual(checked.withheld, []);
  assert.deepEqual(checked.notices, []);
  assert.equal(checked.plan.counts.removeFromDomain, 3);
});

Deno.test("check: one over the -r limit: none is made, the rest proceeds, the notice says how to allow them", () => {
  const { plan, memberCount } = planWith(4, "delete");
  const checked = checkPlan(plan, { ...BASE, maxRemoveLimit: 3, directoryCount: 2, memberCount });
  assert.equal(checked.withheld.length, 4);
  assert.ok(checked.withheld.every((s) => s.kind === "deleteUser"));
  assert.deepEqual(checked.plan.steps.map((s) => s.kind), ["createUser", "addToDomain"]);
  assert.equal(checked.plan.counts.deleteUser, 0);
  assert.equal(checked.plan.counts.createUser, 1);
  assert.deepEqual(checked.notices, [
    "4 removal(s) withheld: more than --max-remove-limit 3 (-r; over the limit no removal is made); " +
    "rerun with -r 4 to allow them.",
  ]);
});

Deno.test("check: the default -r 0 withholds any removal", () => {
  const { plan, memberCount } = planWith(1);
  const checked = checkPlan(plan, { ...BASE, maxRemoveLimit: 0, directoryCount: 2, memberCount });
  assert.equal(checked.withheld.length, 1);
  assert.match(
    checked.notices[0],
    /^1 removal\(s\) withheld: more than --max-remove-limit 0 .*rerun with -r 1/,
  );
});

Deno.test("check: an empty directory read blocks every removal whatever -r says, naming base_dn and filter", () => {
  const members = [tcUser("a"), tcUser("b")];
  const plan = planSync([], state(members), { syncMode: "remove", syncTokenMode: "do_not_issue_token" });
  assert.equal(plan.counts.removeFromDomain, 2);
  const checked = checkPlan(plan, { ...BASE, maxRemoveLimit: 1000, directoryCount: 0, memberCount: 2 });
  assert.equal(checked.plan.steps.length, 0);
  assert.equal(checked.withheld.length, 2);
  assert.equal(checked.notices.length, 1);
  assert.match(checked.notices[0], /^2 removal\(s\) withheld: the directory read returned 0 users/);
  assert.match(checked.notices[0], /base_dn "ou=people,dc=example,dc=com", filter "\(objectClass=person\)"/);
  assert.match(checked.notices[0], /whatever -r says/);
});

Deno.test("check: a plan without removals passes through untouched", () => {
  const { plan, memberCount } = planWith(0);
  const checked = checkPlan(plan, { ...BASE, maxRemoveLimit: 0, directoryCount: 0, memberCount });
  assert.equal(checked.plan, plan);
  assert.deepEqual(checked.notices, []);
});
