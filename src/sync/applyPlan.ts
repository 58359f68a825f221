/**
 * The applier: makes a guarded plan's steps, phase by phase (create → update → add to domain →
 * token → group → aliases/phones → removals), with bounded concurrency inside a phase.
 *
 * One failed step does not stop the others: one bad record must not hold up every other user
 * (docs/operations.md, "What a sync does"). A step whose prerequisite failed — the user's create,
 * or its reassignment, or its domain membership for a token (./stepKinds.ts) — is not attempted,
 * with that reason, instead of being sent to fail again.
 *
 * Two things stop it from starting further steps: a refused credential (401/403 from LoginTC, 407
 * from the proxy: every later request would be refused the same way), and its `signal` (SIGTERM,
 * a time limit). Steps in flight may finish for a few seconds; the result says what was made, what
 * was still in flight (its outcome unknown) and how many never started.
 */
import { LoginTCError } from "../errors.ts";
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

/** One step's outcome, as it happens. */
export interface StepEvent {
  step: Step;
  outcome: "done" | "failed" | "not-attempted";
  /** The user's LoginTC id the step used (or got, for a create); undefined when none was known. */
  userId?: string;
  /** Why it failed (the error's message) or was not attempted. */
  reason?: string;
  /** LoginTC's answer to a failed step, when it answered. */
  answer?: StepFailure["answer"];
  /** Steps finished so far, this one included, and steps planned. */
  finished: number;
  total: number;
}

export interface ApplyContext {
  /** Calls in flight at once within a phase. Default 4. */
  concurrency?: number;
  /**
   * Stops the run: once it aborts, no further step starts. Steps in flight may finish for up to
   * `graceMs`; the result then says what was made (`stopped`). Its reason is what the run reports
   * (a RunStopped for a signal or a time limit: src/errors.ts).
   */
  signal?: AbortSignal;
  /** How long steps in flight may still finish once stopped. Default STOP_GRACE_MS. */
  graceMs?: number;
  /** Called as each step finishes (done, failed or not attempted), in the order they finish. */
  onStep?(event: StepEvent): void;
}

/** Long enough for a LoginTC answer already on its way; short of systemd's 90 s stop timeout. */
export const STOP_GRACE_MS = 5_000;

/** What LoginTC answered, when the error carries its answer (src/logintc/failures.ts). */
function answerOf(error: unknown): Pick<StepFailure, "answer" | "refusedCredentials"> {
  if (!(error instanceof LoginTCError)) return {};
  const { status, code, apiMessage, credentials } = error.details;
  return {
    ...(status !== undefined ? { answer: { status, code, message: apiMessage } } : {}),
    ...(credentials !== undefined ? { refusedCredentials: true } : {}),
  };
}

/**
 * A failed step whose error says the credentials were refused (401/403 from LoginTC, 407 from the
 * proxy: src/logintc/failures.ts): every later request would fail the same way.
 */
function refusedCredentials(error: unknown): error is LoginTCError {
  return error instanceof LoginTCError && error.details.credentials !== undefined;
}

export async function applyPlan(plan: Plan, api: LoginTCApi, ctx: ApplyContext): Promise<ApplyResult> {
  const done: Step[] = [];
  const failed: StepFailure[] = [];
  const notAttempted: StepNotAttempted[] = [];
  const inFlight = new Set<Step>();
  const total = plan.steps.length;
  let finished = 0;
  /** Set when applyPlan has returned: a step still in flight then changes nothing here. */
  let over = false;
  const report = (event: Omit<StepEvent, "finished" | "total">) =>
    ctx.onStep?.({ ...event, finished: ++finished, total });

  // A refused credential stops the run from inside; a signal or time limit from outside.
  const refused = new AbortController();
  const stop = ctx.signal ? AbortSignal.any([ctx.signal, refused.signal]) : refused.signal;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  let graceOver = false;
  const grace = new Promise<void>((resolve) => {
    const start = () => {
      graceTimer = setTimeout(() => {
        graceOver = true;
        resolve();
      }, ctx.graceMs ?? STOP_GRACE_MS);
    };
    if (stop.aborted) start();
    else stop.addEventListener("abort", start, { once: true });
  });

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

  try {
    for (const phase of PHASES) {
      if (stop.aborted) break;
      const steps = plan.steps.filter((s) => STEP_KINDS[s.kind].phase === phase);
      const phaseDone = mapBounded(steps, ctx.concurrency ?? 4, async (step) => {
        if (stop.aborted) return;
        const kind = kindOf(step);
        const key = usernameKey(step.username);
        const reason = blocked.get(key) ?? (kind.needsMembership ? notMember.get(key) : undefined);
        const userId = ids.get(key);
        if (reason !== undefined || (!kind.createsUser && userId === undefined)) {
          const why = reason ?? "no LoginTC id for this user";
          notAttempted.push({ step, reason: why });
          report({ step, outcome: "not-attempted", userId, reason: why });
          return;
        }
        inFlight.add(step);
        try {
          const id = await kind.apply(step, { api, domainId: plan.domainId, userId: userId ?? "" });
          if (over) return;
          if (typeof id === "string") (ids.set(key, id), createdIds[key] = id);
          done.push(step);
          report({ step, outcome: "done", userId: typeof id === "string" ? id : userId });
        } catch (error) {
          if (over) return;
          const message = messageOf(error);
          const answer = answerOf(error);
          failed.push({ step, message, ...answer });
          const why = `${stepLabel(step)} failed: ${message}`;
          if (kind.createsUser || kind.reassigns) blocked.set(key, why);
          if (kind.grantsMembership) notMember.set(key, why);
          report({ step, outcome: "failed", userId, reason: message, answer: answer.answer });
          if (refusedCredentials(error) && !refused.signal.aborted) refused.abort(error);
        } finally {
          inFlight.delete(step);
        }
      });
      await Promise.race([phaseDone, grace]);
      if (graceOver) break;
    }
  } finally {
    over = true;
    clearTimeout(graceTimer);
  }
  const result: ApplyResult = {
    done: sortLike(plan, done),
    failed: sortLike(plan, failed),
    notAttempted: sortLike(plan, notAttempted),
    createdIds,
  };
  if (stop.aborted) {
    const unknown = sortLike(plan, [...inFlight]);
    result.stopped = {
      reason: refused.signal.aborted ? refused.signal.reason : stop.reason,
      inFlight: unknown,
      notStarted: total - done.length - failed.length - notAttempted.length - unknown.length,
    };
  }
  return result;
}

/** Results in plan order (steps finish in any order under concurrency). */
function sortLike<T extends Step | { step: Step }>(plan: Plan, items: T[]): T[] {
  const order = new Map(plan.steps.map((s, i) => [s, i] as const));
  const index = (item: T) => order.get("kind" in item ? item : item.step) ?? 0;
  return [...items].sort((a, b) => index(a) - index(b));
}
