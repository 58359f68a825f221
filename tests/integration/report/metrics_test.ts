/**
 * The metrics text (src/report/metrics.ts) as Prometheus reads it: `promtool check metrics` accepts
 * every shape a run produces — a full sync, one stopped mid-apply, one that failed before planning —
 * with no lint finding. What the CLI writes and when: tests/e2e/monitoring_test.ts.
 */
import assert from "node:assert/strict";
import { renderMetrics } from "../../../src/report/metrics.ts";
import { newReport, planSummary } from "../../../src/report/report.ts";
import { tallySteps } from "../../../src/report/stepOutcomes.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { promtoolCheck } from "../../support/promtool.ts";
import { dirUser, state } from "../../support/syncModel.ts";

const START = new Date("2026-12-02T02:15:00.000Z");
const END = new Date("2026-12-02T02:15:02.500Z");

Deno.test("promtool check metrics accepts a full run, a stopped one and one that failed before planning", async () => {
  const users = ["ann", "bob"].map((u) => dirUser(u));
  const plan = planSync(users, state([]), { syncMode: "add_only", syncTokenMode: "do_not_issue_token" });
  const checked = applyGuards(plan, {
    maxRemoveLimit: 0,
    directoryCount: 2,
    memberCount: 0,
    baseDn: "b",
    filter: "f",
  });
  const full = newReport("sync", "/etc/logintc-sync/config.cfg");
  full.directory = {
    count: 2,
    skipped: [],
    referrals: { ignored: [], followed: [], partitionsSkipped: [] },
    anchor: { attribute: "entryUUID", from: "server", missing: 0 },
  };
  full.plan = planSummary(checked);
  full.guards = { maxRemoveLimit: 0, maxRemovePercent: null, withheld: [], notices: [] };
  full.features = [
    { feature: "phone", asked: "attr_phone", support: "absent", used: false, evidence: "404" },
    { feature: "group", asked: "-g Sales", support: "read", used: true, evidence: "200" },
  ];
  const steps = checked.plan.steps;
  const texts = [
    renderMetrics({
      report: full,
      start: START,
      end: END,
      exitCode: 5,
      lastSuccess: END,
      outcomes: tallySteps(steps, { done: steps, failed: [], notAttempted: [] }),
    }),
    renderMetrics({
      report: full,
      start: START,
      end: END,
      exitCode: 143,
      outcomes: tallySteps(steps, {
        done: [steps[0]],
        failed: [],
        notAttempted: [],
        stopped: { reason: new Error("stopped by SIGTERM"), inFlight: [steps[1]], notStarted: 2 },
      }),
    }),
    renderMetrics({ report: newReport("sync", "c.cfg"), start: START, end: END, exitCode: 2 }),
  ];
  for (const text of texts) assert.deepEqual(await promtoolCheck(text), { code: 0, output: "" }, text);
  // promtool does find what is wrong (it is not accepting anything).
  const bad = await promtoolCheck("logintc_sync_steps_total 1\n");
  assert.notEqual(bad.output, "", "promtool reports a counter without HELP");
});
