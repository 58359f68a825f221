/**
 * The guards, evaluated on the plan before anything is written. Pure.
 *
 * 1. -r/--max-remove-limit, as the original defines it (https://www.logintc.com/docs/tools/user-sync/):
 *    a cap on removals (steps that revoke a token: ./stepKinds.ts), default 0; over the cap, NONE is made. The
 *    rest of the plan proceeds.
 * 2. --max-remove-percent P: the same, when the removals would be more than P % of the domain's
 *    current members (a deletion threshold relative to the domain's size, as directory sync
 *    tools commonly offer; docs/operations.md). Given alone it replaces -r's default of 0; with
 *    -r given too, both limits apply.
 *    A reassignment (a reused username: ./stepKinds.ts reassignUser) revokes a token, so it is a
 *    removal; when it is withheld, the rest of that user's steps are withheld with it, and a notice
 *    names each such username with both anchors.
 * 3. An empty directory read never removes anyone, whatever the limits say: a search that
 *    "succeeds" with 0 entries (wrong base, ACLs, a filter typo) is the classic mass-deletion
 *    accident of directory sync tools (docs/operations.md, "What a sync does", guards). A read whose
 *    users are all disabled, with disabled_users = exclude, counts as empty.
 */
import { escapeText } from "../output/escape.ts";
import { countSteps, isRemoval, kindOf, type Step, STEP_KINDS } from "./stepKinds.ts";
import { type GuardedPlan, type Plan, usernameKey } from "./types.ts";

export interface GuardContext {
  /** -r: the most removals allowed; undefined when only --max-remove-percent limits them. */
  maxRemoveLimit: number | undefined;
  /** --max-remove-percent: the most removals allowed, as a percentage of memberCount. */
  maxRemovePercent?: number;
  /**
   * Users the directory read returned that the plan counts as in the directory: without the disabled
   * ones when [sync] disabled_users = exclude (`disabledExcluded` of them).
   */
  directoryCount: number;
  /** Disabled users treated as not in the directory (disabled_users = exclude); default 0. */
  disabledExcluded?: number;
  /** Members the domain has now. */
  memberCount: number;
  baseDn: string;
  filter: string;
}

/** The limits a run's flags give: -r alone, the percentage alone, or both (see above). */
export function removalLimits(
  options: { maxRemoveLimit: number; maxRemoveLimitSet?: boolean; maxRemovePercent?: number },
): Pick<GuardContext, "maxRemoveLimit" | "maxRemovePercent"> {
  const percentOnly = options.maxRemovePercent !== undefined && options.maxRemoveLimitSet !== true;
  return {
    maxRemoveLimit: percentOnly ? undefined : options.maxRemoveLimit,
    ...(options.maxRemovePercent !== undefined ? { maxRemovePercent: options.maxRemovePercent } : {}),
  };
}

/**
 * True when `removals` is more than `percent` % of `members`. Exact for the percentages the flag
 * accepts (at most two decimals): compared in hundredths of a percent, as integers.
 */
export function exceedsPercent(removals: number, members: number, percent: number): boolean {
  return removals * 10_000 > Math.round(percent * 100) * members;
}

export function applyGuards(plan: Plan, ctx: GuardContext): GuardedPlan {
  const removals = plan.steps.filter(isRemoval);
  if (removals.length === 0) return { plan, withheld: [], notices: [] };

  const notices: string[] = [];
  const n = removals.length;
  const excluded = ctx.disabledExcluded ?? 0;
  if (ctx.directoryCount === 0 && ctx.memberCount > 0 && excluded > 0) {
    // A disabled_filter that matches everyone is the same accident as an empty read.
    notices.push(
      `${n} removal(s) withheld: all ${excluded} user(s) the directory read returned are disabled ` +
        `(disabled_users = exclude) while the domain has ${ctx.memberCount} member(s); a read with no ` +
        `enabled user never removes anyone, whatever -r says. Check disabled_filter and filter.`,
    );
  } else if (ctx.directoryCount === 0 && ctx.memberCount > 0) {
    notices.push(
      `${n} removal(s) withheld: the directory read returned 0 users ` +
        `(base_dn "${escapeText(ctx.baseDn)}", filter "${
          escapeText(ctx.filter)
        }") while the domain has ${ctx.memberCount} ` +
        `member(s); an empty read never removes anyone, whatever -r says. ` +
        `Check base_dn, filter and the bind account's read access.`,
    );
  } else {
    if (ctx.maxRemoveLimit !== undefined && n > ctx.maxRemoveLimit) {
      notices.push(
        `${n} removal(s) withheld: more than --max-remove-limit ${ctx.maxRemoveLimit} ` +
          `(-r; over the limit no removal is made); rerun with -r ${n} to allow them.`,
      );
    }
    const percent = ctx.maxRemovePercent;
    if (percent !== undefined && exceedsPercent(n, ctx.memberCount, percent)) {
      const share = Math.round((n * 10_000) / ctx.memberCount) / 100;
      notices.push(
        `${n} removal(s) withheld: ${share}% of the domain's ${ctx.memberCount} member(s), more than ` +
          `--max-remove-percent ${percent} (over the limit no removal is made); rerun with ` +
          `--max-remove-percent ${Math.ceil((n * 100) / ctx.memberCount)} to allow them.`,
      );
    }
  }
  if (notices.length === 0) return { plan, withheld: [], notices: [] };

  const reassignments = removals.filter((step) => kindOf(step).reassigns);
  if (reassignments.length > 0) notices.push(reassignmentNotice(reassignments));
  // A reassigned user's other steps wait for its reassignment (./stepKinds.ts `reassigns`).
  const held = new Set(reassignments.map((step) => usernameKey(step.username)));
  const isHeld = (step: Step) => isRemoval(step) || held.has(usernameKey(step.username));
  const steps = plan.steps.filter((step) => !isHeld(step));
  return {
    plan: { ...plan, steps, counts: countSteps(steps) },
    withheld: plan.steps.filter(isHeld),
    notices,
  };
}

/** How many reassignments are named one by one in the notice; the rest are counted. */
const NAMED = 20;

function reassignmentNotice(steps: readonly Step[]): string {
  const named = steps.slice(0, NAMED).map((step) =>
    step.kind === "reassignUser"
      ? `${escapeText(step.username)} (${escapeText(step.attribute)} ${escapeText(step.from)} → ${
        escapeText(step.to)
      })`
      : escapeText(step.username)
  );
  const more = steps.length > NAMED ? `, and ${steps.length - NAMED} more` : "";
  return `${steps.length} reassignment(s) withheld with the removals: the directory shows another person ` +
    `under the username, and a reassignment revokes the previous person's token; until it is allowed these ` +
    `accounts are not changed at all: ${named.join(", ")}${more}.`;
}

/** Removals the guards withheld (GuardedPlan.withheld also holds the steps that wait for them). */
export function withheldRemovals(checked: GuardedPlan): number {
  return checked.withheld.filter((step) => STEP_KINDS[step.kind].removal).length;
}
