/**
 * The checklist as text: one line per check, `ok`, `warn`, `FAIL` or `skip`, its id and what was
 * found; under a FAIL or warn, the fix. Values from the directory, LoginTC or certificates are
 * escaped (src/output/escape.ts): a hostile name cannot drive the terminal.
 */
import { escapeControls } from "../output/escape.ts";
import type { DoctorCheck } from "../report/report.ts";

const ID_WIDTH = 19;
/** Where the detail starts: status (5), a space, the id, a space. */
const INDENT = " ".repeat(5 + 1 + ID_WIDTH + 1);

export function renderCheck(check: DoctorCheck): string {
  const [first, ...more] = check.detail.split("\n").map((l) => escapeControls(l));
  const lines = [`${check.status.padEnd(5)} ${check.id.padEnd(ID_WIDTH)} ${first}`];
  for (const line of more) lines.push(`${INDENT}  ${line}`);
  if (check.fix !== null) lines.push(`${INDENT}fix: ${escapeControls(check.fix)}`);
  return lines.join("\n");
}

export function renderSummary(checks: readonly DoctorCheck[]): string {
  const count = (s: DoctorCheck["status"]) => checks.filter((c) => c.status === s).length;
  const failed = count("FAIL");
  return `Doctor: ${checks.length} check(s): ${count("ok")} ok, ${count("warn")} warn, ${failed} FAIL, ` +
    `${count("skip")} skipped.` +
    (failed > 0 ? " Fix the first FAIL first: later ones often follow from it." : "");
}
