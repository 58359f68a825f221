/**
 * One doctor check's result: a plain value (src/report/report.ts DoctorCheck). `skip` marks a
 * check not run because a link before it failed: saying "ok" or "FAIL" for it would be a guess.
 */
import type { DoctorCheck } from "../report/report.ts";

export type { DoctorCheck };

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

/** The message of whatever was thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Rejects after `ms` with `message`, so one unanswered link cannot stall the whole checklist. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
