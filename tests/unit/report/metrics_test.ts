/** The metrics text (src/report/metrics.ts): exact lines for a run that failed before planning; what a full run adds. */
import assert from "node:assert/strict";
import { KINDS } from "../../../src/sync/stepKinds.ts";
import { renderMetrics } from "../../../src/report/metrics.ts";
import { newReport } from "../../../src/report/report.ts";
import { tallySteps } from "../../../src/report/stepOutcomes.ts";
import { VERSION } from "../../../src/version.ts";

const START = new Date("2026-12-02T02:15:00.000Z");
const END = new Date("2026-12-02T02:15:02.500Z");

Deno.test("metrics: a run that failed before planning: when, how long, its exit code, the last success", () => {
  assert.equal(
    renderMetrics({ report: newReport("sync", "c.cfg"), start: START, end: END, exitCode: 2 }),
    [
      "# HELP logintc_sync_info logintc-sync's version (always 1).",
      "# TYPE logintc_sync_info gauge",
      `logintc_sync_info{version="${VERSION}"} 1`,
      "# HELP logintc_sync_last_run_timestamp_seconds When the last sync run ended, in UNIX time.",
      "# TYPE logintc_sync_last_run_timestamp_seconds gauge",
      "logintc_sync_last_run_timestamp_seconds 1796177702.5",
      "# HELP logintc_sync_last_run_duration_seconds How long the last sync run took.",
      "# TYPE logintc_sync_last_run_duration_seconds gauge",
      "logintc_sync_last_run_duration_seconds 2.5",
      "# HELP logintc_sync_last_run_exit_code The last sync run's exit code (0: success; docs/operations.md, Exit codes).",
      "# TYPE logintc_sync_last_run_exit_code gauge",
      "logintc_sync_last_run_exit_code 2",
      "# HELP logintc_sync_last_success_timestamp_seconds When the last sync run whose job completed ended, in UNIX time; 0 when none is known.",
      "# TYPE logintc_sync_last_success_timestamp_seconds gauge",
      "logintc_sync_last_success_timestamp_seconds 0",
      "",
    ].join("\n"),
  );
});

Deno.test("metrics: steps by kind and outcome, every kind always (stable series), and the other gauges", () => {
  const report = newReport("sync", "c.cfg");
  report.directory = {
    count: 7,
    skipped: [],
    referrals: { ignored: [], followed: [], partitionsSkipped: [] },
    anchor: { attribute: "entryUUID", from: "server", missing: 0 },
  };
  report.guards = { maxRemoveLimit: 0, maxRemovePercent: null, withheld: [], notices: [] };
  report.features = [{ feature: "phone", asked: "attr_phone", support: "absent", used: false, evidence: "" }];
  const step = { kind: "createUser", username: "a", name: "A", email: "a@x" } as const;
  const text = renderMetrics({
    report,
    start: START,
    end: END,
    exitCode: 0,
    lastSuccess: END,
    outcomes: tallySteps([step], { done: [step], failed: [], notAttempted: [] }),
  });
  const lines = text.split("\n");
  assert.ok(lines.includes("logintc_sync_directory_users 7"));
  assert.ok(lines.includes('logintc_sync_steps{kind="createUser",outcome="done"} 1'));
  assert.ok(lines.includes('logintc_sync_steps{kind="deleteUser",outcome="not_started"} 0'));
  assert.ok(lines.includes("logintc_sync_removals_withheld 0"));
  assert.ok(lines.includes('logintc_sync_feature_skipped{feature="phone"} 1'));
  assert.ok(lines.includes("logintc_sync_last_success_timestamp_seconds 1796177702.5"));
  assert.ok(lines.includes('logintc_sync_steps{kind="reassignUser",outcome="done"} 0'));
  assert.equal(lines.filter((l) => l.startsWith("logintc_sync_steps{")).length, KINDS.length * 5);
});
