/**
 * The `--json` renderer: the run's report as one JSON document. stringifyJson escapes every control
 * and bidi character in strings (JSON.stringify alone leaves DEL, C1 and bidi raw), so directory and
 * LoginTC data cannot reach a terminal raw through this path (src/output/escape.ts).
 */
import { stringifyJson } from "../output/escape.ts";
import type { RunReport } from "./report.ts";

export function renderJson(report: RunReport): string {
  return stringifyJson(report, 2);
}
