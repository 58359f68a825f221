import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { isRemoval } from "../../../src/sync/stepKinds.ts";
import { type LoginTCState, type PlanOptions, usernameKey } from "../../../src/sync/types.ts";
import type { DirectoryUser, LoginTCUser } from "../../../src/types.ts";
import { applyModel, DOMAIN, rowUser } from "../../support/syncModel.ts";

const NAMES = ["alice", "Alice", "ALICE", "bob", "Bob", "carol", "dave", "eve", "Eve", "frank"];
const GROUP = { id: "g1", name: "Sales" };

const aliasValue = fc.constantFrom(undefined, "", "a", "b");
const phone = fc.constantFrom(undefined, "+1 555 0100", "+15550100", "+1 555 0199");

const dirUsers: fc.Arbitrary<DirectoryUser[]> = fc.array(
  fc.record({
    username: fc.constantFrom(...NAMES),
    name: fc.constantFrom(undefined, "A", "B"),
    email: fc.constantFrom(undefined, "a@x.com", "b@x.com"),
    alias1: aliasValue,
    alias2: aliasValue,
    phone,
  }),
  { maxLength: 8 },
).map((rows) => rows.map((r, i) => rowUser(i, r, { alias1: r.alias1, alias2: r.alias2 })));

/** LoginTC users, unique case-insensitively (LoginTC's rule), some members, some not. */
const loginTCState: fc.Arbitrary<LoginTCState> = fc.record({
  users: fc.uniqueArray(
    fc.record({
      username: fc.constantFrom(...NAMES),
      name: fc.constantFrom("A", "B"),
      email: fc.constantFrom("a@x.com", "b@x.com"),
      member: fc.boolean(),
      alias1: fc.constantFrom(undefined, "", "a"),
      phones: fc.subarray(["+1 555 0100", "+1 555 0199"]),
      inGroup: fc.boolean(),
    }),
    { selector: (u) => usernameKey(u.username), maxLength: 7 },
  ),
  withGroup: fc.boolean(),
}).map(({ users, withGroup }) => {
  const all: (LoginTCUser & { member: boolean })[] = users.map((u) => ({
    id: `id-${u.username}`,
    username: u.username,
    name: u.name,
    email: u.email,
    domains: u.member ? [DOMAIN] : [],
    hardware: "",
    ...(u.alias1 !== undefined ? { alias1: u.alias1 } : {}),
    phones: u.phones,
    groups: u.inGroup ? [GROUP.id] : [],
    member: u.member,
  }));
  const strip = ({ member: _, ...u }: LoginTCUser & { member: boolean }) => u;
  const s: LoginTCState = {
    domainId: DOMAIN,
    members: all.filter((u) => u.member).map(strip),
    orgUsers: all.filter((u) => !u.member).map(strip),
  };
  if (withGroup) s.group = GROUP;
  return s;
});

const planOptions: fc.Arbitrary<PlanOptions> = fc.record({
  syncMode: fc.constantFrom("add_only" as const, "remove" as const, "delete" as const),
  syncTokenMode: fc.constantFrom(
    "do_not_issue_token" as const,
    "issue_token_with_email" as const,
    "issue_token_without_email" as const,
  ),
});

Deno.test("props: add_only never removes", () => {
  fc.assert(fc.property(dirUsers, loginTCState, planOptions, (dir, s, opts) => {
    const plan = planSync(dir, s, { ...opts, syncMode: "add_only" });
    assert.equal(plan.steps.filter(isRemoval).length, 0);
  }));
});

Deno.test("props: after applyGuards, removals never exceed -r, and withheld means none is made", () => {
  fc.assert(fc.property(dirUsers, loginTCState, planOptions, fc.nat(6), (dir, s, opts, limit) => {
    const plan = planSync(dir, s, opts);
    const checked = applyGuards(plan, {
      maxRemoveLimit: limit,
      directoryCount: dir.length,
      memberCount: s.members.length,
      baseDn: "dc=x",
      filter: "(uid=*)",
    });
    const made = checked.plan.steps.filter(isRemoval).length;
    assert.ok(made <= limit);
    if (checked.withheld.length > 0) assert.equal(made, 0);
    assert.equal(made + checked.withheld.length, plan.steps.filter(isRemoval).length);
    if (dir.length === 0) assert.equal(made, 0);
  }));
});

Deno.test("props: apply(plan) then re-plan is empty", () => {
  fc.assert(fc.property(dirUsers, loginTCState, planOptions, (dir, s, opts) => {
    const options = { ...opts, ...(s.group ? { group: s.group.name } : {}) };
    const plan = planSync(dir, s, options);
    const after = applyModel(s, plan);
    const again = planSync(dir, after, options);
    assert.deepEqual(again.steps, []);
    assert.deepEqual(again.leftOut, plan.leftOut);
  }));
});

Deno.test("props: a case variant of an existing username never produces a create", () => {
  fc.assert(fc.property(dirUsers, loginTCState, planOptions, (dir, s, opts) => {
    const plan = planSync(dir, s, opts);
    const existing = new Set([...s.members, ...s.orgUsers].map((u) => usernameKey(u.username)));
    const created = plan.steps.filter((x) => x.kind === "createUser").map((x) => usernameKey(x.username));
    for (const key of created) assert.ok(!existing.has(key), `created ${key}, which LoginTC already has`);
    assert.equal(new Set(created).size, created.length, "two creates for one username");
  }));
});

Deno.test("props: the plan is deterministic (input order does not matter)", () => {
  fc.assert(fc.property(
    dirUsers,
    loginTCState,
    planOptions,
    fc.integer(),
    (dir, s, opts, seed) => {
      const shuffle = <T>(xs: T[]) => {
        const out = [...xs];
        let x = seed | 1;
        for (let i = out.length - 1; i > 0; i--) {
          x = (x * 1103515245 + 12345) & 0x7fffffff;
          const j = x % (i + 1);
          [out[i], out[j]] = [out[j], out[i]];
        }
        return out;
      };
      const a = planSync(dir, s, opts);
      const b = planSync(
        shuffle(dir),
        { ...s, members: shuffle(s.members), orgUsers: shuffle(s.orgUsers) },
        opts,
      );
      assert.deepEqual(b, a);
    },
  ));
});
