/**
 * The planner's leavers ([sync], docs/configuration.md): disabled users included (counted) or
 * excluded (treated as absent, removed with the reason), protected users kept, and -m delete never
 * deleting a user another domain has or whose domains LoginTC does not show. The guards count every
 * removal as before; an all-disabled read counts as empty.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import type { PlanOptions } from "../../../src/sync/types.ts";
import { renderPlan } from "../../../src/report/renderPlan.ts";
import { dirUser, DOMAIN, state, tcUser } from "../../support/syncModel.ts";
import type { LoginTCUser } from "../../../src/types.ts";

const OTHER = "e".repeat(40);
const opts = (over: Partial<PlanOptions> = {}): PlanOptions => ({
  syncMode: "remove",
  syncTokenMode: "issue_token_with_email",
  ...over,
});
const CTX = { maxRemoveLimit: 10, directoryCount: 3, memberCount: 3, baseDn: "dc=x", filter: "(uid=*)" };
const brief = (steps: { kind: string; username: string }[]) => steps.map((s) => `${s.kind} ${s.username}`);

Deno.test("leavers: disabled users with include (the default) are synced as before, and counted", () => {
  const dir = [dirUser("amy", { disabled: "nsAccountLock: true" }), dirUser("bob")];
  const s = state([tcUser("bob")]);
  const withDefault = planSync(dir, s, opts());
  const withInclude = planSync(dir, s, opts({ disabledUsers: "include" }));
  assert.deepEqual(withInclude, withDefault);
  assert.deepEqual(brief(withDefault.steps), ["createUser amy", "addToDomain amy", "issueToken amy"]);
  assert.deepEqual(withDefault.disabled, {
    handling: "include",
    users: [{ username: "amy", dn: dirUser("amy").dn, reason: "nsAccountLock: true" }],
  });
  // Same steps as a plan without any disabled flag: include changes nothing but the count.
  const plain = planSync([dirUser("amy"), dirUser("bob")], s, opts());
  assert.deepEqual(withDefault.steps, plain.steps);
  assert.match(
    renderPlan(applyGuards(withDefault, CTX), { dryRun: true }),
    /^1 user\(s\) are disabled in the directory and keep their tokens \(disabled_users = include\): amy \(nsAccountLock: true\)\.$/m,
  );
});

Deno.test("leavers: exclude — a disabled member is removed with the reason, a disabled newcomer never created", () => {
  const dir = [
    dirUser("amy", { disabled: "userAccountControl: account disabled" }),
    dirUser("bob", { disabled: "accountExpires: expired 2026-01-01" }),
    dirUser("carol"),
  ];
  const s = state([tcUser("bob"), tcUser("carol")]);
  const plan = planSync(dir, s, opts({ disabledUsers: "exclude" }));
  assert.deepEqual(plan.steps, [
    {
      kind: "removeFromDomain",
      username: "bob",
      userId: "id-bob",
      disabled: "accountExpires: expired 2026-01-01",
    },
  ]);
  assert.equal(plan.disabled.handling, "exclude");
  assert.deepEqual(plan.disabled.users.map((u) => u.username), ["amy", "bob"]);
  const text = renderPlan(applyGuards(plan, CTX), { dryRun: true });
  assert.match(
    text,
    /^\| bob +\| remove from domain \| disabled in the directory \(accountExpires: expired 2026-01-01\); token revoked \|$/m,
  );
  assert.match(
    text,
    /^2 user\(s\) are disabled in the directory and are treated as not in it \(disabled_users = exclude\): amy \(userAccountControl: account disabled\), bob \(accountExpires: expired 2026-01-01\)\.$/m,
  );
  // add_only never removes, also with exclude; the disabled newcomer is still not created.
  const addOnly = planSync(dir, s, opts({ syncMode: "add_only", disabledUsers: "exclude" }));
  assert.deepEqual(addOnly.steps, []);
  // delete: deleted, with the reason.
  const del = planSync(dir, s, opts({ syncMode: "delete", disabledUsers: "exclude" }));
  assert.deepEqual(brief(del.steps), ["deleteUser bob"]);
  assert.match(
    renderPlan(applyGuards(del, CTX), { dryRun: false }),
    /\| bob +\| delete user \| disabled in the directory \(accountExpires: expired 2026-01-01\); deleted from the organization \|/,
  );
});

Deno.test("leavers: exclude — a disabled and an enabled entry with one username: the enabled one is synced", () => {
  const dir = [dirUser("Amy", { dn: "uid=Amy,o=old", disabled: "nsAccountLock: true" }), dirUser("amy")];
  const plan = planSync(dir, state([tcUser("amy")]), opts({ disabledUsers: "exclude" }));
  assert.deepEqual(plan.steps, []);
  assert.deepEqual(plan.leftOut, []);
});

Deno.test("leavers: protect_users — kept (not removed, not deleted), matched ignoring case, disabled or absent", () => {
  const s = state([tcUser("BreakGlass"), tcUser("svc"), tcUser("gone")]);
  const dir = [dirUser("svc", { disabled: "nsAccountLock: true" })];
  for (const syncMode of ["remove", "delete"] as const) {
    const plan = planSync(
      dir,
      s,
      opts({ syncMode, disabledUsers: "exclude", protectUsers: ["breakglass", "SVC"] }),
    );
    assert.deepEqual(brief(plan.steps), [
      `${syncMode === "remove" ? "removeFromDomain" : "deleteUser"} gone`,
    ]);
    assert.deepEqual(plan.kept, [
      { username: "BreakGlass", userId: "id-BreakGlass", reason: "protected" },
      { username: "svc", userId: "id-svc", reason: "protected", disabled: "nsAccountLock: true" },
    ]);
    const text = renderPlan(applyGuards(plan, CTX), { dryRun: true });
    assert.match(text, /, 1 to remove, 2 kept$/m);
    assert.match(text, /^Kept \(not removed\):$/m);
    assert.match(
      text,
      /^\| BreakGlass \| keep +\| protected \(protect_users\): never removed or deleted +\|$/m,
    );
    assert.match(
      text,
      /^\| svc +\| keep +\| disabled in the directory \(nsAccountLock: true\); protected \(protect_users\): never removed or deleted \|$/m,
    );
  }
  // add_only would not have removed them: nothing to show.
  assert.deepEqual(planSync([], s, opts({ syncMode: "add_only", protectUsers: ["breakglass"] })).kept, []);
  // A protected user the directory shows is synced like any other.
  const shown = planSync([dirUser("breakglass", { name: "New" })], state([tcUser("breakglass")]), {
    ...opts({ protectUsers: ["breakglass"] }),
  });
  assert.deepEqual(brief(shown.steps), ["updateUser breakglass"]);
  assert.deepEqual(shown.kept, []);
});

Deno.test("leavers: kept members follow 'Nothing to do' (a decision, not a change)", () => {
  const plan = planSync([dirUser("a")], state([tcUser("a"), tcUser("breakglass")]), {
    ...opts({ protectUsers: ["breakglass"] }),
  });
  assert.deepEqual(plan.steps, []);
  assert.equal(
    renderPlan(applyGuards(plan, CTX), { dryRun: true }),
    [
      "Nothing to do: LoginTC is in sync with the directory.",
      "Kept (not removed):",
      "+------------+--------+-----------------------------------------------------+",
      "| Username   | Action | Detail                                              |",
      "+------------+--------+-----------------------------------------------------+",
      "| breakglass | keep   | protected (protect_users): never removed or deleted |",
      "+------------+--------+-----------------------------------------------------+",
      "Dry run: nothing was changed.",
    ].join("\n"),
  );
});

Deno.test("leavers: -m delete never deletes a user another domain has, nor one whose domains are not shown", () => {
  const members: LoginTCUser[] = [
    tcUser("only", { domains: [DOMAIN] }),
    tcUser("shared", { domains: [DOMAIN, OTHER, OTHER] }),
    tcUser("unknown", { domains: undefined }),
    tcUser("empty", { domains: [] }),
  ];
  const plan = planSync([], state(members), opts({ syncMode: "delete" }));
  assert.deepEqual(plan.steps, [
    { kind: "deleteUser", username: "empty", userId: "id-empty" },
    { kind: "deleteUser", username: "only", userId: "id-only" },
    {
      kind: "removeFromDomain",
      username: "shared",
      userId: "id-shared",
      notDeleted: { why: "otherDomains", domains: 1 },
    },
    {
      kind: "removeFromDomain",
      username: "unknown",
      userId: "id-unknown",
      notDeleted: { why: "domainsUnknown" },
    },
  ]);
  const text = renderPlan(applyGuards(plan, { ...CTX, directoryCount: 1, memberCount: 4 }), { dryRun: true });
  assert.match(
    text,
    /^\| shared +\| remove from domain \| not in the directory; token revoked; kept for another domain \(a member of 1 other domain\(s\)\): not deleted +\|$/m,
  );
  assert.match(
    text,
    /^\| unknown +\| remove from domain \| not in the directory; token revoked; not deleted: LoginTC did not show the user's domains, so deleting it could not be proved safe \|$/m,
  );
  // remove mode does not look at domains: a removal from this domain is the same whatever they are.
  assert.deepEqual(
    planSync([], state(members), opts()).steps.map((s) => s.kind),
    ["removeFromDomain", "removeFromDomain", "removeFromDomain", "removeFromDomain"],
  );
});

Deno.test("leavers: every removal counts toward -r; kept members do not; all-disabled counts as an empty read", () => {
  const s = state([tcUser("a"), tcUser("b"), tcUser("c"), tcUser("keep")]);
  const dir = [
    dirUser("a", { disabled: "nsAccountLock: true" }),
    dirUser("b", { disabled: "nsAccountLock: true" }),
  ];
  const plan = planSync(
    dir,
    s,
    opts({ syncMode: "delete", disabledUsers: "exclude", protectUsers: ["keep"] }),
  );
  assert.equal(plan.steps.length, 3);
  const overLimit = applyGuards(plan, { ...CTX, maxRemoveLimit: 2, directoryCount: 1, memberCount: 4 });
  assert.equal(overLimit.withheld.length, 3);
  assert.deepEqual(overLimit.plan.steps, []);
  assert.equal(
    applyGuards(plan, { ...CTX, maxRemoveLimit: 3, directoryCount: 1, memberCount: 4 }).withheld.length,
    0,
  );
  // Percent: 3 of 4 members is 75 %.
  assert.equal(
    applyGuards(plan, {
      ...CTX,
      maxRemoveLimit: undefined,
      maxRemovePercent: 70,
      directoryCount: 1,
      memberCount: 4,
    })
      .withheld.length,
    3,
  );
  // Every user read is disabled and excluded: withheld whatever -r says, and the notice says why.
  const all = applyGuards(plan, {
    ...CTX,
    maxRemoveLimit: 100,
    directoryCount: 0,
    disabledExcluded: 2,
    memberCount: 4,
  });
  assert.equal(all.withheld.length, 3);
  assert.match(
    all.notices[0],
    /^3 removal\(s\) withheld: all 2 user\(s\) the directory read returned are disabled \(disabled_users = exclude\)/,
  );
});

Deno.test("leavers: protected members are never removed or deleted, whatever the directory and mode (property)", () => {
  const name = fc.constantFrom("a", "B", "c", "d", "E");
  fc.assert(
    fc.property(
      fc.uniqueArray(name, { selector: (n) => n.toLowerCase() }),
      fc.uniqueArray(fc.record({ username: name, disabled: fc.boolean() }), {
        selector: (u) => u.username.toLowerCase(),
      }),
      fc.subarray(["a", "b", "C", "d", "e"]),
      fc.constantFrom("add_only", "remove", "delete") as fc.Arbitrary<PlanOptions["syncMode"]>,
      fc.constantFrom("include", "exclude") as fc.Arbitrary<"include" | "exclude">,
      (memberNames, dirRows, protectUsers, syncMode, disabledUsers) => {
        const dir = dirRows.map((r) =>
          dirUser(r.username, r.disabled ? { disabled: "nsAccountLock: true" } : {})
        );
        const plan = planSync(dir, state(memberNames.map((n) => tcUser(n))), {
          ...opts({ syncMode, disabledUsers, protectUsers }),
        });
        const isProtected = (u: string) => protectUsers.some((p) => p.toLowerCase() === u.toLowerCase());
        for (const step of plan.steps) {
          if (step.kind === "removeFromDomain" || step.kind === "deleteUser") {
            assert.ok(!isProtected(step.username), `${step.kind} ${step.username}`);
          }
        }
        // Every member is either still wanted, removed, or kept: none disappears from the plan's view.
        const wanted = new Set(
          dir.filter((u) => disabledUsers === "include" || u.disabled === undefined).map((u) =>
            u.username.toLowerCase()
          ),
        );
        const removed = new Set(
          plan.steps.filter((s) => s.kind === "removeFromDomain" || s.kind === "deleteUser").map((s) =>
            s.username.toLowerCase()
          ),
        );
        const kept = new Set(plan.kept.map((k) => k.username.toLowerCase()));
        for (const m of memberNames.map((n) => n.toLowerCase())) {
          const expected = syncMode === "add_only" || wanted.has(m)
            ? "stays"
            : isProtected(m)
            ? "kept"
            : "removed";
          const actual = removed.has(m) ? "removed" : kept.has(m) ? "kept" : "stays";
          assert.equal(actual, expected, m);
        }
      },
    ),
  );
});
