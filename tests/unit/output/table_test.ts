/**
 * src/output/table.ts renders exactly what cli-table3 renders (the original tool's layout, golden-tested
 * elsewhere), for any cell text: ASCII_CHARS, Latin, CJK, combining marks, emoji, controls, line breaks.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { arbitraryRows, HEAD, reference } from "../../support/tableOracle.ts";
import { ASCII_CHARS, renderTable } from "../../../src/output/table.ts";

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
