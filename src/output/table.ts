/**
 * ASCII tables with cli-table3's exact layout (compact style: top border, header, one separator,
 * rows, bottom border), in linear time.
 *
 * Why not cli-table3 itself for every table: its layout manager checks each cell against the cells
 * before it for row/col-span conflicts, which is quadratic in the number of rows (docs/development.md,
 * "cli-table3"). Our tables have no spans, so the layout is just "pad every cell to its column's widest".
 *
 * Widths are cli-table3's own (string-width): a cell made only of printable ASCII/Latin characters
 * is one column per character; any other cell is measured by cli-table3 on a one-cell table, so
 * wide (CJK), combining and emoji characters count exactly as it counts them. A table with a cell
 * containing a control character or a line break is handed to cli-table3 whole (multi-line rows).
 */
import Table from "cli-table3";

/** The border characters, as cli-table3's `chars` option names them. */
export interface TableChars {
  top: string;
  "top-mid": string;
  "top-left": string;
  "top-right": string;
  bottom: string;
  "bottom-mid": string;
  "bottom-left": string;
  "bottom-right": string;
  left: string;
  "left-mid": string;
  mid: string;
  "mid-mid": string;
  right: string;
  "right-mid": string;
  middle: string;
}

/**
 * The original tool's borders (its guide's sample output): `+`, `-` and `|` only. Every table we
 * print uses them, so the users table and the plan look alike.
 */
export const ASCII_CHARS: TableChars = {
  top: "-",
  "top-mid": "+",
  "top-left": "+",
  "top-right": "+",
  bottom: "-",
  "bottom-mid": "+",
  "bottom-left": "+",
  "bottom-right": "+",
  left: "|",
  "left-mid": "+",
  mid: "-",
  "mid-mid": "+",
  right: "|",
  "right-mid": "+",
  middle: "|",
};

/**
 * One display column per UTF-16 unit for these: printable ASCII and Latin-1/Latin Extended/IPA up to
 * U+02FF, except © and ® (emoji-regex may count them as emoji) and the C1 controls.
 */
const SIMPLE = /^[\x20-\x7e\xa0-\xa8\xaa-\xad\xaf-\u02ff]*$/;
/** Cells cli-table3 lays out over several lines or strips: render the whole table with it. */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const SPECIAL = /[\x00-\x1f\x7f-\x9f]/;

function cliTable3(head: readonly string[], rows: readonly (readonly string[])[], chars: TableChars): string {
  const table = new Table({
    head: [...head],
    chars,
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push([...row]);
  return table.toString();
}

/** cli-table3's width of one cell's text (without padding). */
function measured(text: string, chars: TableChars): number {
  if (SIMPLE.test(text)) return text.length;
  // With the normal padding: a zero-width text (a lone combining mark) in a zero-width column is not
  // laid out as zero by cli-table3, so measure the padded column and take the padding off.
  const table = new Table({ chars, style: { head: [], border: [], compact: true } });
  table.push([text]);
  const top = table.toString().split("\n")[0];
  return top.length - 4;
}

/** The rows of a table, produced on demand: `rowAt(i)` for i in [0, rowCount). */
export type RowAt = (index: number) => readonly string[];

/**
 * The lines of the string cli-table3 renders for `head` + rows (compact, no colours, left-aligned),
 * one at a time: `[...tableLines(...)].join("\n")` is that string. Rows are asked for twice (once
 * to find the column widths, once to print them), so a 300k-row plan never holds every row's cells
 * or every line at once. Tables without a header, with ragged rows, or with a cell cli-table3 lays
 * out over several lines are rendered whole by cli-table3 (rare; then the rows are held).
 */
export function* tableLines(
  head: readonly string[],
  rowCount: number,
  rowAt: RowAt,
  chars: TableChars,
): Generator<string, void, undefined> {
  const columns = head.length;
  let fallback = columns === 0 || head.some((c) => SPECIAL.test(c));
  const widths = new Array<number>(columns).fill(0);
  // Widths of cells that are not one column per character, by row * columns + column: measuring
  // them costs a cli-table3 layout each, so the second pass reuses them. Empty for ASCII/Latin.
  const wide = new Map<number, number>();
  const widthOf = (text: string, key: number) => {
    if (SIMPLE.test(text)) return text.length;
    const w = measured(text, chars);
    wide.set(key, w);
    return w;
  };
  for (let c = 0; c < columns && !fallback; c++) widths[c] = Math.max(widths[c], widthOf(head[c], -1 - c));
  for (let r = 0; r < rowCount && !fallback; r++) {
    const row = rowAt(r);
    // Checked for the whole row before measuring any of it, as cli-table3 takes the whole table.
    if (row.length !== columns || row.some((c) => SPECIAL.test(c))) {
      fallback = true;
      break;
    }
    for (let c = 0; c < columns; c++) {
      const w = widthOf(row[c] ?? "", r * columns + c);
      if (w > widths[c]) widths[c] = w;
    }
  }
  if (fallback) {
    const rows = Array.from({ length: rowCount }, (_, r) => rowAt(r));
    yield* cliTable3(head, rows, chars).split("\n");
    return;
  }

  const border = (left: string, fill: string, mid: string, right: string) =>
    left + widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
  const line = (row: readonly string[], keyOf: (c: number) => number) =>
    chars.left +
    widths.map((w, c) => {
      const text = row[c] ?? "";
      const own = wide.get(keyOf(c)) ?? text.length;
      return ` ${text}${" ".repeat(w - own)} `;
    }).join(chars.middle) +
    chars.right;

  yield border(chars["top-left"], chars.top, chars["top-mid"], chars["top-right"]);
  yield line(head, (c) => -1 - c);
  if (rowCount > 0) yield border(chars["left-mid"], chars.mid, chars["mid-mid"], chars["right-mid"]);
  for (let r = 0; r < rowCount; r++) yield line(rowAt(r), (c) => r * columns + c);
  yield border(chars["bottom-left"], chars.bottom, chars["bottom-mid"], chars["bottom-right"]);
}

/**
 * The same string cli-table3 renders for `head` + `rows`: tableLines joined. For tests and small
 * tables; the shell writes big ones line by line (src/output/writeLines.ts).
 */
export function renderTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  chars: TableChars,
): string {
  return [...tableLines(head, rows.length, (i) => rows[i], chars)].join("\n");
}
