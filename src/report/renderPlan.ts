/**
 * The plan as an admin reads it: a summary line of counts, a table of every step (and every
 * directory user the plan leaves out, as a "skip" row), what the guards withheld and why, the members
 * kept and the directory's disabled users, and the dry-run footer.
 * Pure: returns the text (renderPlan) or its lines (planLines, which the shell writes in batches:
 * a first sync of 100k users is a 300k-row table); the shell decides where it goes.
 */
import { escapeControls, escapeText } from "../output/escape.ts";
import { ASCII_CHARS, tableLines } from "../output/table.ts";
import { kindOf, KINDS, type Step, STEP_KINDS, stepLabel, type SummaryPart } from "../sync/stepKinds.ts";
import { keptDetail } from "../sync/kept.ts";
import {
  type DisabledSummary,
  type GuardedPlan,
  type LeftOut,
  type Rename,
  usernameKey,
} from "../sync/types.ts";

export const NOTHING_TO_DO = "Nothing to do: LoginTC is in sync with the directory.";
export const DRY_RUN_FOOTER = "Dry run: nothing was changed.";

export interface RenderOptions {
  dryRun: boolean;
}

/**
 * The plan's text, line by line: the table rows are formatted when they are written. Members kept
 * and the directory's disabled users are decisions, not changes: they follow "Nothing to do" too.
 */
export function* planLines(guarded: GuardedPlan, options: RenderOptions): Generator<string, void, undefined> {
  const { plan, withheld, notices } = guarded;
  if (plan.steps.length === 0 && plan.leftOut.length === 0 && withheld.length === 0) {
    yield NOTHING_TO_DO;
  } else {
    yield summaryLine(guarded);
    yield* identityLines(guarded);
    const { steps, leftOut } = plan;
    const rows = steps.length + leftOut.length;
    if (rows > 0) {
      yield* table(rows, (i) => i < steps.length ? stepRow(steps[i]) : leftOutRow(leftOut[i - steps.length]));
    }
    if (withheld.length > 0) {
      yield "Withheld (not made):";
      yield* table(withheld.length, (i) => stepRow(withheld[i]));
    }
    // Notices are messages (values escaped when built); escapeControls only catches what was not.
    for (const notice of notices) yield escapeControls(notice);
  }
  const { kept, disabled } = plan;
  if (kept.length > 0) {
    yield "Kept (not removed):";
    yield* table(kept.length, (i) => [escapeText(kept[i].username), "keep", keptDetail(kept[i])]);
  }
  const line = disabledLine(disabled);
  if (line !== undefined) yield line;
  if (options.dryRun) yield DRY_RUN_FOOTER;
}

/** How many disabled users the plan's line names; --json and the job record have the rest. */
export const DISABLED_NAMED = 20;

/**
 * `3 user(s) are disabled in the directory and keep their tokens (disabled_users = include): a (…), …`:
 * with include, what a security team would want to know; with exclude, who is treated as gone.
 */
export function disabledLine(disabled: DisabledSummary): string | undefined {
  const { users } = disabled;
  if (users.length === 0) return undefined;
  const named = users.slice(0, DISABLED_NAMED).map((u) =>
    `${escapeText(u.username)} (${escapeControls(u.reason)})`
  );
  const more = users.length > DISABLED_NAMED ? `, and ${users.length - DISABLED_NAMED} more` : "";
  const what = disabled.handling === "include"
    ? "keep their tokens (disabled_users = include)"
    : "are treated as not in it (disabled_users = exclude)";
  return `${users.length} user(s) are disabled in the directory and ${what}: ${named.join(", ")}${more}.`;
}

/** The whole plan as one string: planLines joined. */
export function renderPlan(guarded: GuardedPlan, options: RenderOptions): string {
  return [...planLines(guarded, options)].join("\n");
}

/** e.g. `Plan: 2 to create, 1 to update, 3 to add to domain, 0 to remove`: parts from ../sync/stepKinds.ts. */
function summaryLine(guarded: GuardedPlan): string {
  const { counts, leftOut } = guarded.plan;
  const parts: { part: SummaryPart; n: number }[] = [];
  for (const kind of KINDS) {
    const { summary } = STEP_KINDS[kind];
    const same = parts.find((p) => p.part === summary);
    if (same) same.n += counts[kind];
    else parts.push({ part: summary, n: counts[kind] });
  }
  // Each part counts the withheld steps of its own kinds (removals, reassignments).
  const withheldOf = (part: SummaryPart) =>
    guarded.withheld.filter((step) => STEP_KINDS[step.kind].summary === part).length;
  const words = parts.filter(({ part, n }) => part.always || n > 0 || (part.withheld && withheldOf(part) > 0))
    .map(({ part, n }) => {
      const withheld = part.withheld ? withheldOf(part) : 0;
      return `${n} ${part.words}` + (withheld > 0 ? ` (${withheld} withheld)` : "");
    });
  if (leftOut.length > 0) words.push(`${leftOut.length} skipped`);
  if (guarded.plan.kept.length > 0) words.push(`${guarded.plan.kept.length} kept`);
  return `Plan: ${words.join(", ")}`;
}

/**
 * Reassignments (a reused username) and renames (one person under a new username), with the old and
 * the new identity: their own section, so a change of person is never just a row among updates.
 */
function* identityLines(guarded: GuardedPlan): Generator<string, void, undefined> {
  const { plan, withheld } = guarded;
  const reassigned = [...plan.steps, ...withheld].filter((s) => s.kind === "reassignUser");
  const renames = plan.renames ?? [];
  if (reassigned.length === 0 && renames.length === 0) return;
  const held = new Set(withheld);
  const leaverFate = leaverFates(renames, guarded);
  const rows: string[][] = [
    ...reassigned.map((step) => [
      escapeText(step.username),
      "reassign",
      held.has(step) && step.kind === "reassignUser"
        ? `${escapeText(step.attribute)} ${escapeText(step.from)} → ${escapeText(step.to)}: WITHHELD, the ` +
          "account is not changed"
        : kindOf(step).detail(step),
    ]),
    ...renames.map((r) => [
      `${escapeText(r.from)} → ${escapeText(r.to)}`,
      "rename",
      `${escapeText(r.attribute)} ${escapeText(r.anchor)}: ${escapeText(r.to)} is added as a new user ` +
      `(LoginTC cannot rename one); ${escapeText(r.from)} ${leaverFate(r)}`,
    ]),
  ];
  yield "Reassignments and renames:";
  yield* table(rows.length, (i) => rows[i]);
}

/** What this plan does with each rename's old username (one pass over the removals). */
function leaverFates(renames: readonly Rename[], guarded: GuardedPlan): (rename: Rename) => string {
  const removals = new Map<string, string>();
  if (renames.length > 0) {
    const isLeaver = (s: Step) => STEP_KINDS[s.kind].phase === "remove";
    for (const step of guarded.withheld.filter(isLeaver)) {
      removals.set(usernameKey(step.username), "stays: its removal is withheld");
    }
    for (const step of guarded.plan.steps.filter(isLeaver)) {
      removals.set(
        usernameKey(step.username),
        step.kind === "deleteUser" ? "is deleted" : "is removed from the domain",
      );
    }
  }
  return (rename) =>
    removals.get(usernameKey(rename.from)) ?? "stays a member (removed only with -m remove or -m delete)";
}

function stepRow(step: Step): string[] {
  return [escapeText(step.username), stepLabel(step), kindOf(step).detail(step)];
}

function leftOutRow(user: LeftOut): string[] {
  // A reason is a message (its values escaped when built, src/sync/planSync.ts).
  return [escapeText(user.username), "skip", escapeControls(user.reason)];
}

const HEAD = ["Username", "Action", "Detail"];

/** cli-table3's layout in linear time (src/output/table.ts): a first sync has three rows per user. */
function table(rowCount: number, rowAt: (i: number) => string[]): Iterable<string> {
  return tableLines(HEAD, rowCount, rowAt, ASCII_CHARS);
}
