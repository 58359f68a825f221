/**
 * The guards (src/sync/guards.ts): removals withheld, all of them, past the -r limit; and
 * --max-remove-percent, which withholds them when they would be more than P % of the domain's current
 * members (alone it replaces -r's default 0, with -r both apply).
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { applyGuards, exceedsPercent, removalLimits } from "../../../src/sync/guards.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { isRemoval } from "../../../src/sync/stepKinds.ts";
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
  const checked = applyGuards(plan, { ...BASE, maxRemoveLimit: 3, directoryCount: 2, memberCount });
  assert.equal(checked.plan, plan);
  assert.deepEqual(checked.withheld, []);
  assert.deepEqual(checked.notices, []);
  assert.equal(checked.plan.counts.removeFromDomain, 3);
});

Deno.test("check: one over the -r limit: none is made, the rest proceeds, the notice says how to allow them", () => {
  const { plan, memberCount } = planWith(4, "delete");
  const checked = applyGuards(plan, { ...BASE, maxRemoveLimit: 3, directoryCount: 2, memberCount });
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
  const checked = applyGuards(plan, { ...BASE, maxRemoveLimit: 0, directoryCount: 2, memberCount });
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
  const checked = applyGuards(plan, { ...BASE, maxRemoveLimit: 1000, directoryCount: 0, memberCount: 2 });
  assert.equal(checked.plan.steps.length, 0);
  assert.equal(checked.withheld.length, 2);
  assert.equal(checked.notices.length, 1);
  assert.match(checked.notices[0], /^2 removal\(s\) withheld: the directory read returned 0 users/);
  assert.match(checked.notices[0], /base_dn "ou=people,dc=example,dc=com", filter "\(objectClass=person\)"/);
  assert.match(checked.notices[0], /whatever -r says/);
});

Deno.test("check: a plan without removals passes through untouched", () => {
  const { plan, memberCount } = planWith(0);
  const checked = applyGuards(plan, { ...BASE, maxRemoveLimit: 0, directoryCount: 0, memberCount });
  assert.equal(checked.plan, plan);
  assert.deepEqual(checked.notices, []);
});

/** `keep` stays; `removals` members are gone from the directory; memberCount = removals + keep. */
function planKeeping(removals: number, keep = 1) {
  const kept = Array.from({ length: keep }, (_, i) => tcUser(`keep${i}`));
  const gone = Array.from({ length: removals }, (_, i) => tcUser(`gone${i}`));
  const plan = planSync(kept.map((u) => dirUser(u.username)), state([...kept, ...gone]), {
    syncMode: "remove",
    syncTokenMode: "do_not_issue_token",
  });
  return { plan, memberCount: removals + keep, directoryCount: keep };
}

Deno.test("percent: at the limit all removals are made; one more withholds all of them", () => {
  // 10 members, 10 %: 1 removal is made, 2 are withheld.
  const at = planKeeping(1, 9);
  const ok = applyGuards(at.plan, { ...BASE, ...at, maxRemoveLimit: undefined, maxRemovePercent: 10 });
  assert.deepEqual([ok.withheld.length, ok.plan.counts.removeFromDomain], [0, 1]);

  const over = planKeeping(2, 8);
  const held = applyGuards(over.plan, { ...BASE, ...over, maxRemoveLimit: undefined, maxRemovePercent: 10 });
  assert.deepEqual([held.withheld.length, held.plan.counts.removeFromDomain], [2, 0]);
  assert.deepEqual(held.notices, [
    "2 removal(s) withheld: 20% of the domain's 10 member(s), more than --max-remove-percent 10 " +
    "(over the limit no removal is made); rerun with --max-remove-percent 20 to allow them.",
  ]);
});

Deno.test("percent: with -r too both limits apply, and each one over says so", () => {
  const p = planKeeping(3, 7); // 30 % of 10
  const both = applyGuards(p.plan, { ...BASE, ...p, maxRemoveLimit: 2, maxRemovePercent: 25 });
  assert.equal(both.withheld.length, 3);
  assert.equal(both.notices.length, 2);
  assert.match(both.notices[0], /--max-remove-limit 2/);
  assert.match(both.notices[1], /30% of the domain's 10 member\(s\), more than --max-remove-percent 25/);
  // -r allows 3, the percentage does not.
  const pct = applyGuards(p.plan, { ...BASE, ...p, maxRemoveLimit: 3, maxRemovePercent: 25 });
  assert.deepEqual([pct.withheld.length, pct.notices.length], [3, 1]);
  // The percentage allows 30 %, -r does not.
  const count = applyGuards(p.plan, { ...BASE, ...p, maxRemoveLimit: 2, maxRemovePercent: 30 });
  assert.deepEqual([count.withheld.length, count.notices.length], [3, 1]);
  assert.match(count.notices[0], /--max-remove-limit 2/);
});

Deno.test("percent: the rerun advice allows exactly the planned removals", () => {
  const p = planKeeping(1, 2); // 33.33 %
  const held = applyGuards(p.plan, { ...BASE, ...p, maxRemoveLimit: undefined, maxRemovePercent: 33.33 });
  assert.match(held.notices[0], /33\.33% of the domain's 3 member\(s\).*--max-remove-percent 34 to allow/);
  const again = applyGuards(p.plan, { ...BASE, ...p, maxRemoveLimit: undefined, maxRemovePercent: 34 });
  assert.equal(again.withheld.length, 0);
});

Deno.test("percent: the empty-read guard still wins, whatever the percentage", () => {
  const plan = planSync([], state([tcUser("a"), tcUser("b")]), {
    syncMode: "delete",
    syncTokenMode: "do_not_issue_token",
  });
  const c = applyGuards(plan, {
    ...BASE,
    maxRemoveLimit: undefined,
    maxRemovePercent: 100,
    directoryCount: 0,
    memberCount: 2,
  });
  assert.equal(c.withheld.length, 2);
  assert.match(c.notices[0], /the directory read returned 0 users/);
});

Deno.test("removalLimits: -r alone, percent alone (no -r default), both, neither", () => {
  assert.deepEqual(removalLimits({ maxRemoveLimit: 0 }), { maxRemoveLimit: 0 });
  assert.deepEqual(removalLimits({ maxRemoveLimit: 0, maxRemovePercent: 5 }), {
    maxRemoveLimit: undefined,
    maxRemovePercent: 5,
  });
  assert.deepEqual(removalLimits({ maxRemoveLimit: 4, maxRemoveLimitSet: true, maxRemovePercent: 5 }), {
    maxRemoveLimit: 4,
    maxRemovePercent: 5,
  });
  assert.deepEqual(removalLimits({ maxRemoveLimit: 4, maxRemoveLimitSet: true }), { maxRemoveLimit: 4 });
});

Deno.test("props: exceedsPercent agrees with exact rational arithmetic", () => {
  fc.assert(
    fc.property(fc.nat(5000), fc.integer({ min: 1, max: 5000 }), fc.nat(10_000), (r, m, hundredths) => {
      const percent = hundredths / 100;
      // r/m > p/100  ⇔  100·r·100 > hundredths·m (all integers, exact).
      assert.equal(exceedsPercent(r, m, percent), r * 10_000 > hundredths * m);
    }),
  );
});

Deno.test("props: after applyGuards, made removals are within every given limit; withheld means none made", () => {
  fc.assert(fc.property(
    fc.nat(12),
    fc.integer({ min: 0, max: 12 }),
    fc.option(fc.nat(8), { nil: undefined }),
    fc.option(fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100), { nil: undefined }),
    (removals, keep, limit, percent) => {
      const p = planKeeping(removals, keep);
      const c = applyGuards(p.plan, { ...BASE, ...p, maxRemoveLimit: limit, maxRemovePercent: percent });
      const made = c.plan.steps.filter(isRemoval).length;
      assert.equal(made + c.withheld.length, removals);
      if (c.withheld.length > 0) assert.equal(made, 0);
      if (limit !== undefined) assert.ok(made <= limit);
      if (percent !== undefined && made > 0) assert.ok(made * 100 <= percent * p.memberCount + 1e-9);
      if (keep === 0) assert.equal(made, 0);
      // Every limit that holds lets every removal through (no guard without a reason).
      const withinAll = keep > 0 && (limit === undefined || removals <= limit) &&
        (percent === undefined || !exceedsPercent(removals, p.memberCount, percent));
      if (withinAll) assert.equal(c.withheld.length, 0);
    },
  ));
});
