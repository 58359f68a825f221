/**
 * The plan as text (src/report/renderPlan.ts): goldens of renderPlan, and planLines, the plan line by
 * line (what runSync writes), joined exactly the string renderPlan returns.
 */
import assert from "node:assert/strict";
import { memoryOutput } from "../../support/output.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { DRY_RUN_FOOTER, NOTHING_TO_DO, planLines, renderPlan } from "../../../src/report/renderPlan.ts";
import { writeLines } from "../../../src/output/writeLines.ts";
import { dirUser, state, tcUser } from "../../support/syncModel.ts";

const CTX = { maxRemoveLimit: 1, directoryCount: 5, memberCount: 4, baseDn: "dc=x", filter: "(uid=*)" };

Deno.test("render: full plan with skip, withheld removals and notice (dry run) — golden", () => {
  const s = state(
    [
      tcUser("bob", { email: "a@x.com" }),
      tcUser("carol", { alias2: "c2" }),
      tcUser("gone1"),
      tcUser("gone2"),
    ],
    [tcUser("dave", { domains: [] })],
    { id: "g", name: "Sales" },
  );
  const dir = [
    dirUser("bob", { email: "b@x.com" }),
    dirUser("carol", { aliases: { alias2: "" }, phone: "+1 555 0100" }),
    dirUser("dave"),
    dirUser("amy", { aliases: { alias1: "amy.a" } }),
    dirUser("nomail", { email: undefined }),
  ];
  const plan = planSync(dir, s, {
    syncMode: "remove",
    syncTokenMode: "issue_token_with_email",
    group: "Sales",
  });
  assert.equal(
    renderPlan(applyGuards(plan, CTX), { dryRun: true }),
    `Plan: 1 to create, 1 to update, 2 to add to domain, 2 token(s) to issue, 4 to add to group, 2 alias change(s), 1 phone(s) to add, 0 to remove (2 withheld), 1 skipped
+----------+---------------+--------------------------------------------------------------------------+
| Username | Action        | Detail                                                                   |
+----------+---------------+--------------------------------------------------------------------------+
| amy      | create        | name: amy name, email: amy@example.com                                   |
| bob      | update        | email: a@x.com → b@x.com                                                 |
| amy      | add to domain |                                                                          |
| dave     | add to domain | already in the organization                                              |
| amy      | issue token   | token (email)                                                            |
| dave     | issue token   | token (email)                                                            |
| amy      | add to group  | group Sales                                                              |
| bob      | add to group  | group Sales                                                              |
| carol    | add to group  | group Sales                                                              |
| dave     | add to group  | group Sales                                                              |
| amy      | set alias     | alias1: amy.a                                                            |
| carol    | clear alias   | alias2: cleared                                                          |
| carol    | add phone     | phone +1 555 0100                                                        |
| nomail   | skip          | no email: LoginTC needs a name and an email to create a user (see -n/-e) |
+----------+---------------+--------------------------------------------------------------------------+
Withheld (not made):
+----------+--------------------+-------------------------------------+
| Username | Action             | Detail                              |
+----------+--------------------+-------------------------------------+
| gone1    | remove from domain | not in the directory; token revoked |
| gone2    | remove from domain | not in the directory; token revoked |
+----------+--------------------+-------------------------------------+
2 removal(s) withheld: more than --max-remove-limit 1 (-r; over the limit no removal is made); rerun with -r 2 to allow them.
Dry run: nothing was changed.`,
  );
});

Deno.test("render: delete mode within the limit, name change and alias change, real run — golden", () => {
  const s = state([tcUser("bob", { name: "Bob", alias1: "b1" }), tcUser("old")]);
  const plan = planSync([dirUser("bob", { name: "Robert", aliases: { alias1: "b2" } })], s, {
    syncMode: "delete",
    syncTokenMode: "issue_token_without_email",
  });
  assert.equal(
    renderPlan(applyGuards(plan, { ...CTX, maxRemoveLimit: 1 }), { dryRun: false }),
    `Plan: 0 to create, 1 to update, 0 to add to domain, 1 alias change(s), 1 to remove
+----------+-------------+-----------------------------------------------------+
| Username | Action      | Detail                                              |
+----------+-------------+-----------------------------------------------------+
| bob      | update      | name: Bob → Robert                                  |
| bob      | set alias   | alias1: b1 → b2                                     |
| old      | delete user | not in the directory; deleted from the organization |
+----------+-------------+-----------------------------------------------------+`,
  );
});

Deno.test("render: token without email, and the empty plan (real run and dry run)", () => {
  const plan = planSync([dirUser("n")], state([]), {
    syncMode: "add_only",
    syncTokenMode: "issue_token_without_email",
  });
  assert.match(
    renderPlan(applyGuards(plan, CTX), { dryRun: false }),
    /\| n +\| issue token +\| token \(no email\) +\|/,
  );
  const empty = planSync([dirUser("bob")], state([tcUser("bob")]), {
    syncMode: "add_only",
    syncTokenMode: "do_not_issue_token",
  });
  assert.equal(
    renderPlan(applyGuards(empty, CTX), { dryRun: false }),
    "Nothing to do: LoginTC is in sync with the directory.",
  );
  assert.equal(
    renderPlan(applyGuards(empty, CTX), { dryRun: true }),
    "Nothing to do: LoginTC is in sync with the directory.\nDry run: nothing was changed.",
  );
});

Deno.test("render: an empty-directory guard shows the withheld removals and the notice, not 'Nothing to do'", () => {
  const plan = planSync([], state([tcUser("a")]), {
    syncMode: "remove",
    syncTokenMode: "do_not_issue_token",
  });
  const text = renderPlan(applyGuards(plan, { ...CTX, directoryCount: 0, memberCount: 1 }), {
    dryRun: false,
  });
  assert.ok(
    text.startsWith("Plan: 0 to create, 0 to update, 0 to add to domain, 0 to remove (1 withheld)\n"),
  );
  assert.ok(!text.includes("Nothing to do"));
  assert.match(text, /1 removal\(s\) withheld: the directory read returned 0 users \(base_dn "dc=x"/);
});

Deno.test("planLines: one item per line; joined, renderPlan's string (steps, skip, withheld, notice)", () => {
  const s = state([tcUser("bob", { email: "a@x.com" }), tcUser("gone1"), tcUser("gone2")]);
  const dir = [dirUser("bob", { email: "b@x.com" }), dirUser("amy"), dirUser("nomail", { email: undefined })];
  const checked = applyGuards(
    planSync(dir, s, { syncMode: "remove", syncTokenMode: "issue_token_with_email" }),
    CTX,
  );
  for (const dryRun of [true, false]) {
    const lines = [...planLines(checked, { dryRun })];
    assert.equal(lines.join("\n"), renderPlan(checked, { dryRun }));
    assert.ok(lines.every((l) => !l.includes("\n")));
    assert.match(lines[0], /^Plan: 1 to create, 1 to update, 1 to add to domain/);
    assert.equal(lines[1], lines[3]); // top border and header separator
    assert.ok(lines.includes("Withheld (not made):"));
    assert.equal(lines.at(-1) === DRY_RUN_FOOTER, dryRun);
  }
});

Deno.test("planLines: nothing to do, real run and dry run", () => {
  const checked = applyGuards(
    planSync([dirUser("bob")], state([tcUser("bob")]), {
      syncMode: "add_only",
      syncTokenMode: "do_not_issue_token",
    }),
    CTX,
  );
  assert.deepEqual([...planLines(checked, { dryRun: false })], [NOTHING_TO_DO]);
  assert.deepEqual([...planLines(checked, { dryRun: true })], [NOTHING_TO_DO, DRY_RUN_FOOTER]);
});

Deno.test("planLines through writeLines: a 1,000-user first sync (3,000 rows) in 4 writes, the bytes of one", () => {
  const dir = Array.from({ length: 1000 }, (_, i) => dirUser(`u${String(i).padStart(4, "0")}`));
  const checked = applyGuards(
    planSync(dir, state([]), { syncMode: "add_only", syncTokenMode: "issue_token_with_email" }),
    { ...CTX, directoryCount: 1000, memberCount: 0 },
  );
  const output = memoryOutput();
  writeLines(output, planLines(checked, { dryRun: true }));
  assert.equal(output.stdout.length, 4); // summary + 3,004 table lines + footer
  assert.equal(output.stdout.map((t) => t + "\n").join(""), renderPlan(checked, { dryRun: true }) + "\n");
});
