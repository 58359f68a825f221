/**
 * The plan as an admin reads it: a summary line of counts, a table of every step (and every
 * skipped directory user), what the guards withheld and why, and the dry-run footer.
 * Pure: returns the text; the shell decides where it goes.
 */
import { renderTable } from "../table.ts";
import type { CheckedPlan, Skip, Step } from "./types.ts";
import { isRemoval } from "./types.ts";

export const NOTHING_TO_DO = "Nothing to do: LoginTC is in sync with the directory.";
export const DRY_RUN_FOOTER = "Dry run: nothing was changed.";

/** The users table's ASCII style (lab-notes.md, cli-table3): same look across the tool. */
const TABLE_CHARS = {
  top: "-",
  "top-mid": "+",
  "top-left": "+",
  "top-right": "+",
  bottom: "-",
  "bottom-mid": "+",
  "bottom-left": "+",
  "bottom-right": "+",
  left: "|",
  "left-mid": "+",
  mid: "-",
  "mid-mid": "+",
  right: "|",
  "right-mid": "+",
  middle: "|",
};

export interface RenderOptions {
  dryRun: boolean;
}

export function renderPlan(checked: CheckedPlan, options: RenderOptions): string {
  const { plan, withheld, notices } = checked;
  const lines: string[] = [];
  if (plan.steps.length === 0 && plan.skipped.length === 0 && withheld.length === 0) {
    lines.push(NOTHING_TO_DO);
  } else {
    lines.push(summaryLine(checked));
    const rows = [...plan.steps.map(stepRow), ...plan.skipped.map(skipRow)];
    if (rows.length > 0) lines.push(table(rows));
    if (withheld.length > 0) {
      lines.push("Withheld (not made):");
      lines.push(table(withheld.map(stepRow)));
    }
    lines.push(...notices);
  }
  if (options.dryRun) lines.push(DRY_RUN_FOOTER);
  return lines.join("\n");
}

/** e.g. `Plan: 2 to create, 1 to update, 3 to add to domain, 0 to remove`. */
export function summaryLine(checked: CheckedPlan): string {
  const c = checked.plan.counts;
  const parts = [
    `${c.createUser} to create`,
    `${c.updateUser} to update`,
    `${c.addToDomain} to add to domain`,
  ];
  if (c.issueToken > 0) parts.push(`${c.issueToken} token(s) to issue`);
  if (c.addToGroup > 0) parts.push(`${c.addToGroup} to add to group`);
  const aliases = c.setAlias + c.clearAlias;
  if (aliases > 0) parts.push(`${aliases} alias change(s)`);
  if (c.addPhone > 0) parts.push(`${c.addPhone} phone(s) to add`);
  const removals = c.removeFromDomain + c.deleteUser;
  parts.push(
    `${removals} to remove` + (checked.withheld.length > 0 ? ` (${checked.withheld.length} withheld)` : ""),
  );
  if (checked.plan.skipped.length > 0) parts.push(`${checked.plan.skipped.length} skipped`);
  return `Plan: ${parts.join(", ")}`;
}

const ACTION: Record<Step["kind"], string> = {
  createUser: "create",
  updateUser: "update",
  addToDomain: "add to domain",
  issueToken: "issue token",
  addToGroup: "add to group",
  setAlias: "set alias",
  clearAlias: "clear alias",
  addPhone: "add phone",
  removeFromDomain: "remove from domain",
  deleteUser: "delete user",
};

export function actionName(step: Step): string {
  return ACTION[step.kind];
}

export function stepDetail(step: Step): string {
  switch (step.kind) {
    case "createUser":
      return `name: ${step.name}, email: ${step.email}`;
    case "updateUser": {
      const parts: string[] = [];
      if (step.changes.name) parts.push(`name: ${step.changes.name.from} → ${step.changes.name.to}`);
      if (step.changes.email) parts.push(`email: ${step.changes.email.from} → ${step.changes.email.to}`);
      return parts.join(", ");
    }
    case "addToDomain":
      return step.userId === undefined ? "" : "already in the organization";
    case "issueToken":
      return step.sendEmail ? "token (email)" : "token (no email)";
    case "addToGroup":
      return `group ${step.groupName}`;
    case "setAlias":
      return step.from === "" ? `${step.slot}: ${step.to}` : `${step.slot}: ${step.from} → ${step.to}`;
    case "clearAlias":
      return `${step.slot}: cleared`;
    case "addPhone":
      return `phone ${step.number}`;
    case "removeFromDomain":
      return "not in the directory; token revoked";
    case "deleteUser":
      return "not in the directory; deleted from the organization";
  }
}

function stepRow(step: Step): string[] {
  return [step.username, actionName(step), stepDetail(step)];
}

function skipRow(skip: Skip): string[] {
  return [skip.username, "skip", skip.reason];
}

/** cli-table3's layout in linear time (src/table.ts): a first sync has three rows per user. */
function table(rows: string[][]): string {
  return renderTable(["Username", "Action", "Detail"], rows, TABLE_CHARS);
}

/** For the shell: true when the guards held something back (exit code 3). */
export function hasWithheld(checked: CheckedPlan): boolean {
  return checked.withheld.some(isRemoval);
}
