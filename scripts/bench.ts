/**
 * `deno task bench [--full] [--runs N] [--only part]`: performance figures against targets (issues 4
 * §11 and 14).
 *
 *   0. Start: the CLI's --version (≤ 100 ms) and the modules -v and a dry run load (./bench/start.ts).
 *   1. Directory read: our reader (readDirectory, paged, in a clean child process) vs OpenLDAP's
 *      ldapsearch on the same paged query (-E pr=500/noprompt, same attributes, same bind), at 10k
 *      and 100k users, plain LDAP and LDAPS; median of N runs. Targets: 100k ≤ 1.3× ldapsearch,
 *      10k over LDAPS ≤ 1.8×.
 *   2. Plan: planSync on the 100k read vs an empty domain and a fully-synced domain.
 *   3. First sync: 10k new users into an organization of 10k (read + plan + apply, c=16): requests
 *      ≤ 2N + min(N, ⌈org / page⌉) + fixed reads, time ≤ 1.15× requests × 50 ms / 16.
 *      Apply: N creates (create + add to domain) against the emulator with 50 ms on every request,
 *      vs the bound requests × 50 ms / concurrency, at concurrency 4 and 16. Target ≤ 1.2×.
 *      Default 1k users; --full: 10k (≈ 5 min more).
 *   4. The real CLI's no-op re-sync of 10k users: every request it makes, by method.
 *   5. Peak RSS of the product (its V8 flags) reading + planning 100k users and printing -d's tables
 *      (target ≤ 180 MB); --full adds the
 *      real CLI's -d at 100k against an empty domain and organization (one listing page, no lookups).
 *
 * Informational: exits 0 whatever the figures; 2 when it could not run. Servers are started on
 * loopback from temp dirs and stopped in finally blocks.
 */
import { ensureTools, TOOLS } from "../tests/support/tools.ts";
import { benchApplyAll } from "./bench/applyRows.ts";
import { benchDirectory } from "./bench/directory.ts";
import { type BenchContext, parseBenchOptions } from "./bench/options.ts";
import { benchStartup } from "./bench/startRows.ts";
import { formatMs, renderRows } from "./bench/stats.ts";

const opts = parseBenchOptions(Deno.args);
const { full, only: ONLY } = opts;

const missing = await ensureTools(
  [TOOLS.openssl, TOOLS.slapd, TOOLS.slapadd, TOOLS.ldapsearch],
  "deno task bench",
);
if (missing) {
  console.error(missing);
  Deno.exit(2);
}

const ctx: BenchContext = { opts, rows: [], details: [], log: (s) => console.error(`[bench] ${s}`) };
const benchStart = performance.now();

try {
  if (ONLY === undefined || ONLY === "start") await benchStartup(ctx);
  if (ONLY === undefined || ONLY === "directory") {
    for (const size of opts.sizes) await benchDirectory(ctx, size);
  }
  if (ONLY === undefined || ONLY === "apply" || ONLY === "first-sync") await benchApplyAll(ctx);
} catch (e) {
  console.error(`bench could not run: ${e instanceof Error ? e.stack ?? e.message : e}`);
  Deno.exit(2);
}

console.log(
  `logintc-sync bench (${
    full ? "--full" : "default"
  }; deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores)`,
);
console.log(renderRows(ctx.rows));
if (ctx.details.length > 0) console.log(`\n${ctx.details.join("\n")}`);
console.log(`\nbench wall time ${formatMs(performance.now() - benchStart)}; informational, exit 0`);
