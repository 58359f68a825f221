/**
 * `config.sync`: how this config handles leavers ([sync], docs/configuration.md), and what the ledger
 * the settings rely on holds now (docs/operations.md, "The ledger"): its users, how many this tool
 * manages, and the removed users waiting for their deletion, with the next due date. A warning when
 * remove_scope = managed or delete_after_days needs a ledger that is not there (yet) or cannot be
 * used. Reads only: the ledger is read, never written.
 */
import { readLedger } from "../state/ledgerFile.ts";
import { deletionDue } from "../sync/dueDate.ts";
import { escapeText } from "../output/escape.ts";
import type { DoctorCheck } from "../report/report.ts";
import type { Config } from "../types.ts";
import { ok, warn } from "./doctorCheck.ts";

const ID = "config.sync";

export async function checkLeavers(config: Config, stateDir: string): Promise<DoctorCheck> {
  const s = config.sync;
  const settings = [
    `disabled_users = ${s.disabledUsers}`,
    ...(s.disabledFilter !== undefined ? [`disabled_filter = ${s.disabledFilter}`] : []),
    `protect_users: ${s.protectUsers.length > 0 ? s.protectUsers.map(escapeText).join(", ") : "none"}`,
    `remove_scope = ${s.removeScope}`,
    `delete_after_days = ${s.deleteAfterDays}${s.deleteAfterDays > 0 ? " (with -m delete)" : ""}`,
  ].join("; ");
  const needsLedger = s.removeScope === "managed" || s.deleteAfterDays > 0;
  const read = await readLedger(stateDir, config.logintc.domainId);
  const lines = [settings];
  if (read.ledger !== undefined) {
    const users = read.ledger.users;
    const managed = users.filter((u) => u.managed).length;
    const waiting = users.filter((u) => u.absentSince !== null);
    let absent = `${waiting.length} absent from the directory`;
    if (s.deleteAfterDays > 0 && waiting.length > 0) {
      const next = waiting.map((u) => deletionDue(u.absentSince!, s.deleteAfterDays)).sort()[0];
      absent += ` (the first deletion due on ${next}, if still absent and not a member of another domain)`;
    }
    lines.push(`ledger: ${users.length} user(s), ${managed} managed by this sync, ${absent}`);
    return { ...ok(ID, settings), detail: lines.join("\n") };
  }
  const what = read.problem !== undefined
    ? `ledger ${read.problem}`
    : "no ledger yet: the first real run writes it";
  lines.push(what);
  if (!needsLedger) return { ...ok(ID, settings), detail: lines.join("\n") };
  const consequence = [
    ...(s.removeScope === "managed" ? ["remove_scope = managed removes nobody"] : []),
    ...(s.deleteAfterDays > 0 ? ["delete_after_days deletes nobody"] : []),
  ].join(" and ");
  return {
    ...warn(
      ID,
      settings,
      `until a real run has written the ledger, ${consequence} (docs/operations.md, "The ledger")`,
    ),
    detail: lines.join("\n"),
  };
}
