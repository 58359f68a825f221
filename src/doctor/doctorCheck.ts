/**
 * One doctor check's result, made here: a plain value (src/report/report.ts DoctorCheck, shown as a
 * line and in --json's `doctor.checks`). `skip` marks a check not run because a link before it
 * failed: saying "ok" or "FAIL" for it would be a guess.
 */
import type { DoctorCheck } from "../report/report.ts";

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
