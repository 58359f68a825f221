/**
 * planLines: the plan line by line (what runSync writes), joined exactly the string renderPlan
 * returns and the goldens in render_test.ts pin.
 */
import assert from "node:assert/strict";
import { memoryOutput } from "../../support/output.ts";
import { checkPlan } from "../../../src/sync/checkPlan.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { DRY_RUN_FOOTER, NOTHING_TO_DO, planLines, renderPlan } from "../../../src/sync/renderPlan.ts";
import { writeLines } from "../../../src/output/writeLines.ts";
import { dirUser, state, tcUser } from "../../support/syncModel.ts";

const CTX = { maxRemoveLimit: 1, directoryCount: 5, memberCount: 4, baseDn: "dc=x", filter: "(uid=*)" };

Deno.test("planLines: one item per line; joined, renderPlan's string (steps, skip, withheld, notice)", () => {
  const s = state([tcUser("bob", { email: "a@x.com" }), tcUser("gone1"), tcUser("gone2")]);
  const dir = [dirUser("bob", { email: "b@x.com" }), dirUser("amy"), dirUser("nomail", { email: undefined })];
  const checked = checkPlan(
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
  const checked = checkPlan(
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
  const checked = checkPlan(
    planSync(dir, state([]), { syncMode: "add_only", syncTokenMode: "issue_token_with_email" }),
    { ...CTX, directoryCount: 1000, memberCount: 0 },
  );
  const output = memoryOutput();
  writeLines(output, planLines(checked, { dryRun: true }));
  assert.equal(output.stdout.length, 4); // summary + 3,004 table lines + footer
  assert.equal(output.stdout.map((t) => t + "\n").join(""), renderPlan(checked, { dryRun: true }) + "\n");
});
