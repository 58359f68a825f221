/**
 * Bench section 3: a first sync (read + plan + apply against the emulator with latency) and the
 * applier alone at concurrency 16 and 4 (./apply.ts), against the request-count and time bounds.
 */
import { DEFAULT_PAGE_SIZE as EMULATOR_PAGE } from "../../emulator/mod.ts";
import type { TestPki } from "../../emulator/pki.ts";
import { MAX_PAGES_IN_FLIGHT } from "../../src/sync/findOrgUsers.ts";
import { type ApplyFigures, benchApply } from "./apply.ts";
import type { BenchContext } from "./options.ts";
import { formatMs, verdict } from "./stats.ts";

const LATENCY_MS = 50;

/**
 * A first sync (issue 14 §1): opts.firstSyncUsers directory users new to an organization of as many
 * other users, read (findOrgUsers picks the listing) + plan + apply at c=16. Requests vs
 * 2N + min(N, ⌈org / page⌉) plus the reads every sync makes (GET /domains/{d}, one member page,
 * the empty page that ends the listing, at most 3 pages read ahead); time vs requests × latency / c.
 */
async function benchFirstSync({ opts, rows, details, log }: BenchContext, pki: TestPki): Promise<void> {
  const n = opts.firstSyncUsers;
  const concurrency = 16;
  log(`first sync: ${n} new users, organization of ${n} others, c=${concurrency}…`);
  const f = await benchApply(pki, n, concurrency, LATENCY_MS, n);
  const orgPages = Math.ceil(n / EMULATOR_PAGE);
  const fixed = 2 + 1 + (MAX_PAGES_IN_FLIGHT - 1);
  const allowed = 2 * n + Math.min(n, orgPages) + fixed;
  rows.push({
    figure: `first sync ${n / 1000}k new, org ${n / 1000}k: requests`,
    measured: `${f.requests} (${f.listingPages} pages, ${f.lookups} lookups)`,
    target: `≤ ${allowed}`,
    verdict: f.failed === 0 && f.requests <= allowed ? "PASS" : "MISS",
    note: `2N + min(N, ⌈${n}/${EMULATOR_PAGE}⌉) + ${fixed} fixed reads; one lookup per user would be ${
      3 * n
    }`,
  });
  const ratio = f.wallMs / f.boundMs;
  rows.push({
    figure: `first sync ${n / 1000}k, c=${concurrency}: time`,
    measured: `${formatMs(f.wallMs)} vs ${formatMs(f.boundMs)} = ${ratio.toFixed(2)}×`,
    target: "≤ 1.15× bound",
    verdict: f.failed === 0 ? verdict(ratio, 1.15) : "MISS",
    note:
      `read ${
        formatMs(f.readMs)
      } + plan + apply; ${f.requests} requests × ${LATENCY_MS} ms / ${concurrency}; ` +
      `CPU: child ${formatMs(f.cpuMs)}, emulator ${formatMs(f.emulatorCpuMs)}`,
  });
  if (f.firstFailure) details.push(`first sync: first failure: ${f.firstFailure}`);
}

export async function benchApplyAll(ctx: BenchContext): Promise<void> {
  const { opts: { applyUsers: APPLY_USERS, only }, rows, details, log } = ctx;
  const { makeTestPki } = await import("../../emulator/pki.ts");
  const dir = await Deno.makeTempDir({ prefix: "logintc-sync-bench-pki-" });
  try {
    const pki = await makeTestPki(dir);
    await benchFirstSync(ctx, pki);
    if (only === "first-sync") return;
    for (const concurrency of [16, 4]) {
      const bound = (2 * APPLY_USERS * LATENCY_MS) / concurrency;
      log(`apply ${APPLY_USERS} creates at concurrency ${concurrency} (bound ≈ ${formatMs(bound)})…`);
      const f: ApplyFigures = await benchApply(pki, APPLY_USERS, concurrency, LATENCY_MS);
      const ratio = f.wallMs / f.boundMs;
      rows.push({
        figure: `apply ${APPLY_USERS} creates, c=${concurrency}`,
        measured: `${formatMs(f.wallMs)} vs ${formatMs(f.boundMs)} = ${ratio.toFixed(2)}×`,
        target: "≤ 1.2× bound",
        verdict: f.failed === 0 ? verdict(ratio, 1.2) : "MISS",
        note:
          `${f.requests} requests × ${LATENCY_MS} ms / ${concurrency}; ${f.done} done, ${f.failed} failed; ` +
          `CPU: applier ${formatMs(f.cpuMs)}, emulator ${formatMs(f.emulatorCpuMs)}` +
          (APPLY_USERS >= 10_000 ? "" : `; 10k ≈ ${formatMs((10_000 / APPLY_USERS) * f.wallMs)}`),
      });
      if (f.firstFailure) details.push(`apply c=${concurrency}: first failure: ${f.firstFailure}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
