/**
 * The planner never merges look-alike usernames (issue 21, item 4): a directory entry spelled with
 * the KELVIN SIGN (U+212A) used to be matched to the LoginTC user `kelvin` (`toLowerCase()`), whose
 * email it then rewrote. Now only ASCII case folds, and usernames that look alike (src/usernames.ts)
 * are all left out, with a warning naming them: no create, update, membership or removal for any.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import type { LoginTCState, PlanOptions } from "../../../src/sync/types.ts";
import type { DirectoryUser, LoginTCUser } from "../../../src/types.ts";
import { lookAlikeGroups, usernameKey } from "../../../src/usernames.ts";
import { dirUser, DOMAIN, state, tcUser } from "../../support/syncModel.ts";

const KELVIN_SIGN = "\u212aelvin";
const REMOVE: PlanOptions = { syncMode: "remove", syncTokenMode: "do_not_issue_token" };

Deno.test("look-alikes: the KELVIN SIGN entry is not matched to LoginTC's kelvin; both are left out", () => {
  const kelvin = tcUser("kelvin", { email: "kelvin@example.com" });
  const dir = [dirUser(KELVIN_SIGN, { email: "mallory@evil.example" }), dirUser("alice")];
  const plan = planSync(dir, state([kelvin]), REMOVE);
  // Before: [updateUser kelvin (email → mallory@evil.example)]. Now: alice only; kelvin kept.
  assert.deepEqual(plan.steps.map((s) => `${s.kind} ${s.username}`), [
    "createUser alice",
    "addToDomain alice",
  ]);
  assert.deepEqual(plan.leftOut, [{
    username: KELVIN_SIGN,
    dn: dirUser(KELVIN_SIGN).dn,
    reason: "looks like kelvin (LoginTC): look-alike usernames are never merged",
  }]);
  assert.deepEqual(plan.warnings, [
    "usernames that look alike are left out of this run, never matched, created or removed: " +
    "kelvin (LoginTC), \\u212aelvin (directory: uid=\\u212aelvin,ou=people,dc=example,dc=com). " +
    "Make them distinct in the directory or in LoginTC.",
  ]);
  // An organization user (not a member) found for it: not adopted, not added to the domain.
  const org = planSync(dir, state([], [{ ...kelvin, domains: [] }]), REMOVE);
  assert.deepEqual(org.steps.map((s) => `${s.kind} ${s.username}`), [
    "createUser alice",
    "addToDomain alice",
  ]);
});

Deno.test("look-alikes: two directory entries that look alike are both left out; ASCII case variants are one user", () => {
  const dir = [dirUser("\u00e9mile"), dirUser("e\u0301mile"), dirUser("bob")];
  const plan = planSync(dir, state([tcUser("BOB", { name: "bob name" })]), REMOVE);
  assert.deepEqual(plan.steps, []); // bob is BOB (ASCII case); the two émiles are left out
  assert.deepEqual(plan.leftOut.map((l) => l.username), ["e\u0301mile", "\u00e9mile"]);
  assert.match(plan.leftOut[0].reason, /^looks like \\xe9mile \(directory: uid=\\xe9mile,/);
  assert.equal(plan.warnings?.length, 1);
  // Without look-alikes there is no warnings field at all.
  assert.equal(planSync([dirUser("bob")], state([tcUser("bob")]), REMOVE).warnings, undefined);
});

const POOL = [
  "kelvin",
  "Kelvin",
  KELVIN_SIGN,
  "\uff4belvin",
  "kel\u200bvin",
  "\u00e9mile",
  "e\u0301mile",
  "alice",
  "Alice",
];

const dirUsers: fc.Arbitrary<DirectoryUser[]> = fc.uniqueArray(fc.constantFrom(...POOL), {
  maxLength: 5,
  selector: usernameKey,
}).map((names) => names.map((n, i) => dirUser(n, { dn: `uid=${n},o=${i}` })));

const loginTC: fc.Arbitrary<LoginTCState> = fc.uniqueArray(
  fc.record({ username: fc.constantFrom(...POOL), member: fc.boolean() }),
  { maxLength: 5, selector: (u) => usernameKey(u.username) },
).map((users) => {
  const all: LoginTCUser[] = users.map((u) =>
    tcUser(u.username, { id: `id-${u.username}`, domains: u.member ? [DOMAIN] : [] })
  );
  return state(all.filter((u) => u.domains?.length), all.filter((u) => !u.domains?.length));
});

const options = fc.constantFrom<PlanOptions>(
  { syncMode: "add_only", syncTokenMode: "issue_token_with_email" },
  REMOVE,
  { syncMode: "delete", syncTokenMode: "do_not_issue_token" },
);

Deno.test("props: a step never joins two usernames that differ beyond ASCII case, nor touches a look-alike", () => {
  fc.assert(fc.property(dirUsers, loginTC, options, (dir, s, opts) => {
    const plan = planSync(dir, s, opts);
    const byId = new Map([...s.members, ...s.orgUsers].map((u) => [u.id, u]));
    const groups = lookAlikeGroups([...dir, ...s.members, ...s.orgUsers].map((u) => u.username));
    const alike = new Set(groups.flat().map(usernameKey));
    for (const step of plan.steps) {
      assert.ok(!alike.has(usernameKey(step.username)), `a step for look-alike ${step.username}`);
      const target = "userId" in step && step.userId !== undefined ? byId.get(step.userId) : undefined;
      // The LoginTC user a step writes to is the step's user, by ASCII case at most.
      if (target) assert.equal(usernameKey(target.username), usernameKey(step.username));
    }
    // Every directory user that looks like another is left out, naming it; one warning per set.
    for (const user of dir.filter((u) => alike.has(usernameKey(u.username)))) {
      const left = plan.leftOut.find((l) => l.username === user.username);
      assert.ok(left && left.reason.startsWith("looks like "), `${user.username} not left out`);
    }
    assert.equal(plan.warnings?.length ?? 0, groups.length);
  }));
});
