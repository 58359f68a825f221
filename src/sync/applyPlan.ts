/**
 * The applier: makes a guarded plan's steps, phase by phase (create → update → add to domain →
 * token → group → aliases/phones → removals), with bounded concurrency inside a phase.
 *
 * One failed step does not stop the others: one bad record must not hold up every other user
 * (docs/operations.md, "What a sync does"). A step whose prerequisite failed — the user's create,
 * or its reassignment, or its domain membership for a token (./stepKinds.ts) — is not attempted, with that reason,
 * instead of being sent to fail again.
 */
import type { LoginTCApi } from "../logintc/api.ts";
import { mapBounded } from "./bounded.ts";
import { kindOf, PHASES, type Step, STEP_KINDS, stepLabel } from "./stepKinds.ts";
import {
  type ApplyResult,
  type Plan,
  type StepFailure,
  type StepNotAttempted,
  usernameKey,
} from "./types.ts";
import { messageOf } from "../unknown.ts";

export interface ApplyContext {
  /** Calls in flight at once within a phase. Default 4. */
  concurrency?: number;
  /**
   * Called after each step (done, failed or not attempted): steps finished, steps planned, and the
   * outcomes so far (live arrays, in the order steps finished; read them, do not keep them).
   */
  onProgress?(finished: number, total: number, soFar: ApplyResult): void;
}

export async function applyPlan(plan: Plan, api: LoginTCApi, ctx: ApplyContext): Promise<ApplyResult> {
  const done: Step[] = [];
  const failed: StepFailure[] = [];
  const notAttempted: StepNotAttempted[] = [];
  const total = plan.steps.length;
  let finished = 0;
  const progress = () => ctx.onProgress?.(++finished, total, { done, failed, notAttempted });

  /** username key → LoginTC id, from the plan and from creates as they succeed. */
  const ids = new Map<string, string>();
  for (const step of plan.steps) {
    if ("userId" in step && step.userId !== undefined) ids.set(usernameKey(step.username), step.userId);
  }
  const createdIds: Record<string, string> = {};
  /** username key → why its later steps cannot run. */
  const blocked = new Map<string, string>();
  /** username key → why its token cannot be issued (membership failed). */
  const notMember = new Map<string, string>();

  for (const phase of PHASES) {
    const steps = plan.steps.filter((s) => STEP_KINDS[s.kind].phase === phase);
    await mapBounded(steps, ctx.concurrency ?? 4, async (step) => {
      const kind = kindOf(step);
      const key = usernameKey(step.username);
      const reason = blocked.get(key) ?? (kind.needsMembership ? notMember.get(key) : undefined);
      const userId = ids.get(key);
      if (reason !== undefined || (!kind.createsUser && userId === undefined)) {
        notAttempted.push({ step, reason: reason ?? "no LoginTC id for this user" });
        progress();
        return;
      }
      try {
        const id = await kind.apply(step, { api, domainId: plan.domainId, userId: userId ?? "" });
        if (typeof id === "string") (ids.set(key, id), createdIds[key] = id);
        done.push(step);
      } catch (error) {
        const message = messageOf(error);
        failed.push({ step, message });
        const why = `${stepLabel(step)} failed: ${message}`;
        if (kind.createsUser || kind.reassigns) blocked.set(key, why);
        if (kind.grantsMembership) notMember.set(key, why);
      }
      progress();
    });
  }
  return {
    done: sortLike(plan, done),
    failed: sortLike(plan, failed),
    notAttempted: sortLike(plan, notAttempted),
    createdIds,
  };
}

/** Results in plan order (steps finish in any order under concurrency). */
function sortLike<T extends Step | { step: Step }>(plan: Plan, items: T[]): T[] {
  const order = new Map(plan.steps.map((s, i) => [s, i] as const));
  const index = (item: T) => order.get("kind" in item ? item : item.step) ?? 0;
  return [...items].sort((a, b) => index(a) - index(b));
}
