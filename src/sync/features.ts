/**
 * From the capability probe's verdict (src/logintc/capabilities.ts) to what the sync does: how
 * the planner treats each extension feature, and the exit code when a configured feature was
 * skipped (ExitCode.UNSUPPORTED, docs/operations.md). Pure.
 */
import { ExitCode } from "../errors.ts";
import type { Capabilities, Feature, FeatureCheck } from "../logintc/capabilities.ts";
import { ALL_FEATURES_READ, type FeatureUse, type PlanFeatures } from "./types.ts";

/** The planner's features: a feature that is not configured stays "read" (nothing asks for it). */
export function planFeatures(caps: Capabilities): PlanFeatures {
  const use = (feature: Feature, fallback: FeatureUse): FeatureUse => {
    const c = caps.checks.find((x) => x.feature === feature);
    if (!c) return fallback;
    if (!c.used) return "off";
    return c.support === "write-only" ? "write-only" : "read";
  };
  return {
    aliases: use("aliases", ALL_FEATURES_READ.aliases) === "off" ? "off" : "read",
    phone: use("phone", ALL_FEATURES_READ.phone),
    group: use("group", ALL_FEATURES_READ.group),
  };
}

/** Whether this run uses a feature (a skipped -l sends nothing). */
export function featureUsed(caps: Capabilities, feature: Feature): boolean {
  return caps.checks.find((c) => c.feature === feature)?.used ?? true;
}

/** For the job record: "attr_phone: unsupported: …", one per skipped feature. */
export function skippedFeatureNotes(skipped: readonly FeatureCheck[]): string[] {
  return skipped.map((c) => `${c.asked}: ${c.support}: ${c.evidence}`);
}

/**
 * The run's exit code once features are accounted for: failures (4) and withheld removals (3)
 * say more and win; otherwise a skipped feature makes a clean run exit 5, so cron notices.
 */
export function withSkippedFeatures(code: ExitCode, skipped: readonly FeatureCheck[]): ExitCode {
  return code === ExitCode.OK && skipped.length > 0 ? ExitCode.UNSUPPORTED : code;
}
