/**
 * The plan as an admin reads it: a summary line of counts, a table of every step (and every
 * skipped directory user), what the guards withheld and why, and the dry-run footer.
 * Pure: returns the text (renderPlan) or its lines (planLines, which the shell writes in batches:
 * a first sync of 100k users is a 300k-row table); the shell decides where it goes.
 */
import { actionName } from "./steps.ts";
import { escapeControls, escapeText } from "../output/escape.ts";
import { ASCII_CHARS, tableLines } from "../output/table.ts";
import type { CheckedPlan, Skip, Step } from "./types.ts";

export const NOTHING_TO_DO = "Nothing to do: LoginTC is in sync with the directory.";
export const DRY_RUN_FOOTER = "Dry run: nothing was changed.";

export interface RenderOptions {
  dryRun: boolean;
}

/** The plan's text, line by line: the table rows are formatted when they are written. */
export function* planLines(checked: CheckedPlan, options: RenderOptions): Generator<string, void, undefined> {
  const { plan, withheld, notices } = checked;
  if (plan.steps.length === 0 && plan.skipped.length === 0 && withheld.length === 0) {
    yield NOTHING_TO_DO;
  } else {
    yield summaryLine(checked);
    const { steps, skipped } = plan;
    const rows = steps.length + skipped.length;
    if (rows > 0) {
      yield* table(rows, (i) => i < steps.length ? stepRow(steps[i]) : skipRow(skipped[i - steps.length]));
    }
    if (withheld.length > 0) {
      yield "Withheld (not made):";
      yield* table(withheld.length, (i) => stepRow(withheld[i]));
    }
    // Notices are messages (values escaped when built); escapeControls only catches what was not.
    for (const notice of notices) yield escapeControls(notice);
  }
  if (options.dryRun) yield DRY_RUN_FOOTER;
}

/** The whole plan as one string: planLines joined. */
export function renderPlan(checked: CheckedPlan, options: RenderOptions): string {
  return [...planLines(checked, options)].join("\n");
}

/** e.g. `Plan: 2 to create, 1 to update, 3 to add to domain, 0 to remove`. */
function summaryLine(checked: CheckedPlan): string {
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

/**
 * The Detail cell: the step's values (from the directory or LoginTC) terminal-safe
 * (src/output/escape.ts), so the table's widths are those of what is printed.
 */
function stepDetail(step: Step): string {
  const e = escapeText;
  switch (step.kind) {
    case "createUser":
      return `name: ${e(step.name)}, email: ${e(step.email)}`;
    case "updateUser": {
      const parts: string[] = [];
      if (step.changes.name) parts.push(`name: ${e(step.changes.name.from)} → ${e(step.changes.name.to)}`);
      if (step.changes.email) {
        parts.push(`email: ${e(step.changes.email.from)} → ${e(step.changes.email.to)}`);
      }
      return parts.join(", ");
    }
    case "addToDomain":
      return step.userId === undefined ? "" : "already in the organization";
    case "issueToken":
      return step.sendEmail ? "token (email)" : "token (no email)";
    case "addToGroup":
      return `group ${e(step.groupName)}`;
    case "setAlias":
      return step.from === ""
        ? `${step.slot}: ${e(step.to)}`
        : `${step.slot}: ${e(step.from)} → ${e(step.to)}`;
    case "clearAlias":
      return `${step.slot}: cleared`;
    case "addPhone":
      return `phone ${e(step.number)}`;
    case "removeFromDomain":
      return "not in the directory; token revoked";
    case "deleteUser":
      return "not in the directory; deleted from the organization";
  }
}

function stepRow(step: Step): string[] {
  return [escapeText(step.username), actionName(step), stepDetail(step)];
}

function skipRow(skip: Skip): string[] {
  // A reason is a message (its values escaped when built, src/sync/planSync.ts).
  return [escapeText(skip.username), "skip", escapeControls(skip.reason)];
}

const HEAD = ["Username", "Action", "Detail"];

/** cli-table3's layout in linear time (src/output/table.ts): a first sync has three rows per user. */
function table(rowCount: number, rowAt: (i: number) => string[]): Iterable<string> {
  return tableLines(HEAD, rowCount, rowAt, ASCII_CHARS);
}
