/**
 * From the capability probe's verdict (src/logintc/capabilities.ts) to what the sync does: how
 * the planner treats each extension feature, and the exit code when a configured feature is
 * unavailable (the probe turned it off for this run: ExitCode.UNSUPPORTED, docs/operations.md). Pure.
 */
import { ExitCode } from "../errors.ts";
import {
  type Capabilities,
  type Feature,
  type FeatureCheck,
  PLANNED_FEATURES,
  type PlannedFeature,
} from "../logintc/capabilities.ts";
import type { FeatureUse, PlanFeatures } from "./types.ts";

/** The planner's features: a feature that is not configured stays "read" (nothing asks for it). */
export function planFeatures(caps: Capabilities): PlanFeatures {
  const use = (feature: PlannedFeature): FeatureUse => {
    const c = caps.checks.find((x) => x.feature === feature);
    if (!c) return "read";
    if (!c.used) return "off";
    return c.support === "write-only" ? "write-only" : "read";
  };
  return Object.fromEntries(PLANNED_FEATURES.map((f) => [f, use(f)])) as PlanFeatures;
}

/** Whether this run uses a feature (an unavailable -l sends nothing). */
export function featureUsed(caps: Capabilities, feature: Feature): boolean {
  return caps.checks.find((c) => c.feature === feature)?.used ?? true;
}

/** For the job record: "attr_phone: unsupported: …", one per unavailable feature. */
export function unavailableFeatureNotes(unavailable: readonly FeatureCheck[]): string[] {
  return unavailable.map((c) => `${c.asked}: ${c.support}: ${c.evidence}`);
}

/**
 * The run's exit code once features are accounted for: failures (4) and withheld removals (3)
 * say more and win; otherwise an unavailable feature makes a clean run exit 5, so cron notices.
 */
export function withUnavailableFeatures(code: ExitCode, unavailable: readonly FeatureCheck[]): ExitCode {
  return code === ExitCode.OK && unavailable.length > 0 ? ExitCode.UNSUPPORTED : code;
}
