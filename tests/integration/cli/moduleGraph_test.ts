/**
 * What each kind of run loads, from `deno info --json main.ts` (the graph deno compile embeds):
 * static imports are loaded at start, dynamic ones only on the path that asks for them
 * (src/cli/app.ts, src/cli/runSync.ts). No timing is asserted; only which modules are reachable.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = new URL("../../../", import.meta.url);
const rel = (specifier: string) =>
  specifier.startsWith(ROOT.href) ? specifier.slice(ROOT.href.length) : specifier;

interface Dependency {
  code?: { specifier: string };
  isDynamic?: boolean;
}
interface ModuleInfo {
  specifier: string;
  kind?: string;
  npmPackage?: string;
  dependencies?: Dependency[];
}

interface Graph {
  modules: Map<string, ModuleInfo>;
  /** e.g. npm:ldapts@^8 → npm:/ldapts@8.2.0 */
  redirects: Record<string, string>;
}

async function graph(): Promise<Graph> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: fileURLToPath(ROOT),
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: ModuleInfo[];
    redirects: Record<string, string>;
  };
  return { modules: new Map(info.modules.map((m) => [m.specifier, m])), redirects: info.redirects };
}

/** Name of a module: its path in the repository, or `npm:<package>` (version dropped). */
function nameOf(m: ModuleInfo): string {
  if (m.kind === "npm" && m.npmPackage) return `npm:${m.npmPackage.replace(/@[^@]*$/, "")}`;
  return rel(m.specifier);
}

/** Modules reachable from `start` through code imports; dynamic ones only when `dynamic`. */
function reachable({ modules, redirects }: Graph, start: string, dynamic: boolean): Set<string> {
  const seen = new Set<string>();
  const names = new Set<string>();
  const todo = [new URL(start, ROOT).href];
  while (todo.length > 0) {
    const popped = todo.pop()!;
    const spec = redirects[popped] ?? popped;
    if (seen.has(spec)) continue;
    seen.add(spec);
    const m = modules.get(spec);
    if (!m) continue;
    names.add(nameOf(m));
    for (const d of m.dependencies ?? []) {
      if (d.code && (dynamic || !d.isDynamic)) todo.push(d.code.specifier);
    }
  }
  return names;
}

/** Only used by a real run (the lock, the job record and store, the applier) or by -j. */
const JOB_MODULES = [
  "src/state/lock.ts",
  "src/state/jobStore.ts",
  "src/state/jobRecord.ts",
  "src/report/renderJob.ts",
  "src/cli/runJob.ts",
  "src/sync/applyPlan.ts",
  "src/sync/notify.ts",
];

Deno.test("module graph: the product loads no emulator, bench, build or test module", async () => {
  const all = reachable(await graph(), "main.ts", true);
  assert.ok(all.has("src/cli/runSync.ts") && all.has("src/cli/runJob.ts"), "dynamic imports followed");
  const foreign = [...all].filter((n) => /^(emulator|scripts|tests)\//.test(n) || n === "npm:fast-check");
  assert.deepEqual(foreign, []);
});

/** Pure and small: main.ts takes the proxy variables before anything runs (src/logintc/proxy.ts). */
const PROXY_RESOLUTION = ["src/logintc/proxy.ts", "src/logintc/noProxy.ts"];

Deno.test("module graph: -v and -h load neither the LDAP nor the HTTP stack", async () => {
  const start = reachable(await graph(), "main.ts", false);
  assert.ok(start.has("src/cli/flags.ts") && start.has("npm:commander"));
  const heavy = [...start].filter((n) =>
    n === "npm:ldapts" || n.startsWith("src/directory/") ||
    n.startsWith("src/logintc/") && !PROXY_RESOLUTION.includes(n) ||
    n === "src/cli/runSync.ts" || JOB_MODULES.includes(n)
  );
  assert.deepEqual(heavy, []);
});

Deno.test("module graph: a dry run loads no job store, lock or applier", async () => {
  const g = await graph();
  // A dry run takes one dynamic import (app.ts → runSync.ts); runSync's own are for real runs.
  const dryRun = new Set([
    ...reachable(g, "main.ts", false),
    ...reachable(g, "src/cli/runSync.ts", false),
  ]);
  assert.ok(
    dryRun.has("npm:ldapts") && dryRun.has("src/sync/planSync.ts") && dryRun.has("src/report/renderPlan.ts"),
  );
  assert.deepEqual(JOB_MODULES.filter((n) => dryRun.has(n)), []);
});
