/**
 * From the capability probe's verdict to the planner's features (src/sync/features.ts), and exit
 * 5 only when a feature was unavailable and nothing worse happened.
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../../src/errors.ts";
import type { Capabilities, FeatureCheck } from "../../../src/logintc/capabilities.ts";
import { planFeatures, withUnavailableFeatures } from "../../../src/sync/features.ts";

const check = (
  feature: FeatureCheck["feature"],
  support: FeatureCheck["support"],
  used: boolean,
): FeatureCheck => ({
  feature,
  asked: feature,
  support,
  evidence: "",
  used,
});

Deno.test("features: the probe's verdicts become the planner's, and exit 5 only when nothing worse happened", () => {
  const caps: Capabilities = {
    checks: [
      check("aliases", "unverified", false),
      check("phone", "write-only", true),
      check("group", "supported", true),
      check("tokenWithoutEmail", "unverified", true),
    ],
    problems: [],
  };
  assert.deepEqual(planFeatures(caps), { aliases: "off", phone: "write-only", group: "read" });
  assert.deepEqual(planFeatures({ checks: [], problems: [] }), {
    aliases: "read",
    phone: "read",
    group: "read",
  });
  const unavailable = caps.checks.filter((c) => !c.used);
  assert.equal(withUnavailableFeatures(ExitCode.OK, unavailable), ExitCode.UNSUPPORTED);
  assert.equal(withUnavailableFeatures(ExitCode.OK, []), ExitCode.OK);
  assert.equal(withUnavailableFeatures(ExitCode.PARTIAL, unavailable), ExitCode.PARTIAL);
  assert.equal(withUnavailableFeatures(ExitCode.GUARD, unavailable), ExitCode.GUARD);
});
