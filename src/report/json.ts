/**
 * The `--json` renderer: the run's report as one JSON document. JSON.stringify escapes every
 * control character in strings (ECMA-262 JSON.stringify, QuoteJSONString), so directory and
 * LoginTC data cannot reach a terminal raw through this path.
 */
import type { RunReport } from "./report.ts";

export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2);
}
