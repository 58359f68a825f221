/**
 * `--doctor`'s look at the state directory: when the last sync run ended, its exit code, and when
 * one last succeeded (src/state/lastRun.ts), so a scheduled sync that stopped working is noticed.
 * A warning when no run has succeeded for more than two days; a state directory a run would refuse
 * (src/state/stateFiles.ts) is a FAIL, as that run would fail.
 */
import { UnsafeStateError } from "../errors.ts";
import type { DoctorCheck } from "../report/report.ts";
import { escapeText } from "../output/escape.ts";
import { readLastRun, type RunSeen } from "../state/lastRun.ts";
import { resolveStateDir, STATE_DIR_ENV } from "../state/stateDir.ts";
import { openStateDir } from "../state/stateFiles.ts";
import { messageOf } from "../unknown.ts";
import { fail, ok, warn } from "./doctorCheck.ts";

const ID = "state.last-run";
/** A nightly sync that has not succeeded for this long has missed at least one night. */
export const STALE_MS = 2 * 24 * 3600 * 1000;

export async function checkLastRun(
  where: { stateDir?: string; configPath: string },
  deps: { env: (name: string) => string | undefined; now: () => Date },
): Promise<DoctorCheck> {
  const dir = resolveStateDir({
    flag: where.stateDir,
    env: deps.env(STATE_DIR_ENV),
    configPath: where.configPath,
  });
  let last;
  try {
    last = await readLastRun(await openStateDir(dir, { create: false }));
  } catch (error) {
    const why = escapeText(messageOf(error));
    return error instanceof UnsafeStateError
      ? fail(ID, why, "a sync would refuse it too: do as the message says")
      : warn(ID, `cannot read the state directory ${escapeText(dir)}: ${why}`, "check its permissions");
  }
  if (last === undefined) return ok(ID, `no sync run recorded in ${escapeText(dir)} yet`);
  const now = deps.now().getTime();
  const run = last.lastRun;
  const detail = `last run ended ${ago(now, run)} (${run.end}), exit ${run.exitCode}` +
    (run.jobId ? `, job ${run.jobId}` : "") + "; " +
    (last.lastSuccess
      ? `last success ${ago(now, last.lastSuccess)} (${last.lastSuccess.end})`
      : "no run succeeded yet");
  const lastGood = last.lastSuccess ? Date.parse(last.lastSuccess.end) : undefined;
  if (lastGood === undefined || now - lastGood > STALE_MS) {
    return warn(
      ID,
      detail,
      "no sync has completed its job for over 2 days: read the last run's output (journalctl -u " +
        "logintc-sync.service, the cron log or sync.log)" + (run.jobId ? ` and -j ${run.jobId}` : ""),
    );
  }
  return ok(ID, detail);
}

/** "3 h ago", from a run's end. */
function ago(now: number, run: RunSeen): string {
  const s = Math.max(0, Math.round((now - Date.parse(run.end)) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} day(s) ago`;
}
