/**
 * Who is who (src/sync/identity.ts through planSync, the guards and the ledger): reused usernames are
 * reassigned, renames are paired, entries sharing an anchor are left out — and absence (no ledger, no
 * anchor, another attribute) flags nothing.
 */
import assert from "node:assert/strict";
import { applyGuards, withheldRemovals } from "../../../src/sync/guards.ts";
import { type Ledger, type LedgerEntry, nextLedger } from "../../../src/sync/ledger.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import type { Step } from "../../../src/sync/stepKinds.ts";
import type { LoginTCState, PlanOptions } from "../../../src/sync/types.ts";
import { checkExitCode, checkVerdict } from "../../../src/cli/checkMode.ts";
import { renderPlan } from "../../../src/report/renderPlan.ts";
import { dirUser, DOMAIN, state, tcUser } from "../../support/syncModel.ts";

const ATTR = "entryUUID";
const T0 = "2026-01-01T00:00:00.000Z";
const OPTS: PlanOptions = {
  syncMode: "add_only",
  syncTokenMode: "issue_token_with_email",
  anchorAttribute: ATTR,
};

const entry = (username: string, anchor: string | null, more: Partial<LedgerEntry> = {}): LedgerEntry => ({
  username,
  anchor,
  userId: `id-${username}`,
  managed: true,
  firstSeen: T0,
  lastSeen: T0,
  absentSince: null,
  ...more,
});
const ledger = (users: LedgerEntry[], anchorAttribute: string | null = ATTR): Ledger => ({
  version: 1,
  domainId: DOMAIN,
  anchorAttribute,
  updatedAt: T0,
  users,
});
const withLedger = (s: LoginTCState, l: Ledger | undefined): LoginTCState => ({ ...s, ledger: l });
const kinds = (steps: readonly Step[]) => steps.map((s) => `${s.kind} ${s.username}`);

Deno.test("identity: a reused username — the previous person's factors revoked first, then name/email, then a token as -t says", () => {
  const s = withLedger(
    state([
      tcUser("jdoe", {
        name: "John Doe",
        email: "john@example.com",
        domains: [DOMAIN, "b".repeat(40), "a".repeat(40)],
      }),
    ]),
    ledger([entry("jdoe", "uuid-john")]),
  );
  const dir = [dirUser("jdoe", { name: "Jane Doe", email: "jane@example.com", anchor: "uuid-jane" })];
  const plan = planSync(dir, s, OPTS);
  assert.deepEqual(kinds(plan.steps), ["reassignUser jdoe", "updateUser jdoe", "issueToken jdoe"]);
  assert.deepEqual(plan.steps[0], {
    kind: "reassignUser",
    username: "jdoe",
    userId: "id-jdoe",
    attribute: ATTR,
    from: "uuid-john",
    to: "uuid-jane",
    member: true,
    otherDomains: ["a".repeat(40), "b".repeat(40)],
  });
  assert.equal(plan.counts.reassignUser, 1);
  // -t do_not_issue_token: the old token is still revoked; no new one.
  const quiet = planSync(dir, s, { ...OPTS, syncTokenMode: "do_not_issue_token" });
  assert.deepEqual(kinds(quiet.steps), ["reassignUser jdoe", "updateUser jdoe"]);
  // An organization user (not a member): its own factors revoked, then added and given a token as usual.
  const org = withLedger(state([], [tcUser("jdoe", { domains: [] })]), ledger([entry("jdoe", "uuid-john")]));
  const joined = planSync(dir, org, OPTS);
  assert.deepEqual(kinds(joined.steps), [
    "reassignUser jdoe",
    "updateUser jdoe",
    "addToDomain jdoe",
    "issueToken jdoe",
  ]);
  assert.equal((joined.steps[0] as { member: boolean }).member, false);
});

Deno.test("identity: absent is unknown — no ledger, no anchor either side, another attribute, or no LoginTC user flags nothing", () => {
  const member = state([tcUser("jdoe")]);
  const dir = [dirUser("jdoe", { anchor: "uuid-jane" })];
  const reassigns = (s: LoginTCState, d = dir, o = OPTS) =>
    planSync(d, s, o).steps.filter((x) => x.kind === "reassignUser").length;
  assert.equal(reassigns(member), 0, "no ledger");
  assert.equal(
    reassigns(withLedger(member, ledger([entry("jdoe", null)]))),
    0,
    "the ledger's anchor unknown",
  );
  assert.equal(
    reassigns(withLedger(member, ledger([entry("jdoe", "uuid-john")])), [dirUser("jdoe")]),
    0,
    "no anchor read",
  );
  assert.equal(
    reassigns(withLedger(member, ledger([entry("jdoe", "uuid-john")], "objectGUID"))),
    0,
    "another attribute",
  );
  assert.equal(
    reassigns(withLedger(member, ledger([entry("jdoe", "uuid-john")])), dir, {
      ...OPTS,
      anchorAttribute: undefined,
    }),
    0,
    "no attribute this run",
  );
  const none = withLedger(state([]), ledger([entry("jdoe", "uuid-john")]));
  assert.deepEqual(kinds(planSync(dir, none, OPTS).steps), [
    "createUser jdoe",
    "addToDomain jdoe",
    "issueToken jdoe",
  ]);
  assert.equal(reassigns(withLedger(member, ledger([entry("jdoe", "uuid-jane")]))), 0, "the same person");
});

Deno.test("identity: two entries with one anchor are both left out, each naming the other (escaped), and never removed", () => {
  const a = dirUser("amy", { anchor: "dup", dn: "uid=amy,ou=a\u001b[31m" });
  const b = dirUser("bea", { anchor: "dup" });
  const plan = planSync([a, b, dirUser("cy", { anchor: "c" })], state([tcUser("amy"), tcUser("bea")]), {
    ...OPTS,
    syncMode: "remove",
  });
  assert.deepEqual(plan.leftOut.map((l) => [l.username, l.reason]), [
    ["amy", `same entryUUID dup as ${b.dn}: two entries cannot be one person, so neither is synced`],
    [
      "bea",
      "same entryUUID dup as uid=amy,ou=a\\x1b[31m: two entries cannot be one person, so neither is synced",
    ],
  ]);
  assert.deepEqual(kinds(plan.steps), ["createUser cy", "addToDomain cy", "issueToken cy"]);
});

Deno.test("identity: a rename pairs the new user with the leaver; -m decides the leaver; then nothing more", () => {
  const s = withLedger(state([tcUser("jdoe")]), ledger([entry("jdoe", "uuid-1")]));
  const dir = [dirUser("jsmith", { anchor: "uuid-1" })];
  const keep = planSync(dir, s, OPTS);
  assert.deepEqual(keep.renames, [{ from: "jdoe", to: "jsmith", attribute: ATTR, anchor: "uuid-1" }]);
  assert.deepEqual(kinds(keep.steps), ["createUser jsmith", "addToDomain jsmith", "issueToken jsmith"]);
  const text = renderPlan({ plan: keep, withheld: [], notices: [] }, { dryRun: true });
  assert.match(
    text,
    /\| jdoe → jsmith \| rename\s+\| entryUUID uuid-1: jsmith is added as a new user \(LoginTC cannot rename one\); jdoe stays a member \(removed only with -m remove or -m delete\) \|/,
  );
  const remove = planSync(dir, s, { ...OPTS, syncMode: "remove" });
  assert.deepEqual(kinds(remove.steps), [
    "createUser jsmith",
    "addToDomain jsmith",
    "issueToken jsmith",
    "removeFromDomain jdoe",
  ]);
  // The pair is one removal.
  const guarded = applyGuards(remove, {
    maxRemoveLimit: 0,
    directoryCount: 1,
    memberCount: 1,
    baseDn: "b",
    filter: "f",
  });
  assert.equal(withheldRemovals(guarded), 1);
  assert.match(renderPlan(guarded, { dryRun: true }), /jdoe stays: its removal is withheld \|/);
  assert.match(
    renderPlan({ plan: remove, withheld: [], notices: [] }, { dryRun: true }),
    /jdoe is removed from the domain \|/,
  );
  // Once jsmith is a member, nothing is paired again, whatever the ledger still says about jdoe.
  const after = withLedger(state([tcUser("jdoe"), tcUser("jsmith")]), s.ledger);
  const again = planSync(dir, after, OPTS);
  assert.deepEqual(again.steps, []);
  assert.equal(again.renames, undefined);
});

Deno.test("identity: a reassignment is a removal — withheld with the removals, with all of that user's steps, named with both anchors", () => {
  const s = withLedger(
    state([tcUser("jdoe", { name: "John" }), tcUser("x\u0007y", { name: "X" })]),
    ledger([entry("jdoe", "uuid-john"), entry("x\u0007y", "uuid-\u001bold")]),
  );
  const dir = [
    dirUser("jdoe", { name: "Jane", anchor: "uuid-jane" }),
    dirUser("x\u0007y", { name: "Y", anchor: "uuid-new" }),
    dirUser("newbie", { anchor: "n" }),
  ];
  const plan = planSync(dir, s, OPTS);
  const ctx = { directoryCount: 3, memberCount: 2, baseDn: "b", filter: "f" };
  const allowed = applyGuards(plan, { ...ctx, maxRemoveLimit: 2 });
  assert.deepEqual(allowed.withheld, []);
  const held = applyGuards(plan, { ...ctx, maxRemoveLimit: 1 });
  assert.deepEqual(kinds(held.plan.steps), ["createUser newbie", "addToDomain newbie", "issueToken newbie"]);
  assert.deepEqual(kinds(held.withheld), [
    "reassignUser jdoe",
    "reassignUser x\u0007y",
    "updateUser jdoe",
    "updateUser x\u0007y",
    "issueToken jdoe",
    "issueToken x\u0007y",
  ]);
  assert.equal(withheldRemovals(held), 2);
  assert.deepEqual(held.notices, [
    "2 removal(s) withheld: more than --max-remove-limit 1 (-r; over the limit no removal is made); rerun with -r 2 to allow them.",
    "2 reassignment(s) withheld with the removals: the directory shows another person under the username, and a " +
    "reassignment revokes the previous person's token; until it is allowed these accounts are not changed at all: " +
    "jdoe (entryUUID uuid-john → uuid-jane), x\\x07y (entryUUID uuid-\\x1bold → uuid-new).",
  ]);
  assert.equal(checkExitCode(held), 3);
  assert.equal(checkVerdict(held), "Check: a real run would withhold 2 removal(s) (exit 3).");
  assert.equal(checkExitCode(allowed), 6);
  const text = renderPlan(held, { dryRun: true });
  assert.match(
    text.split("\n")[0],
    /^Plan: 1 to create, 0 to update, 1 to add to domain, 1 token\(s\) to issue, 0 to remove, 0 to reassign \(2 withheld\)$/,
  );
  assert.match(
    text,
    /Reassignments and renames:\n.*\n.*\n.*\n\| jdoe +\| reassign +\| entryUUID uuid-john → uuid-jane: WITHHELD, the account is not changed +\|/,
  );
  assert.ok(![...text].some((c) => c < " " && c !== "\n"), "no raw control character in the plan");
});

Deno.test("identity: the ledger records the new person's anchor once the reassignment is done, and not before", () => {
  const previous = ledger([entry("jdoe", "uuid-john")]);
  const s = withLedger(state([tcUser("jdoe")]), previous);
  const dir = [dirUser("jdoe", { anchor: "uuid-jane" })];
  const plan = planSync(dir, s, OPTS);
  const run = {
    previous,
    domainId: DOMAIN,
    anchorAttribute: ATTR,
    directory: dir,
    leftOut: [],
    members: s.members,
    orgUsers: [],
    now: new Date(),
  };
  assert.equal(nextLedger({ ...run, done: plan.steps.slice(1) }).users[0].anchor, "uuid-john");
  assert.equal(nextLedger({ ...run, done: plan.steps }).users[0].anchor, "uuid-jane");
});

Deno.test("identity: a protected username (protect_users) is never reassigned: left out whole, named with both anchors, the ledger keeps the old one", () => {
  const previous = ledger([entry("jdoe", "uuid-john")]);
  const s = withLedger(
    state([tcUser("jdoe", { name: "John Doe", email: "john@example.com" })]),
    previous,
  );
  const dir = [dirUser("jdoe", { name: "Jane Doe", email: "jane@example.com", anchor: "uuid-jane" })];
  const plan = planSync(dir, s, { ...OPTS, syncMode: "remove", protectUsers: ["JDOE"] });
  assert.deepEqual(kinds(plan.steps), [], "no revocation, no update to the new person, no token");
  assert.equal(plan.leftOut.length, 1);
  assert.match(
    plan.leftOut[0].reason,
    /^protected \(protect_users\), not reassigned: .*uuid-john -> uuid-jane/,
  );
  const next = nextLedger({
    previous,
    domainId: DOMAIN,
    anchorAttribute: ATTR,
    directory: dir,
    leftOut: plan.leftOut,
    members: s.members,
    orgUsers: [],
    done: plan.steps,
    now: new Date(),
  });
  assert.equal(next.users.find((u) => u.username === "jdoe")?.anchor, "uuid-john");
  // Without protect_users the same input is a reassignment.
  assert.equal(planSync(dir, s, OPTS).steps[0].kind, "reassignUser");
});
