/**
 * The applier: makes a checked plan's steps, phase by phase (create → update → add to domain →
 * token → group → aliases/phones → removals), with bounded concurrency inside a phase.
 *
 * One failed step does not stop the others: one bad record must not hold up every other user
 * (docs/operations.md, "What a sync does"). A step whose prerequisite failed — the user's create,
 * or its domain membership
 * for a token — is skipped with that reason instead of being sent to fail again.
 */
import type { LoginTCApi } from "../logintc/api.ts";
import { mapBounded } from "./bounded.ts";
import {
  type ApplyResult,
  PHASES,
  type Plan,
  type Step,
  type StepFailure,
  type StepSkipped,
  usernameKey,
} from "./types.ts";
import { actionName } from "./steps.ts";
import { messageOf } from "../unknown.ts";

export interface ApplyContext {
  /** Calls in flight at once within a phase. Default 4. */
  concurrency?: number;
  /**
   * Called after each step (done, failed or skipped): steps finished, steps planned, and the
   * outcomes so far (live arrays, in the order steps finished; read them, do not keep them).
   */
  onProgress?(finished: number, total: number, soFar: ApplyResult): void;
}

export async function applyPlan(plan: Plan, api: LoginTCApi, ctx: ApplyContext): Promise<ApplyResult> {
  const done: Step[] = [];
  const failed: StepFailure[] = [];
  const skipped: StepSkipped[] = [];
  const total = plan.steps.length;
  let finished = 0;
  const progress = () => ctx.onProgress?.(++finished, total, { done, failed, skipped });

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

  for (const kinds of PHASES) {
    const steps = plan.steps.filter((s) => kinds.includes(s.kind));
    await mapBounded(steps, ctx.concurrency ?? 4, async (step) => {
      const key = usernameKey(step.username);
      const reason = blocked.get(key) ?? (step.kind === "issueToken" ? notMember.get(key) : undefined);
      const userId = ids.get(key);
      if (reason !== undefined || (step.kind !== "createUser" && userId === undefined)) {
        skipped.push({ step, reason: reason ?? "no LoginTC id for this user" });
        progress();
        return;
      }
      try {
        const id = await runStep(step, userId, api, plan.domainId);
        if (id !== undefined) (ids.set(key, id), createdIds[key] = id);
        done.push(step);
      } catch (error) {
        const message = messageOf(error);
        failed.push({ step, message });
        const why = `${actionName(step)} failed: ${message}`;
        if (step.kind === "createUser") blocked.set(key, why);
        if (step.kind === "addToDomain") notMember.set(key, why);
      }
      progress();
    });
  }
  return {
    done: sortLike(plan, done),
    failed: sortLike(plan, failed),
    skipped: sortLike(plan, skipped),
    createdIds,
  };
}

/** Makes one step; returns the new user's id for a create. */
async function runStep(
  step: Step,
  userId: string | undefined,
  api: LoginTCApi,
  domainId: string,
): Promise<string | undefined> {
  const id = userId!;
  switch (step.kind) {
    case "createUser":
      return (await api.createUser({ username: step.username, name: step.name, email: step.email })).id;
    case "updateUser": {
      const changes: { name?: string; email?: string } = {};
      if (step.changes.name) changes.name = step.changes.name.to;
      if (step.changes.email) changes.email = step.changes.email.to;
      await api.updateUser(id, changes);
      return;
    }
    case "addToDomain":
      await api.addDomainMember(domainId, id);
      return;
    case "issueToken":
      await api.issueToken(domainId, id, { sendEmail: step.sendEmail });
      return;
    case "addToGroup":
      await api.addGroupMember(step.groupId, id);
      return;
    case "setAlias":
      await api.updateUser(id, { [step.slot]: step.to });
      return;
    case "clearAlias":
      // "" clears an alias (src/logintc/extensions.ts).
      await api.updateUser(id, { [step.slot]: "" });
      return;
    case "addPhone":
      await api.addPhone(id, step.number);
      return;
    case "removeFromDomain":
      await api.removeDomainMember(domainId, id);
      return;
    case "deleteUser":
      await api.deleteUser(id);
      return;
  }
}

/** Results in plan order (steps finish in any order under concurrency). */
function sortLike<T extends Step | { step: Step }>(plan: Plan, items: T[]): T[] {
  const order = new Map(plan.steps.map((s, i) => [s, i] as const));
  const index = (item: T) => order.get("kind" in item ? item : item.step) ?? 0;
  return [...items].sort((a, b) => index(a) - index(b));
}
