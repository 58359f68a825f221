/**
 * The oracle for our table layout: cli-table3 itself, with the original tool's style; and the
 * arbitrary cells (mixed alphabets: ASCII, Latin-1 and beyond, combining marks, CJK, emoji,
 * controls) that the property tests compare us with it on.
 */
import Table from "cli-table3";
import fc from "./fastCheck.ts";
import { ASCII_CHARS } from "../../src/output/table.ts";

export const HEAD = ["Username", "Name", "Email"];

/** What cli-table3 renders for these rows. */
export function reference(head: string[], rows: string[][], chars = ASCII_CHARS): string {
  const t = new Table({ head, chars, style: { head: [], border: [], compact: true } });
  t.push(...rows);
  return t.toString();
}

const char = fc.oneof(
  fc.constantFrom(..."aZ09 @._-+|"),
  fc.integer({ min: 0x20, max: 0x2ff }).map((c) => String.fromCodePoint(c)),
  fc.constantFrom("\u0301", "日", "한", "Ｗ", "😀", "👍🏽", "\u200b", "©", "®", "\t", "\n", "\x85"),
);
const cell = fc.array(char, { maxLength: 8 }).map((cs) => cs.join(""));

/** Up to 6 rows of three arbitrary cells. */
export const arbitraryRows: fc.Arbitrary<string[][]> = fc.array(fc.tuple(cell, cell, cell), { maxLength: 6 })
  .map((rows) => rows.map((r) => [...r]));
