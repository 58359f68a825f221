/** Bench section 0: --version time and the modules -v and a dry run can load (issue 14 §4). */
import type { BenchContext } from "./options.ts";
import { benchStart as measureStart } from "./start.ts";
import { formatMs, median, verdict } from "./stats.ts";

export async function benchStartup({ opts, rows, log }: BenchContext): Promise<void> {
  log(`start: ${opts.runs}× --version, module graph…`);
  const f = await measureStart(Math.max(opts.runs, 5));
  const ms = median(f.versionMs);
  rows.push({
    figure: "--version",
    measured: formatMs(ms),
    target: "≤ 100 ms",
    verdict: verdict(ms, 100),
    note: `deno run with the release flags, fresh process, median of ${f.versionMs.length}: ` +
      f.versionMs.map((x) => formatMs(x)).join("/"),
  });
  const JOB = /^src\/sync\/(lock|jobStore|jobRecord|renderJob|runJob|applyPlan|notify)\.ts$/;
  const FOREIGN = /^(emulator|scripts|tests)\//;
  const unused = f.dryRunModules.filter((m) => JOB.test(m) || FOREIGN.test(m));
  const heavyAtStart = f.versionModules.filter((m) =>
    m.startsWith("npm:ldapts") || m.startsWith("src/directory/")
  );
  rows.push({
    figure: "modules loaded: -v / dry run",
    measured: `${f.versionModules.length} / ${f.dryRunModules.length}`,
    target: "no unused",
    verdict: unused.length === 0 && heavyAtStart.length === 0 ? "PASS" : "MISS",
    note: `static closure (deno info); dry run: no job store/lock/applier/emulator/scripts` +
      (unused.length ? `; UNUSED: ${unused.join(", ")}` : "") +
      (heavyAtStart.length ? `; -v loads ${heavyAtStart.join(", ")}` : ""),
  });
}
