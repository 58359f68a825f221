/**
 * Pure helpers for `deno task bench`: medians, ratios against targets, and the results table.
 * No I/O, so the table layout is testable and the bench's figures read the same run to run.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** 1234.5 ms → "1.23 s"; below a second in ms. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

export function formatMb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(0)} MB` : "–";
}

export type Verdict = "PASS" | "MISS" | "info";

/** One line of the results table. `target`/`verdict` are empty for informational figures. */
export interface Row {
  figure: string;
  measured: string;
  target: string;
  verdict: Verdict;
  /** What exactly was run (sizes, runs, concurrency). */
  note: string;
}

export function verdict(value: number, limit: number): Verdict {
  return Number.isFinite(value) && value <= limit ? "PASS" : "MISS";
}

/** A plain-text table: fixed columns, padded, no colours (it goes to CI logs and the closing note). */
export function renderRows(rows: readonly Row[]): string {
  const head = ["figure", "measured", "target", "result", "what ran"];
  const cells = rows.map((
    r,
  ) => [r.figure, r.measured, r.target, r.verdict === "info" ? "" : r.verdict, r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Counts per "METHOD path-shape", ids replaced by {id}, sorted; for the no-op request census. */
export function countRequests(requests: readonly { method: string; path: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const shape = r.path.replace(/\/[0-9a-f]{40}(?=\/|$)/g, "/{id}");
    const key = `${r.method} ${shape}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
