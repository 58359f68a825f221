/**
 * `--check`: a dry run whose exit code answers "is LoginTC in sync with the directory?", for CI
 * (as terraform's `plan -detailed-exitcode` does for infrastructure). Pure.
 *
 * - 3 (GUARD): a real run would withhold removals — a person must look, whatever else is pending;
 * - 6 (PENDING): a real run would write;
 * - 5 (UNSUPPORTED): nothing pending, but a feature the config or flags ask for is one this
 *   LoginTC lacks, so a real run would skip it — and end with 5 too. 3 and 6 win over it: they
 *   say more about what a real run would do (docs/operations.md, "CI: `--check` and `--json`").
 * - 0: nothing to write. Directory users the plan skips (no name or email) are not pending: a
 *   real run would not write them either; they show in the plan and in --json.
 * Errors keep their codes (1, 2).
 */
import { ExitCode } from "../errors.ts";
import type { GuardedPlan } from "../sync/types.ts";
import { withheldRemovals } from "../sync/guards.ts";

/** `unavailableFeatures`: how many configured features this LoginTC lacks (src/logintc/capabilities.ts). */
export function checkExitCode(checked: GuardedPlan, unavailableFeatures = 0): ExitCode {
  if (checked.withheld.length > 0) return ExitCode.GUARD;
  if (checked.plan.steps.length > 0) return ExitCode.PENDING;
  if (unavailableFeatures > 0) return ExitCode.UNSUPPORTED;
  return ExitCode.OK;
}

/** The one line --check adds after the dry run's output. */
export function checkVerdict(checked: GuardedPlan, unavailableFeatures = 0): string {
  const code = checkExitCode(checked, unavailableFeatures);
  if (code === ExitCode.GUARD) {
    return `Check: a real run would withhold ${withheldRemovals(checked)} removal(s) (exit 3).`;
  }
  if (code === ExitCode.PENDING) {
    return `Check: ${checked.plan.steps.length} change(s) pending (exit 6).`;
  }
  if (code === ExitCode.UNSUPPORTED) {
    return `Check: in sync, but ${unavailableFeatures} configured feature(s) this LoginTC lacks would be skipped ` +
      "(exit 5).";
  }
  return "Check: in sync (exit 0).";
}
