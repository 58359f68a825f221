/**
 * One doctor check's result: a plain value, shown as a line and in --json's `doctor.checks`
 * (src/report/report.ts). `skip` marks a check not run because a link before it failed: saying "ok"
 * or "FAIL" for it would be a guess.
 */

/** skip: not run, because a link before it failed. */
export type CheckStatus = "ok" | "warn" | "FAIL" | "skip";

export interface DoctorCheck {
  /** Stable identifier, e.g. "ldap.bind". */
  id: string;
  status: CheckStatus;
  /** What was found (one line). */
  detail: string;
  /** What to do about a FAIL or warn; null for ok. */
  fix: string | null;
}

export const ok = (id: string, detail: string): DoctorCheck => ({ id, status: "ok", detail, fix: null });
export const warn = (id: string, detail: string, fix: string): DoctorCheck => ({
  id,
  status: "warn",
  detail,
  fix,
});
export const fail = (id: string, detail: string, fix: string): DoctorCheck => ({
  id,
  status: "FAIL",
  detail,
  fix,
});
export const skip = (id: string, why: string): DoctorCheck => ({
  id,
  status: "skip",
  detail: `not checked: ${why}`,
  fix: null,
});
