/**
 * The leavers the ledger decides (src/sync/planSync.ts with src/sync/gracePeriod.ts): remove_scope =
 * managed removes only members the ledger says this tool added (none without a ledger), and
 * delete_after_days removes a leaver at once but deletes it only after N days of continuous absence,
 * counted from the ledger, and only when LoginTC, read by id, shows no other domain. A grace period
 * never keeps a token: the same members lose it as without one.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { dueIds } from "../../../src/sync/gracePeriod.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import type { Ledger, LedgerEntry, LoginTCState, PlanOptions } from "../../../src/sync/types.ts";
import { renderPlan } from "../../../src/report/renderPlan.ts";
import { dirUser, DOMAIN, state, tcUser } from "../../support/syncModel.ts";
import type { LoginTCUser } from "../../../src/types.ts";

/** LoginTC users with ids as LoginTC issues them (letters and digits: src/logintc/parse.ts). */
const tc = (username: string, extra: Partial<LoginTCUser> = {}) =>
  tcUser(username, { id: `id${username}`, ...extra });

const OTHER = "e".repeat(40);
const NOW = new Date("2026-03-01T06:00:00.000Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const entry = (username: string, fields: Partial<LedgerEntry> = {}): LedgerEntry => ({
  username,
  anchor: null,
  userId: `id${username}`,
  managed: true,
  firstSeen: daysAgo(100),
  lastSeen: daysAgo(1),
  absentSince: null,
  ...fields,
});
const ledger = (users: LedgerEntry[]): Ledger => ({
  version: 1,
  domainId: DOMAIN,
  anchorAttribute: null,
  updatedAt: daysAgo(1),
  users,
});
const withLedger = (s: LoginTCState, l?: Ledger, due?: LoginTCState["due"]): LoginTCState => ({
  ...s,
  ...(l ? { ledger: l } : {}),
  ...(due ? { due } : {}),
});
const opts = (over: Partial<PlanOptions> = {}): PlanOptions => ({
  syncMode: "delete",
  syncTokenMode: "do_not_issue_token",
  now: NOW,
  ...over,
});
const CTX = { maxRemoveLimit: 10, directoryCount: 1, memberCount: 4, baseDn: "dc=x", filter: "(uid=*)" };
const brief = (plan: ReturnType<typeof planSync>) => ({
  steps: plan.steps.map((s) => `${s.kind} ${s.username}`),
  kept: plan.kept.map((k) => `${k.reason} ${k.username}`),
});

Deno.test("remove_scope = managed: only members the ledger says this tool added; none without a ledger", () => {
  const s = state([tc("keep"), tc("ours"), tc("byhand"), tc("never"), tc("renamed")]);
  const l = ledger([
    entry("ours"),
    entry("byhand", { managed: false }),
    // The ledger's "renamed" was another LoginTC user: this one is not known to be ours.
    entry("renamed", { userId: "id-someone-else" }),
  ]);
  const managed = opts({ syncMode: "remove", removeScope: "managed" });
  assert.deepEqual(brief(planSync([dirUser("keep")], withLedger(s, l), managed)), {
    steps: ["removeFromDomain ours"],
    kept: ["notManaged byhand", "notManaged never", "notManaged renamed"],
  });
  // Unknown ledger (a first run, or a file that cannot be used): nobody is known to be ours.
  assert.deepEqual(brief(planSync([dirUser("keep")], s, managed)), {
    steps: [],
    kept: ["notManaged byhand", "notManaged never", "notManaged ours", "notManaged renamed"],
  });
  // protect_users wins; remove_scope = all (the default) ignores the ledger.
  assert.deepEqual(
    brief(planSync([dirUser("keep")], withLedger(s, l), { ...managed, protectUsers: ["byhand", "ours"] }))
      .kept,
    ["protected byhand", "notManaged never", "protected ours", "notManaged renamed"],
  );
  assert.equal(planSync([dirUser("keep")], withLedger(s, l), opts({ syncMode: "remove" })).steps.length, 4);
  const text = renderPlan(applyGuards(planSync([dirUser("keep")], withLedger(s, l), managed), CTX), {
    dryRun: true,
  });
  assert.match(
    text,
    /^\| byhand +\| keep +\| not managed by this sync: kept \(remove_scope = managed\) \|$/m,
  );
});

Deno.test("delete_after_days: a leaver is removed now and deleted only when its absence reaches N days", () => {
  const s = state([tc("keep"), tc("new"), tc("ten"), tc("old"), tc("byhand")]);
  const l = ledger([
    entry("new"), // the directory showed it until the last run: its absence starts now
    entry("ten", { absentSince: daysAgo(10) }),
    entry("old", { absentSince: daysAgo(31) }), // removal withheld for a month: due, still a member
  ]);
  const plan = planSync([dirUser("keep")], withLedger(s, l), opts({ deleteAfterDays: 30 }));
  assert.deepEqual(plan.steps.filter((st) => st.kind === "removeFromDomain" || st.kind === "deleteUser"), [
    { kind: "removeFromDomain", username: "byhand", userId: "idbyhand", notDeleted: { why: "untracked" } },
    {
      kind: "removeFromDomain",
      username: "new",
      userId: "idnew",
      notDeleted: { why: "gracePeriod", due: "2026-03-31" },
    },
    { kind: "deleteUser", username: "old", userId: "idold", absentSince: daysAgo(31) },
    {
      kind: "removeFromDomain",
      username: "ten",
      userId: "idten",
      notDeleted: { why: "gracePeriod", due: "2026-03-21" },
    },
  ]);
  const text = renderPlan(applyGuards(plan, CTX), { dryRun: true });
  assert.match(
    text,
    /^\| new +\| remove from domain \| not in the directory; token revoked; deletion due on 2026-03-31 \(delete_after_days\) +\|$/m,
  );
  assert.match(
    text,
    /^\| old +\| delete user +\| not in the directory since 2026-01-29 \(delete_after_days\); deleted from the organization +\|$/m,
  );
  assert.match(
    text,
    /^\| byhand +\| remove from domain \| .*token revoked; never deleted by delete_after_days: the ledger has not seen the user in the directory/m,
  );
  // Without a grace period (0, or -m remove) nothing changes from before.
  assert.deepEqual(
    brief(planSync([dirUser("keep")], withLedger(s, l), opts())).steps,
    ["deleteUser byhand", "deleteUser new", "deleteUser old", "deleteUser ten"],
  );
});

Deno.test("delete_after_days: removed users wait in the ledger, shown with their date, then deleted if LoginTC allows", () => {
  const members = [tc("keep")];
  const l = ledger([
    entry("waiting", { absentSince: daysAgo(5) }),
    entry("due", { absentSince: daysAgo(30) }), // exactly N days: due
    entry("shared", { absentSince: daysAgo(40) }),
    entry("hidden", { absentSince: daysAgo(40) }),
    entry("unread", { absentSince: daysAgo(40) }),
    entry("gone", { absentSince: daysAgo(40) }),
    entry("byhand", { absentSince: daysAgo(40), managed: false }),
    entry("guarded", { absentSince: daysAgo(40) }),
    entry("back", { absentSince: daysAgo(40) }),
    entry("noid", { absentSince: daysAgo(40), userId: null }),
    entry("edited", { absentSince: daysAgo(40), userId: "../x" }), // not an id LoginTC issues: never read
  ]);
  const o = opts({ deleteAfterDays: 30, protectUsers: ["guarded"] });
  // What the run reads by id: due, not protected, not back in... (back is in the directory: its
  // orgUsers lookup finds it; reading it too is harmless).
  assert.deepEqual(dueIds(l, members, o).sort(), [
    "idback",
    "idbyhand",
    "iddue",
    "idgone",
    "idhidden",
    "idshared",
    "idunread",
  ]);
  assert.deepEqual(dueIds(l, members, { ...o, removeScope: "managed" }).includes("idbyhand"), false);
  assert.deepEqual(dueIds(l, members, { ...o, syncMode: "remove" }), []);
  const due = {
    users: [
      tc("due", { domains: [] }),
      tc("shared", { domains: [OTHER] }),
      tc("hidden", { domains: undefined }),
      tc("byhand", { domains: [] }),
    ],
    gone: ["idgone"],
  };
  const s = state(members, [tc("back", { domains: [] })]);
  const plan = planSync([dirUser("keep"), dirUser("back")], withLedger(s, l, due), o);
  assert.deepEqual(brief(plan), {
    steps: ["addToDomain back", "deleteUser byhand", "deleteUser due"],
    kept: [
      "deletionUnproven edited",
      "protected guarded",
      "deletionUnproven hidden",
      "otherDomains shared",
      "deletionUnproven unread",
      "deletionPending waiting",
    ],
  });
  // remove_scope = managed: byhand was never ours: not even shown.
  assert.deepEqual(
    brief(
      planSync([dirUser("keep"), dirUser("back")], withLedger(s, l, due), { ...o, removeScope: "managed" }),
    ).steps,
    ["addToDomain back", "deleteUser due"],
  );
  const text = renderPlan(applyGuards(plan, CTX), { dryRun: true });
  assert.match(
    text,
    /^\| due +\| delete user +\| not in the directory since 2026-01-30 \(delete_after_days\); deleted from the organization +\|$/m,
  );
  assert.match(
    text,
    /^\| waiting +\| keep +\| removed from the domain; deletion due on 2026-03-26 \(delete_after_days\) +\|$/m,
  );
  assert.match(
    text,
    /^\| shared +\| keep +\| kept for another domain \(a member of 1 other domain\(s\)\): not deleted +\|$/m,
  );
  assert.match(
    text,
    /^\| hidden +\| keep +\| not deleted: LoginTC did not show the user's domains, so deleting it could not be proved safe \|$/m,
  );
  // Each deletion counts toward -r.
  assert.equal(applyGuards(plan, { ...CTX, maxRemoveLimit: 1 }).withheld.length, 2);
});

Deno.test("delete_after_days needs the run's time: the planner refuses to guess it", () => {
  assert.throws(
    () => planSync([], state([tc("a")]), { ...opts({ deleteAfterDays: 3 }), now: undefined }),
    /needs the run's time/,
  );
});

Deno.test("a grace period never keeps a token: the members who lose it are the same with or without one (property)", () => {
  const name = fc.constantFrom("a", "b", "c", "d", "e", "f");
  fc.assert(
    fc.property(
      fc.uniqueArray(name),
      fc.uniqueArray(name),
      fc.array(
        fc.record({
          username: name,
          absent: fc.option(fc.integer({ min: 0, max: 60 })),
          managed: fc.boolean(),
        }),
      ),
      fc.integer({ min: 1, max: 45 }),
      fc.constantFrom("all", "managed") as fc.Arbitrary<"all" | "managed">,
      (memberNames, dirNames, rows, days, removeScope) => {
        const seen = new Set<string>();
        const entries = rows.filter((r) => !seen.has(r.username) && seen.add(r.username)).map((r) =>
          entry(r.username, { managed: r.managed, absentSince: r.absent === null ? null : daysAgo(r.absent) })
        );
        const s = withLedger(state(memberNames.map((n) => tc(n))), ledger(entries));
        const dir = dirNames.map((n) => dirUser(n));
        const revoked = (o: PlanOptions) =>
          planSync(dir, s, o).steps.filter((st) => st.kind === "deleteUser" || st.kind === "removeFromDomain")
            .map((st) => st.username).filter((u) => (memberNames as string[]).includes(u)).sort();
        assert.deepEqual(
          revoked(opts({ deleteAfterDays: days, removeScope })),
          revoked(opts({ removeScope })),
        );
      },
    ),
  );
});
