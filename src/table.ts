/**
 * ASCII tables with cli-table3's exact layout (compact style: top border, header, one separator,
 * rows, bottom border), in linear time.
 *
 * Why not cli-table3 itself for every table: its layout manager checks each cell against the cells
 * before it for row/col-span conflicts, which is quadratic in the number of rows (measured with
 * `deno task bench`: 20k rows 10 s, 40k rows 44 s; 100k users would take minutes and > 200 MB on
 * every run). Our tables have no spans, so the layout is just "pad every cell to its column's widest".
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

/**
 * The same string cli-table3 renders for `head` + `rows` (compact, no colours, left-aligned).
 * Tables without a header or with ragged rows are left to cli-table3 (we have none).
 */
export function renderTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  chars: TableChars,
): string {
  const unusual = head.length === 0 || rows.some((r) => r.length !== head.length);
  if (unusual || head.some((c) => SPECIAL.test(c)) || rows.some((r) => r.some((c) => SPECIAL.test(c)))) {
    return cliTable3(head, rows, chars);
  }
  const columns = head.length;
  const widths = new Array<number>(columns).fill(0);
  const cellWidths = (row: readonly string[]) =>
    Array.from({ length: columns }, (_, i) => {
      const w = measured(row[i] ?? "", chars);
      if (w > widths[i]) widths[i] = w;
      return w;
    });
  const headWidths = cellWidths(head);
  const rowWidths = rows.map(cellWidths);

  const border = (left: string, fill: string, mid: string, right: string) =>
    left + widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
  const line = (row: readonly string[], own: number[]) =>
    chars.left +
    widths.map((w, i) => ` ${row[i] ?? ""}${" ".repeat(w - own[i])} `).join(chars.middle) +
    chars.right;

  const out = [border(chars["top-left"], chars.top, chars["top-mid"], chars["top-right"])];
  out.push(line(head, headWidths));
  if (rows.length > 0) out.push(border(chars["left-mid"], chars.mid, chars["mid-mid"], chars["right-mid"]));
  for (let r = 0; r < rows.length; r++) out.push(line(rows[r], rowWidths[r]));
  out.push(border(chars["bottom-left"], chars.bottom, chars["bottom-mid"], chars["bottom-right"]));
  return out.join("\n");
}
