/**
 * The run's metrics in the Prometheus text exposition format (version 0.0.4:
 * https://prometheus.io/docs/instrumenting/exposition_formats/), for node_exporter's textfile
 * collector: gauges only, no timestamps on samples (the collector refuses them), every metric with
 * HELP and TYPE. docs/operations.md ("Metrics for monitoring") lists them. Pure: the shell writes
 * the text (src/output/metricsFile.ts).
 */
import type { RunReport } from "./report.ts";
import { OUTCOMES, type StepOutcomes } from "./stepOutcomes.ts";
import { isRemoval, KINDS } from "../sync/stepKinds.ts";
import { VERSION } from "../version.ts";

export interface MetricsInput {
  report: RunReport;
  start: Date;
  end: Date;
  exitCode: number;
  /** When the last run whose job completed ended (this one, or an earlier one); undefined: none known. */
  lastSuccess?: Date;
  /** What became of the planned steps, when the run applied its plan. */
  outcomes?: StepOutcomes;
}

/** The outcomes' label values, in Prometheus' snake case. */
const OUTCOME_LABEL = {
  done: "done",
  failed: "failed",
  notAttempted: "not_attempted",
  inFlight: "in_flight",
  notStarted: "not_started",
} as const;

const P = "logintc_sync_";

export function renderMetrics(m: MetricsInput): string {
  const out: string[] = [];
  const gauge = (name: string, help: string, samples: [labels: Record<string, string>, value: number][]) => {
    out.push(`# HELP ${P}${name} ${help}`, `# TYPE ${P}${name} gauge`);
    for (const [labels, value] of samples) out.push(`${P}${name}${labelText(labels)} ${value}`);
  };
  const seconds = (d: Date) => d.getTime() / 1000;
  const { report } = m;

  gauge("info", "logintc-sync's version (always 1).", [[{ version: VERSION }, 1]]);
  gauge("last_run_timestamp_seconds", "When the last sync run ended, in UNIX time.", [[{}, seconds(m.end)]]);
  gauge("last_run_duration_seconds", "How long the last sync run took.", [[
    {},
    (m.end.getTime() - m.start.getTime()) / 1000,
  ]]);
  gauge("last_run_exit_code", "The last sync run's exit code (0: success; docs/operations.md, Exit codes).", [
    [
      {},
      m.exitCode,
    ],
  ]);
  gauge(
    "last_success_timestamp_seconds",
    "When the last sync run whose job completed ended, in UNIX time; 0 when none is known.",
    [[{}, m.lastSuccess ? seconds(m.lastSuccess) : 0]],
  );
  if (report.directory) {
    gauge("directory_users", "Users the last sync run read from the directory.", [[
      {},
      report.directory.count,
    ]]);
  }
  if (report.plan) {
    const planned = report.plan.counts;
    gauge(
      "steps_planned",
      "Steps the last sync run planned, by kind (after the guards).",
      KINDS.map((kind) => [{ kind }, planned[kind] ?? 0]),
    );
    gauge("users_left_out", "Directory users the last sync run's plan left out (invalid data).", [[
      {},
      report.plan.skipped.length,
    ]]);
  }
  if (m.outcomes) {
    const tally = m.outcomes;
    gauge(
      "steps",
      "The last sync run's steps by kind and outcome (done, failed, not_attempted, in_flight, not_started).",
      KINDS.flatMap((kind) =>
        OUTCOMES.map((o) =>
          [{ kind, outcome: OUTCOME_LABEL[o] }, tally[kind][o]] as [
            Record<string, string>,
            number,
          ]
        )
      ),
    );
  }
  if (report.guards) {
    gauge("removals_withheld", "Removals the guards withheld in the last sync run.", [[
      {},
      // Steps that wait for a withheld reassignment are withheld too, but are not removals.
      report.guards.withheld.filter(isRemoval).length,
    ]]);
  }
  if (report.features) {
    gauge(
      "feature_skipped",
      "1 for a configured feature the last sync run skipped because this LoginTC lacks it, else 0.",
      report.features.map((f) => [{ feature: f.feature }, f.used ? 0 : 1]),
    );
  }
  return out.join("\n") + "\n";
}

/** `{a="x",b="y"}`, values escaped as the format says (backslash, double quote, line feed). */
function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) =>
    `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`
  );
  return parts.length > 0 ? `{${parts.join(",")}}` : "";
}
