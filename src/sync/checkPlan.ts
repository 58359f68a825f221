/**
 * The guards, evaluated on the plan before anything is written. Pure.
 *
 * 1. -r/--max-remove-limit, exactly as the original: "Maximum number of remove actions (either
 *    remove from domain or delete) that can be performed. If the limit is reach no remove actions
 *    are made. Default is 0." (logintc-sync-guide.txt). Over the limit, NONE is made; the rest of
 *    the plan proceeds.
 * 2. An empty directory read never removes anyone, whatever -r says: a search that "succeeds"
 *    with 0 entries (wrong base, ACLs, a filter typo) is the classic mass-deletion accident
 *    (peers.md §2 #1).
 */
import { type CheckedPlan, countSteps, isRemoval, type Plan } from "./types.ts";

export interface CheckContext {
  maxRemoveLimit: number;
  /** Users the directory read returned. */
  directoryCount: number;
  /** Members the domain has now. */
  memberCount: number;
  baseDn: string;
  filter: string;
}

export function checkPlan(plan: Plan, ctx: CheckContext): CheckedPlan {
  const removals = plan.steps.filter(isRemoval);
  if (removals.length === 0) return { plan, withheld: [], notices: [] };

  let notice: string | undefined;
  if (ctx.directoryCount === 0 && ctx.memberCount > 0) {
    notice = `${removals.length} removal(s) withheld: the directory read returned 0 users ` +
      `(base_dn "${ctx.baseDn}", filter "${ctx.filter}") while the domain has ${ctx.memberCount} ` +
      `member(s); an empty read never removes anyone, whatever -r says. ` +
      `Check base_dn, filter and the bind account's read access.`;
  } else if (removals.length > ctx.maxRemoveLimit) {
    notice = `${removals.length} removal(s) withheld: more than --max-remove-limit ${ctx.maxRemoveLimit} ` +
      `(-r; over the limit no removal is made); rerun with -r ${removals.length} to allow them.`;
  }
  if (notice === undefined) return { plan, withheld: [], notices: [] };

  const steps = plan.steps.filter((step) => !isRemoval(step));
  return {
    plan: { ...plan, steps, counts: countSteps(steps) },
    withheld: removals,
    notices: [notice],
  };
}
