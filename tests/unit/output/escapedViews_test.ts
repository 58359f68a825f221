/**
 * Every rendering of data (users table, plan, job record, LDAP and LoginTC messages) carries no ESC,
 * C1 (CSI 0x9b, OSC 0x9d) or bidi control from the data (src/output/escape.ts).
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { renderUsersTable } from "../../../src/directory/renderUsers.ts";
import { translateLdapError } from "../../../src/directory/errors.ts";
import { checkUsernameCollisions } from "../../../src/directory/validate.ts";
import { httpError } from "../../../src/logintc/failures.ts";
import { escapeText } from "../../../src/output/escape.ts";
import { renderJob, renderJobDetails } from "../../../src/report/renderJob.ts";
import { renderPlan } from "../../../src/report/renderPlan.ts";
import type { GuardedPlan } from "../../../src/sync/types.ts";
import { countSteps } from "../../../src/sync/stepKinds.ts";
import type { JobRecord } from "../../../src/state/jobRecord.ts";
import { HEAD, reference } from "../../support/tableOracle.ts";
import { tableUser as user } from "../../support/tableUser.ts";
import { assertTerminalSafe, hostile } from "../../support/hostile.ts";

Deno.test("users table: no control sequence from data, laid out on the printed text", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(hostile, hostile, hostile), { maxLength: 5 }), (rows) => {
      const users = rows.map(([u, n, e]) => user(u, n, e));
      const lines = renderUsersTable(users).split("\n");
      assertTerminalSafe(lines.join("\n"));
      // One line per user (a line break in a value does not make a row of its own).
      assert.equal(lines.length, users.length === 0 ? 3 : 4 + users.length);
      // Laid out exactly as cli-table3 lays out the printed (escaped) values: widths of what is shown.
      assert.equal(lines.join("\n"), reference(HEAD, rows.map((r) => r.map(escapeText))));
    }),
    { numRuns: 300 },
  );
  // Widths are those of what is printed: the escape counts as its 4 characters.
  assert.equal(
    renderUsersTable([user("a\x1b", "b", "c")]),
    [
      "+----------+------+-------+",
      "| Username | Name | Email |",
      "+----------+------+-------+",
      "| a\\x1b    | b    | c     |",
      "+----------+------+-------+",
    ].join("\n"),
  );
});

Deno.test("plan: steps, skips, kept members and disabled users with hostile values render terminal-safe", () => {
  fc.assert(
    fc.property(hostile, hostile, hostile, (username, name, email) => {
      const steps = [
        { kind: "createUser" as const, username, name, email },
        { kind: "addToGroup" as const, username, groupId: "g", groupName: name },
        { kind: "setAlias" as const, username, userId: "u", slot: "alias1" as const, from: email, to: name },
        { kind: "removeFromDomain" as const, username, userId: "u", disabled: name },
      ];
      const checked = {
        plan: {
          steps,
          leftOut: [{ username, dn: name, reason: `same username as ${escapeText(name)}` }],
          kept: [{ username, userId: email, reason: "protected", disabled: name }],
          disabled: { handling: "include", users: [{ username, dn: name, reason: email }] },
          counts: countSteps(steps),
        },
        withheld: [],
        notices: [`note ${email}`],
      } as unknown as GuardedPlan;
      assertTerminalSafe(renderPlan(checked, { dryRun: true }));
    }),
    { numRuns: 300 },
  );
});

Deno.test("job record (-j): every field terminal-safe, even from an edited file", () => {
  fc.assert(
    fc.property(hostile, hostile, (a, b) => {
      const job = {
        id: a,
        type: "sync",
        status: b,
        dtCreated: a,
        dtStarted: b,
        dtCompleted: "",
        actionsCompleted: 1,
        actionsTotal: 2,
        errorCode: a,
        errorMessage: b,
        mode: { syncMode: "full", syncTokenMode: "none", maxRemoveLimit: 0, group: a },
        counts: { createUser: 1 },
        withheld: 0,
        skipped: 1,
        skippedUsers: [{ username: a, action: "", reason: b }],
        failed: 1,
        failures: [{ username: a, action: "create", reason: b }],
        notAttempted: 1,
        notAttemptedActions: [{ username: b, action: a, reason: a }],
        dtProgress: b,
      } as unknown as JobRecord;
      assertTerminalSafe(renderJob(job));
      assertTerminalSafe(renderJobDetails(job));
    }),
    { numRuns: 300 },
  );
});

Deno.test("LDAP and LoginTC messages quote what the server said, escaped", () => {
  const ctx = {
    host: "ldap.example.com",
    port: 389,
    encryption: "none" as const,
    phase: "search" as const,
    bindDn: "cn=sync",
    baseDn: "dc=example,dc=com",
    filter: "(uid=*)",
    connectTimeoutMs: 1000,
    operationTimeoutMs: 1000,
  };
  fc.assert(
    fc.property(hostile, (said) => {
      for (const code of [50, 53, 11, 80]) {
        assertTerminalSafe(translateLdapError({ code, message: `${said} Code: 0x1` }, ctx).message);
      }
      assertTerminalSafe(translateLdapError(new Error(said), ctx).message);
      const body = JSON.stringify({ errors: [{ code: said, message: said }] });
      const f = { method: "GET", path: "/api/x", status: 400, body, attempts: 1 };
      assertTerminalSafe(httpError(f, (s) => s).message);
      assertTerminalSafe(httpError({ ...f, body: said }, (s) => s).message);
      try {
        checkUsernameCollisions([user(said, "", ""), user(said.toUpperCase() + "A", "", "")], "uid");
        checkUsernameCollisions([user(`${said}x`, "", ""), user(`${said}X`, "", "")], "uid");
      } catch (e) {
        assertTerminalSafe((e as Error).message);
      }
    }),
    { numRuns: 300 },
  );
  const e = translateLdapError({ code: 53, message: "Account inactivated\x1b]0;x\x07 Code: 0x35" }, ctx);
  assert.match(e.message, /Server said: Account inactivated\\x1b\]0;x\\x07/);
});
