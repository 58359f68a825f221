/**
 * Start-up (issue 14 §4): the real CLI's `--version` as a fresh process (deno run with the release
 * flags, median of N), and which modules a run can load, from `deno info --json main.ts`: what
 * `-v` loads (main.ts's static imports) and what a dry run loads (those + src/cli/runSync.ts's static
 * imports; runSync's own dynamic imports are the real run's). tests/integration/cli/moduleGraph_test.ts
 * asserts the same graph; here it is reported.
 */
import { baseEnv, CLI_PERMISSIONS } from "../../tests/support/cli.ts";
import { measure } from "./process.ts";

const ROOT = new URL("../../", import.meta.url);

export interface StartFigures {
  versionMs: number[];
  /** Modules (repository files and npm packages) -v loads, and a dry run. */
  versionModules: string[];
  dryRunModules: string[];
}

interface Info {
  modules: { specifier: string; kind?: string; npmPackage?: string; dependencies?: Dep[] }[];
  redirects: Record<string, string>;
}
interface Dep {
  code?: { specifier: string };
  isDynamic?: boolean;
}

function staticClosure(info: Info, starts: string[]): string[] {
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const names = new Set<string>();
  const seen = new Set<string>();
  const todo = starts.map((s) => new URL(s, ROOT).href);
  while (todo.length > 0) {
    const raw = todo.pop()!;
    const spec = info.redirects[raw] ?? raw;
    if (seen.has(spec)) continue;
    seen.add(spec);
    const m = bySpec.get(spec);
    if (!m) continue;
    names.add(m.kind === "npm" ? `npm:${m.npmPackage}` : spec.replace(ROOT.href, ""));
    for (const d of m.dependencies ?? []) if (d.code && !d.isDynamic) todo.push(d.code.specifier);
  }
  return [...names].sort();
}

export async function benchStart(runs: number): Promise<StartFigures> {
  const versionMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const m = await measure({
      cmd: Deno.execPath(),
      args: ["run", "--quiet", ...CLI_PERMISSIONS, new URL("main.ts", ROOT).pathname, "--version"],
      env: baseEnv(),
      rss: false,
    });
    if (m.code !== 0) throw new Error(`--version failed (exit ${m.code}): ${m.stderr}`);
    versionMs.push(m.wallMs);
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: new URL(".", ROOT).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(`deno info failed: ${new TextDecoder().decode(out.stderr)}`);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as Info;
  return {
    versionMs,
    versionModules: staticClosure(info, ["main.ts"]),
    dryRunModules: staticClosure(info, ["main.ts", "src/cli/runSync.ts"]),
  };
}
