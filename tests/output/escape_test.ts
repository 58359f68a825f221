/**
 * Terminal-safe output (src/output/escape.ts): data is shown with its control and bidi characters
 * escaped, unambiguously, and every rendering of data (users table, plan, job record, LDAP and
 * LoginTC messages) carries no ESC, C1 (CSI 0x9b, OSC 0x9d) or bidi control from the data.
 */
import assert from "node:assert/strict";
import fc from "../support/fastCheck.ts";
import { renderUsersTable } from "../../src/directory/renderUsers.ts";
import { translateLdapError } from "../../src/directory/errors.ts";
import { checkUsernameCollisions } from "../../src/directory/validate.ts";
import { httpError } from "../../src/logintc/failures.ts";
import { escapeControls, escapeText, stringifyJson, terminalSafeOutput } from "../../src/output/escape.ts";
import { REDACTED, redactor } from "../../src/output/redact.ts";
import { renderJob, renderJobDetails } from "../../src/sync/renderJob.ts";
import { renderPlan } from "../../src/sync/renderPlan.ts";
import type { CheckedPlan } from "../../src/sync/types.ts";
import { countSteps } from "../../src/sync/types.ts";
import type { JobRecord } from "../../src/sync/jobRecord.ts";
import type { DirectoryUser } from "../../src/types.ts";
import { memoryOutput } from "../support/output.ts";
import { HEAD, reference } from "../table/oracle.ts";

/** Reads escapeText's output back: `\\` → `\`, `\xHH`, `\uHHHH` → the character, other `\` as is. */
function unescape(text: string): string {
  return text.replace(/\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})?/g, (all, esc: string | undefined) => {
    if (esc === undefined) return all;
    if (esc === "\\") return "\\";
    return String.fromCharCode(parseInt(esc.slice(1), 16));
  });
}

// deno-lint-ignore no-control-regex -- the characters a terminal acts on are the point
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
// deno-lint-ignore no-control-regex -- the same, except the line feeds between our own lines
const UNSAFE_IN_LINES = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** Hostile text: escape sequences, C1, bidi, backslashes, next to ordinary letters. */
const hostile = fc.array(
  fc.oneof(
    fc.constantFrom(
      "\x1b[2J",
      "\x1b]0;pwned\x07",
      "\x9b31m",
      "\x9d0;t\x9c",
      "\u202e",
      "\u2066",
      "\r",
      "\n",
      "\t",
      "\x00",
      "\x7f",
      "\\",
      "\\x1b",
      "\\u202e",
      "\\\\",
      "x",
      "u",
    ),
    fc.constantFrom("a", "Z", " ", "ü", "日", "😀", ",", "="),
    fc.integer({ min: 0, max: 0x2100 }).map((c) => String.fromCharCode(c)),
  ),
  { maxLength: 12 },
).map((parts) => parts.join(""));

Deno.test("escapeText: known forms", () => {
  assert.equal(escapeText("\x1b[2J"), "\\x1b[2J");
  assert.equal(escapeText("a\x9bb"), "a\\x9bb");
  assert.equal(escapeText("evil\u202eexe.txt"), "evil\\u202eexe.txt");
  assert.equal(escapeText("two\nlines\r"), "two\\x0alines\\x0d");
  // A backslash is doubled only where it would read as an escape.
  assert.equal(escapeText("CN=Doe\\, John"), "CN=Doe\\, John");
  assert.equal(escapeText("EXAMPLE\\alice"), "EXAMPLE\\alice");
  assert.equal(escapeText("\\x1b"), "\\\\x1b");
  assert.equal(escapeText("a\\\\b"), "a\\\\\\b");
  assert.equal(escapeText("a\\\x1b"), "a\\\\\\x1b");
  assert.equal(escapeText("end\\"), "end\\");
});

Deno.test("escapeText: plain ASCII and Unicode names are unchanged", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
    fc.pre(!UNSAFE.test(s) && !s.includes("\\"));
    assert.equal(escapeText(s), s);
  }));
  for (const name of ["John Doe", "Jürgen Müller", "田中 太郎", "O'Brien-Smith", "אבי כהן", "😀 👍🏽"]) {
    assert.equal(escapeText(name), name);
  }
});

Deno.test("escapeText: nothing unsafe is left, and the text reads back as the data (unambiguous)", () => {
  fc.assert(
    fc.property(fc.oneof(hostile, fc.string({ unit: "binary" })), (s) => {
      const shown = escapeText(s);
      assert.ok(!UNSAFE.test(shown), JSON.stringify(shown));
      assert.equal(unescape(shown), s);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("escapeControls: idempotent, keeps backslashes, and line feeds only when asked", () => {
  fc.assert(fc.property(hostile, (s) => {
    const once = escapeControls(s);
    assert.equal(escapeControls(once), once);
    assert.ok(!UNSAFE.test(once));
    assert.equal(escapeControls(escapeText(s)), escapeText(s));
    const lines = escapeControls(s, { keepLineBreaks: true });
    assert.ok(!UNSAFE_IN_LINES.test(lines));
    assert.equal(lines.split("\n").length, s.split("\n").length);
  }));
});

const user = (username: string, name: string, email: string): DirectoryUser => ({
  dn: `uid=${username},dc=example,dc=com`,
  username,
  name,
  email,
  aliases: {},
});

/** The property the issue asks for: no ESC, C1 or bidi control reaches the terminal from data. */
function assertTerminalSafe(text: string): void {
  assert.ok(!UNSAFE_IN_LINES.test(text), JSON.stringify(text));
  const bytes = new TextEncoder().encode(text);
  assert.ok(!bytes.includes(0x1b), "an ESC byte");
}

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

Deno.test("plan: steps and skips with hostile values render terminal-safe", () => {
  fc.assert(
    fc.property(hostile, hostile, hostile, (username, name, email) => {
      const steps = [
        { kind: "createUser" as const, username, name, email },
        { kind: "addToGroup" as const, username, groupId: "g", groupName: name },
        { kind: "setAlias" as const, username, userId: "u", slot: "alias1" as const, from: email, to: name },
      ];
      const checked = {
        plan: {
          steps,
          skipped: [{ username, dn: name, reason: `same username as ${escapeText(name)}` }],
          counts: countSteps(steps),
        },
        withheld: [],
        notices: [`note ${email}`],
      } as unknown as CheckedPlan;
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

Deno.test("terminalSafeOutput: the net keeps our line breaks and escapes what slipped through", () => {
  const mem = memoryOutput();
  const out = terminalSafeOutput(mem);
  out.out("line one\nline \x1b[2Jtwo \\x1b");
  out.err("oops\x9b");
  assert.deepEqual(mem.stdout, ["line one\nline \\x1b[2Jtwo \\x1b"]);
  assert.deepEqual(mem.stderr, ["oops\\x9b"]);
});

Deno.test("redactor also knows a secret's escaped form", () => {
  const redact = redactor(["pa\\x55word\x1b"]);
  assert.equal(redact(`bind ${escapeText("pa\\x55word\x1b")} failed`), `bind ${REDACTED} failed`);
});

Deno.test("stringifyJson: valid JSON of the same value, nothing a terminal acts on", () => {
  fc.assert(
    fc.property(fc.array(hostile, { maxLength: 4 }), (values) => {
      const doc = { values, nested: { name: values[0] ?? "" } };
      const text = stringifyJson(doc, 2);
      assert.deepEqual(JSON.parse(text), doc);
      assert.ok(!UNSAFE_IN_LINES.test(text), text);
      // The safety net leaves it alone (it would break JSON otherwise).
      assert.equal(escapeControls(text, { keepLineBreaks: true }), text);
    }),
    { numRuns: 500 },
  );
});
