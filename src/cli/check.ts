/**
 * `--check`: a dry run whose exit code answers "is LoginTC in sync with the directory?", for CI
 * (as terraform's `plan -detailed-exitcode` does for infrastructure). Pure.
 *
 * - 3 (GUARD): a real run would withhold removals — a person must look, whatever else is pending;
 * - 6 (PENDING): a real run would write;
 * - 0: nothing to write. Directory users the plan skips (no name or email) are not pending: a
 *   real run would not write them either; they show in the plan and in --json.
 * Errors keep their codes (1, 2). How 5 fits is in docs/operations.md.
 */
import { ExitCode } from "../errors.ts";
import type { CheckedPlan } from "../sync/types.ts";

export function checkExitCode(checked: CheckedPlan): ExitCode {
  if (checked.withheld.length > 0) return ExitCode.GUARD;
  if (checked.plan.steps.length > 0) return ExitCode.PENDING;
  return ExitCode.OK;
}

/** The one line --check adds after the dry run's output. */
export function checkVerdict(checked: CheckedPlan): string {
  const code = checkExitCode(checked);
  if (code === ExitCode.GUARD) {
    return `Check: a real run would withhold ${checked.withheld.length} removal(s) (exit 3).`;
  }
  if (code === ExitCode.PENDING) {
    return `Check: ${checked.plan.steps.length} change(s) pending (exit 6).`;
  }
  return "Check: in sync (exit 0).";
}
