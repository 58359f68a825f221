/**
 * The users table (src/directory/renderUsers.ts): goldens of renderUsersTable, and usersTableLines,
 * the same table line by line (what runSync writes), joined exactly the string renderUsersTable returns.
 */
import assert from "node:assert/strict";
import Table from "cli-table3";
import { renderUsersTable, usersTableLines } from "../../../src/directory/renderUsers.ts";
import { memoryOutput } from "../../support/output.ts";
import type { DirectoryUser } from "../../../src/types.ts";
import { tableUser as u } from "../../support/tableUser.ts";
import { writeLines } from "../../../src/output/writeLines.ts";

Deno.test("golden: the guide's example table", () => {
  const expected = [
    "+----------+----------+----------------------+",
    "| Username | Name     | Email                |",
    "+----------+----------+----------------------+",
    "| john.doe | John Doe | john.doe@example.com |",
    "| jane.doe | Jane Doe | jane.doe@example.com |",
    "+----------+----------+----------------------+",
  ].join("\n");
  assert.equal(
    renderUsersTable([
      u("john.doe", "John Doe", "john.doe@example.com"),
      u("jane.doe", "Jane Doe", "jane.doe@example.com"),
    ]),
    expected,
  );
});

Deno.test("golden: non-ASCII and wide characters stay aligned; missing values are empty", () => {
  const expected = [
    "+----------+---------------+-------------------+",
    "| Username | Name          | Email             |",
    "+----------+---------------+-------------------+",
    "| jürgen   | Jürgen Müller | jm@example.com    |",
    "| tanaka   | 田中 太郎     |                   |",
    "| x        |               | x@example.com     |",
    "| öztürk   | Gül Öztürk    | gul@example.co.uk |",
    "+----------+---------------+-------------------+",
  ].join("\n");
  assert.equal(
    renderUsersTable([
      u("jürgen", "Jürgen Müller", "jm@example.com"),
      u("tanaka", "田中 太郎"),
      u("x", undefined, "x@example.com"),
      u("öztürk", "Gül Öztürk", "gul@example.co.uk"),
    ]),
    expected,
  );
});

Deno.test("golden: no users → the header box only", () => {
  assert.equal(
    renderUsersTable([]),
    "+----------+------+-------+\n| Username | Name | Email |\n+----------+------+-------+",
  );
});

Deno.test("no ANSI codes in the table", () => {
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(renderUsersTable([u("a", "A", "a@x")]), /\x1b\[/);
});

Deno.test("usersTableLines: the guide's example, one item per line", () => {
  assert.deepEqual([...usersTableLines([u("john.doe", "John Doe", "john.doe@example.com")])], [
    "+----------+----------+----------------------+",
    "| Username | Name     | Email                |",
    "+----------+----------+----------------------+",
    "| john.doe | John Doe | john.doe@example.com |",
    "+----------+----------+----------------------+",
  ]);
});

Deno.test("usersTableLines: joined, renderUsersTable's string (empty, wide, missing values, line break escaped)", () => {
  const cases: [string, DirectoryUser[]][] = [
    ["no users", []],
    ["wide and missing", [u("jürgen", "Jürgen Müller", "jm@example.com"), u("tanaka", "田中 太郎"), u("x")]],
    // A line break in a value is shown escaped (src/output/escape.ts): one line per user.
    ["line break in a name", [u("a", "A"), u("b", "two\nlines", "b@x")]],
  ];
  for (const [name, users] of cases) {
    assert.equal([...usersTableLines(users)].join("\n"), renderUsersTable(users), name);
  }
  const t = new Table({
    head: ["Username", "Name", "Email"],
    chars: {
      "top-mid": "+",
      "top-left": "+",
      "top-right": "+",
      "bottom-mid": "+",
      "bottom-left": "+",
      "bottom-right": "+",
      "left-mid": "+",
      "mid-mid": "+",
      "right-mid": "+",
      "top": "-",
      "bottom": "-",
      "mid": "-",
      "left": "|",
      "right": "|",
      "middle": "|",
    },
    style: { head: [], border: [], compact: true },
  });
  t.push(["a", "A", ""], ["b", "two\\x0alines", "b@x"]);
  assert.equal([...usersTableLines(cases[2][1])].join("\n"), t.toString());
});

Deno.test("usersTableLines through writeLines: 2,500 users in 3 writes, the bytes of one write", () => {
  const users = Array.from({ length: 2500 }, (_, i) => u(`user${String(i).padStart(4, "0")}`, `User ${i}`));
  const output = memoryOutput();
  writeLines(output, usersTableLines(users));
  assert.equal(output.stdout.length, 3); // 2,504 lines
  assert.equal(output.stdout.map((t) => t + "\n").join(""), renderUsersTable(users) + "\n");
});
