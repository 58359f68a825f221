/**
 * What became of a run's planned steps, per kind: made, failed, not attempted, in flight when the
 * run stopped (outcome unknown), never started. For the audit trail's run line and the metrics.
 */
import { KINDS, type StepKind } from "../sync/stepKinds.ts";
import type { ApplyResult } from "../sync/types.ts";
import type { Step } from "../sync/stepKinds.ts";

export const OUTCOMES = ["done", "failed", "notAttempted", "inFlight", "notStarted"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type OutcomeCounts = Record<Outcome, number>;
export type StepOutcomes = Record<StepKind, OutcomeCounts>;

const none = (): OutcomeCounts => ({ done: 0, failed: 0, notAttempted: 0, inFlight: 0, notStarted: 0 });

/** Every planned step counted once, under its kind and outcome. */
export function tallySteps(steps: readonly Step[], result: ApplyResult): StepOutcomes {
  const tally = Object.fromEntries(KINDS.map((k) => [k, none()])) as StepOutcomes;
  const seen = new Set<Step>();
  const count = (step: Step, outcome: Outcome) => {
    seen.add(step);
    tally[step.kind][outcome]++;
  };
  for (const step of result.done) count(step, "done");
  for (const { step } of result.failed) count(step, "failed");
  for (const { step } of result.notAttempted) count(step, "notAttempted");
  for (const step of result.stopped?.inFlight ?? []) count(step, "inFlight");
  for (const step of steps) if (!seen.has(step)) count(step, "notStarted");
  return tally;
}

/** The same, summed over the kinds. */
export function totalOutcomes(tally: StepOutcomes): OutcomeCounts {
  const total = none();
  for (const counts of Object.values(tally)) for (const o of OUTCOMES) total[o] += counts[o];
  return total;
}
