import assert from "node:assert/strict";
import { planSync } from "../../../src/sync/planSync.ts";
import type { PlanOptions } from "../../../src/sync/types.ts";
import type { Step } from "../../../src/sync/stepKinds.ts";
import { dirUser, DOMAIN, state, tcUser } from "../../support/syncModel.ts";

const ADD_ONLY: PlanOptions = { syncMode: "add_only", syncTokenMode: "do_not_issue_token" };
const SALES = { id: "g-sales", name: "Sales" };

function kinds(steps: Step[]): string[] {
  return steps.map((s) => `${s.kind}:${s.username}`);
}

Deno.test("plan: a new directory user is created and added to the domain", () => {
  const plan = planSync([dirUser("alice")], state([]), ADD_ONLY);
  assert.deepEqual(plan.steps, [
    { kind: "createUser", username: "alice", name: "alice name", email: "alice@example.com" },
    { kind: "addToDomain", username: "alice", userId: undefined },
  ]);
  assert.equal(plan.counts.createUser, 1);
  assert.equal(plan.counts.addToDomain, 1);
  assert.equal(plan.counts.removeFromDomain, 0);
});

Deno.test("plan: an org user who is not a member is added (no create), with its id", () => {
  const org = tcUser("bob", { domains: [] });
  const plan = planSync([dirUser("bob")], state([], [org]), ADD_ONLY);
  assert.deepEqual(plan.steps, [{ kind: "addToDomain", username: "bob", userId: "id-bob" }]);
});

Deno.test("plan: a member in sync gives an empty plan", () => {
  const plan = planSync([dirUser("alice")], state([tcUser("alice")]), ADD_ONLY);
  assert.equal(plan.domainId, DOMAIN, "the plan carries the domain it was planned against");
  assert.deepEqual(plan.steps, []);
  assert.deepEqual(plan.leftOut, []);
});

Deno.test("plan: update carries only the fields that differ, from → to", () => {
  const plan = planSync(
    [dirUser("alice", { email: "new@example.com" }), dirUser("bob", { name: "Robert" })],
    state([tcUser("alice"), tcUser("bob")]),
    ADD_ONLY,
  );
  assert.deepEqual(plan.steps, [
    {
      kind: "updateUser",
      username: "alice",
      userId: "id-alice",
      changes: { email: { from: "alice@example.com", to: "new@example.com" } },
    },
    {
      kind: "updateUser",
      username: "bob",
      userId: "id-bob",
      changes: { name: { from: "bob name", to: "Robert" } },
    },
  ]);
});

Deno.test("plan: a missing name or email never blanks an existing user's value", () => {
  const plan = planSync(
    [dirUser("alice", { name: undefined, email: undefined })],
    state([tcUser("alice")]),
    ADD_ONLY,
  );
  assert.deepEqual(plan.steps, []);
});

Deno.test("plan: a new user without name or email is left out with the reason, not created", () => {
  const plan = planSync(
    [dirUser("nomail", { email: undefined }), dirUser("noname", { name: undefined }), dirUser("ok")],
    state([]),
    ADD_ONLY,
  );
  assert.deepEqual(kinds(plan.steps), ["createUser:ok", "addToDomain:ok"]);
  assert.equal(plan.leftOut.length, 2);
  assert.equal(plan.leftOut[0].username, "nomail");
  assert.match(plan.leftOut[0].reason, /no email: LoginTC needs a name and an email/);
  assert.match(plan.leftOut[1].reason, /no name:/);
});

Deno.test("plan: usernames match case-insensitively; no case-variant duplicate is created", () => {
  const plan = planSync(
    [dirUser("Alice", { name: "alice name" }), dirUser("BOB", { name: "bob name" })],
    state([tcUser("alice")], [tcUser("bob", { domains: [] })]),
    ADD_ONLY,
  );
  // Alice is the member alice; BOB is the org user bob (steps use LoginTC's spelling and id).
  assert.deepEqual(plan.steps, [{ kind: "addToDomain", username: "bob", userId: "id-bob" }]);
  assert.equal(plan.counts.createUser, 0);
});

Deno.test("plan: two directory entries that differ only in case: the second is left out", () => {
  const plan = planSync(
    [dirUser("alice", { dn: "uid=alice,o=2" }), dirUser("Alice", { dn: "uid=Alice,o=1" })],
    state([]),
    ADD_ONLY,
  );
  assert.deepEqual(kinds(plan.steps), ["createUser:Alice", "addToDomain:Alice"]);
  assert.equal(plan.leftOut.length, 1);
  assert.equal(plan.leftOut[0].dn, "uid=alice,o=2");
  assert.match(plan.leftOut[0].reason, /same username as uid=Alice,o=1/);
});

Deno.test("plan: tokens only for users this plan adds to the domain, with or without email", () => {
  const dir = [dirUser("member"), dirUser("neworg"), dirUser("brandnew")];
  const s = state([tcUser("member")], [tcUser("neworg", { domains: [] })]);
  const withEmail = planSync(dir, s, { syncMode: "add_only", syncTokenMode: "issue_token_with_email" });
  assert.deepEqual(withEmail.steps.filter((x) => x.kind === "issueToken"), [
    { kind: "issueToken", username: "brandnew", userId: undefined, sendEmail: true },
    { kind: "issueToken", username: "neworg", userId: "id-neworg", sendEmail: true },
  ]);
  const noEmail = planSync(dir, s, { syncMode: "add_only", syncTokenMode: "issue_token_without_email" });
  assert.deepEqual(
    noEmail.steps.filter((x) => x.kind === "issueToken").map((x) => x.kind === "issueToken" && x.sendEmail),
    [false, false],
  );
  assert.equal(planSync(dir, s, ADD_ONLY).counts.issueToken, 0);
});

Deno.test("plan: -g adds every synced user not already in the group", () => {
  const dir = [dirUser("in"), dirUser("out"), dirUser("fresh")];
  const s = state([tcUser("in", { groups: [SALES.id] }), tcUser("out", { groups: ["other"] })], [], SALES);
  const plan = planSync(dir, s, { ...ADD_ONLY, group: "Sales" });
  assert.deepEqual(plan.steps.filter((x) => x.kind === "addToGroup"), [
    { kind: "addToGroup", username: "fresh", userId: undefined, groupId: SALES.id, groupName: "Sales" },
    { kind: "addToGroup", username: "out", userId: "id-out", groupId: SALES.id, groupName: "Sales" },
  ]);
});

Deno.test("plan: aliases — undefined untouched, '' clears a non-empty one, a value sets when different", () => {
  const member = tcUser("alice", { alias1: "keep", alias2: "old", alias3: "" });
  const plan = planSync(
    [dirUser("alice", { aliases: { alias1: undefined, alias2: "", alias3: "new" } })],
    state([member]),
    ADD_ONLY,
  );
  assert.deepEqual(plan.steps, [
    { kind: "clearAlias", username: "alice", userId: "id-alice", slot: "alias2", from: "old" },
    { kind: "setAlias", username: "alice", userId: "id-alice", slot: "alias3", from: "", to: "new" },
  ]);
  // "" on an alias LoginTC does not have, and the same value: nothing.
  const same = planSync(
    [dirUser("alice", { aliases: { alias1: "keep", alias3: "" } })],
    state([member]),
    ADD_ONLY,
  );
  assert.deepEqual(same.steps, []);
});

Deno.test("plan: a new user's aliases are set after it is created", () => {
  const plan = planSync([dirUser("n", { aliases: { alias1: "a1", alias2: "" } })], state([]), ADD_ONLY);
  assert.deepEqual(kinds(plan.steps), ["createUser:n", "addToDomain:n", "setAlias:n"]);
});

Deno.test("plan: phones are additive only, and a different spelling of a known number is not re-added", () => {
  const member = tcUser("alice", { phones: ["+1 555 0100"] });
  assert.deepEqual(
    planSync([dirUser("alice", { phone: "+1-555-0100" })], state([member]), ADD_ONLY).steps,
    [],
  );
  assert.deepEqual(planSync([dirUser("alice")], state([member]), ADD_ONLY).steps, []);
  assert.deepEqual(planSync([dirUser("alice", { phone: "+1 555 0199" })], state([member]), ADD_ONLY).steps, [
    { kind: "addPhone", username: "alice", userId: "id-alice", number: "+1 555 0199" },
  ]);
});

Deno.test("plan: add_only never removes; remove → removeFromDomain; delete → deleteUser", () => {
  const s = state([tcUser("alice"), tcUser("gone")]);
  const dir = [dirUser("ALICE", { name: "alice name" })];
  assert.deepEqual(planSync(dir, s, ADD_ONLY).steps, []);
  assert.deepEqual(planSync(dir, s, { ...ADD_ONLY, syncMode: "remove" }).steps, [
    { kind: "removeFromDomain", username: "gone", userId: "id-gone" },
  ]);
  assert.deepEqual(planSync(dir, s, { ...ADD_ONLY, syncMode: "delete" }).steps, [
    { kind: "deleteUser", username: "gone", userId: "id-gone" },
  ]);
});

Deno.test("plan: a directory user left out (no email) is never removed from the domain", () => {
  // A member lacking an email in LDAP is still "in the directory".
  const plan = planSync([dirUser("alice", { email: undefined })], state([tcUser("alice")]), {
    ...ADD_ONLY,
    syncMode: "delete",
  });
  assert.deepEqual(plan.steps, []);
});

Deno.test("plan: steps sorted by phase, then username", () => {
  const s = state([tcUser("zed"), tcUser("old")], [], SALES);
  const dir = [dirUser("zed", { email: "z2@example.com" }), dirUser("bob", { phone: "1" }), dirUser("Amy")];
  const plan = planSync(dir, s, {
    syncMode: "remove",
    syncTokenMode: "issue_token_with_email",
    group: "Sales",
  });
  assert.deepEqual(kinds(plan.steps), [
    "createUser:Amy",
    "createUser:bob",
    "updateUser:zed",
    "addToDomain:Amy",
    "addToDomain:bob",
    "issueToken:Amy",
    "issueToken:bob",
    "addToGroup:Amy",
    "addToGroup:bob",
    "addToGroup:zed",
    "addPhone:bob",
    "removeFromDomain:old",
  ]);
});
