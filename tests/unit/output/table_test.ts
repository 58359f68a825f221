/**
 * src/output/table.ts renders exactly what cli-table3 renders (the original tool's layout, golden-tested
 * elsewhere), for any cell text: ASCII_CHARS, Latin, CJK, combining marks, emoji, controls, line breaks.
 * tableLines gives the same table line by line, rows asked for on demand: joined, exactly what
 * cli-table3 renders (the contract renderTable and the goldens rely on), fallback cases included.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { arbitraryRows, HEAD, reference } from "../../support/tableOracle.ts";
import { ASCII_CHARS, renderTable, tableLines } from "../../../src/output/table.ts";

Deno.test("table: same as cli-table3 for the cases we print", () => {
  const cases: string[][][] = [
    [],
    [["alice", "Alice Anderson", "alice@example.com"]],
    [["juergen", "Jürgen Müller", ""], ["guel", "Gül Öztürk", "guel@example.com"]],
    [["日本", "山田 太郎", "x@example.com"], ["e\u0301", "x😀y", "© ®"]],
    [["two\nlines", "tab\there", "esc\x1b[31mred"]],
    [["", "", ""]],
    // A lone combining mark: width 0 (found by the property below).
    [["\u0301", "a\u0301", "\u200b"]],
  ];
  for (const rows of cases) {
    assert.equal(renderTable(HEAD, rows, ASCII_CHARS), reference(HEAD, rows), JSON.stringify(rows));
  }
});

Deno.test("table: same as cli-table3 for arbitrary text (property)", () => {
  fc.assert(
    fc.property(arbitraryRows, (r) => {
      assert.equal(renderTable(HEAD, r, ASCII_CHARS), reference(HEAD, r));
    }),
    { numRuns: 500 },
  );
});

Deno.test("table: linear in rows (20k rows, where cli-table3 takes ~10 s)", () => {
  const rows = Array.from({ length: 20_000 }, (_, i) => [`user${i}`, `User ${i}`, `user${i}@example.com`]);
  const out = renderTable(HEAD, rows, ASCII_CHARS);
  // Not a timing assertion: the shape proves the whole table was rendered.
  assert.equal(out.split("\n").length, 20_000 + 4);
  assert.ok(out.endsWith("+"));
});

/** tableLines over `rows`, counting how often each row is asked for. */
function lines(head: string[], rows: string[][]) {
  const asked = new Array<number>(rows.length).fill(0);
  const out = [...tableLines(head, rows.length, (i) => {
    asked[i]++;
    return rows[i];
  }, ASCII_CHARS)];
  return { out, asked };
}

Deno.test("tableLines: joined, the same as cli-table3 and renderTable (plain, wide, fallback, empty)", () => {
  const cases: [string, string[][]][] = [
    ["empty table", []],
    ["one row", [["alice", "Alice Anderson", "alice@example.com"]]],
    ["Latin", [["juergen", "Jürgen Müller", ""], ["guel", "Gül Öztürk", "guel@example.com"]]],
    ["wide, combining, emoji", [["日本", "山田 太郎", "x@example.com"], ["e\u0301", "x😀y", "© ®"]]],
    ["fallback: line break", [["a", "b", "c"], ["two\nlines", "x", "y"]]],
    ["fallback: tab and escape", [["tab\there", "esc\x1b[31mred", ""], ["z", "z", "z"]]],
    ["zero-width cells", [["\u0301", "a\u0301", "\u200b"]]],
  ];
  for (const [name, rows] of cases) {
    const { out } = lines(HEAD, rows);
    assert.equal(out.join("\n"), reference(HEAD, rows), name);
    assert.equal(out.join("\n"), renderTable(HEAD, rows, ASCII_CHARS), name);
    assert.ok(out.every((l) => !l.includes("\n")), `${name}: one line per item`);
  }
  // The header-only box: top, header, bottom, no separator.
  assert.deepEqual(lines(HEAD, []).out, [
    "+----------+------+-------+",
    "| Username | Name | Email |",
    "+----------+------+-------+",
  ]);
});

Deno.test("tableLines: no header or ragged rows go to cli-table3 whole", () => {
  const ragged = [["a", "b", "c"], ["only", "two"]];
  assert.equal(lines(HEAD, ragged).out.join("\n"), reference(HEAD, ragged));
  const noHead = [["a", "b"], ["cc", "d"]];
  assert.equal(lines([], noHead).out.join("\n"), reference([], noHead));
});

Deno.test("tableLines: each row is asked for twice (widths, then output), and only as lines are taken", () => {
  const rows = Array.from({ length: 50 }, (_, i) => [`user${i}`, i % 2 ? "山田" : `User ${i}`, `u${i}@x`]);
  const asked = new Array<number>(rows.length).fill(0);
  const it = tableLines(HEAD, rows.length, (i) => {
    asked[i]++;
    return rows[i];
  }, ASCII_CHARS)[Symbol.iterator]();
  // The top border needs every width: one pass, nothing printed yet.
  assert.equal(it.next().value, reference(HEAD, rows).split("\n")[0]);
  assert.deepEqual(asked, new Array(rows.length).fill(1));
  it.next(); // header
  it.next(); // separator
  it.next(); // row 0
  assert.equal(asked[0], 2);
  assert.equal(asked[1], 1);
  while (!it.next().done);
  assert.deepEqual(asked, new Array(rows.length).fill(2));
});

Deno.test("tableLines: the fallback stops measuring at the first multi-line cell and renders all rows", () => {
  const rows = [["a", "b", "c"], ["x\ny", "b", "c"], ["d", "e", "f"]];
  const { out, asked } = lines(HEAD, rows);
  assert.equal(out.join("\n"), reference(HEAD, rows));
  assert.deepEqual(asked, [2, 2, 1]);
});

Deno.test("tableLines: joined, the same as cli-table3 for arbitrary text (property)", () => {
  fc.assert(
    fc.property(arbitraryRows, (r) => {
      assert.equal(lines(HEAD, r).out.join("\n"), reference(HEAD, r));
    }),
    { numRuns: 300 },
  );
});
