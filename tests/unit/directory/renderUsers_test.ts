import assert from "node:assert/strict";
import { renderUsersTable } from "../../../src/directory/renderUsers.ts";
import { tableUser as u } from "../../support/tableUser.ts";

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
