/**
 * Bench sections 4 and 5 (the real CLI): the no-op re-sync's requests by method, and with --full
 * the -d at the largest size against an empty domain and organization. Run by ./directory.ts on
 * the slapd it started.
 */
import type { startSlapd } from "../../tests/support/slapd.ts";
import { benchCli, type CliRun } from "./noop.ts";
import { type BenchContext, MB } from "./options.ts";
import { formatMb, formatMs, verdict } from "./stats.ts";

type Slapd = Awaited<ReturnType<typeof startSlapd>>;

function requestDetail(details: string[], title: string, r: CliRun): void {
  details.push(`${title}: logintc-sync ${r.args} (exit ${r.run.code}, ${formatMs(r.run.wallMs)})`);
  for (const [k, n] of r.requests) details.push(`  ${String(n).padStart(7)}  ${k}`);
  if (r.run.code !== 0) details.push(r.run.stdout, r.run.stderr);
}

export async function benchNoop(
  { rows, details, log }: BenchContext,
  slapd: Slapd,
  size: number,
): Promise<void> {
  const k = `${size / 1000}k`;
  log(`${k}: real CLI no-op re-sync (emulator seeded with ${size} synced members)…`);
  const r = await benchCli({ slapd, seedUsers: size, args: ["-m", "remove"] });
  const total = [...r.requests.values()].reduce((a, b) => a + b, 0);
  const byMethod = new Map<string, number>();
  for (const [key, n] of r.requests) {
    const method = key.split(" ")[0];
    byMethod.set(method, (byMethod.get(method) ?? 0) + n);
  }
  rows.push({
    figure: `no-op re-sync ${k}: requests`,
    measured: `${total} (${[...byMethod].map(([m, n]) => `${n} ${m}`).join(", ")})`,
    target: "0 writes",
    verdict: r.writes === 0 && r.nothingToDo && r.run.code === 0 ? "PASS" : "MISS",
    note: `real CLI -m remove, emulator page size 100; "Nothing to do": ${r.nothingToDo ? "yes" : "NO"}`,
  });
  rows.push({
    figure: `no-op re-sync ${k}: CLI`,
    measured: `${formatMs(r.run.wallMs)}, ${formatMb(r.run.peakRss)}`,
    target: "",
    verdict: "info",
    note: "wall time (incl. deno start, emulator in the bench process) and peak RSS of the CLI process",
  });
  requestDetail(details, `No-op re-sync, ${k} users`, r);
}

export async function benchCliDryRun(
  { rows, details, log }: BenchContext,
  slapd: Slapd,
  size: number,
): Promise<void> {
  const k = `${size / 1000}k`;
  log(`${k}: real CLI -d against an empty domain and organization…`);
  const r = await benchCli({ slapd, seedUsers: 0, args: ["-d", "-t", "issue_token_with_email"] });
  rows.push({
    figure: `CLI -d ${k}, empty domain`,
    measured: `${formatMs(r.run.wallMs)}, ${formatMb(r.run.peakRss)}`,
    target: "≤ 180 MB",
    verdict: r.run.code === 0 ? verdict(r.run.peakRss / MB, 180) : "MISS",
    note: `end to end: read, organization listing (${size} users to find), plan, tables; exit ${r.run.code}`,
  });
  requestDetail(details, `Dry run, ${k} users, empty domain`, r);
}
