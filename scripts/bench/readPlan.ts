/**
 * Bench child: the product's own read → plan → render pipeline in a clean process, so its
 * timings and peak memory are the product's and not the bench harness's (which also holds slapd's
 * fixture and the emulator). Run by scripts/bench.ts as
 *   deno run -A scripts/bench/readPlan.ts '<json ReadPlanJob>'
 * and prints one JSON line (ReadPlanResult) on stdout.
 *
 * LoginTC is not contacted here: the two LoginTC states (empty domain, fully-synced domain) are
 * built from the read, as readLoginTC would return them. The emulator cannot hold 100k users in
 * reasonable time (its username lookup is a linear scan), and the figure wanted is the product's.
 */
import { memoryOutput } from "../../tests/support/output.ts";
import { type Output } from "../../src/output/output.ts";
import type { LoginTCState, PlanOptions } from "../../src/sync/types.ts";
import type { DirectoryRead, LdapConfig, LoginTCUser } from "../../src/types.ts";
import { warmTls } from "../../src/cli/warmTls.ts";

/**
 * The product's modules, loaded as the CLI loads them: after the TLS set-up has been started
 * (src/cli/app.ts starts it, then imports the sync), so the read sees what a CLI run sees.
 */
async function product() {
  const [
    { readDirectory },
    { usersTableLines },
    { applyGuards },
    { planSync },
    { planLines },
    { writeLines },
  ] = await Promise.all([
    import("../../src/directory/readDirectory.ts"),
    import("../../src/directory/renderUsers.ts"),
    import("../../src/sync/guards.ts"),
    import("../../src/sync/planSync.ts"),
    import("../../src/report/renderPlan.ts"),
    import("../../src/output/writeLines.ts"),
  ]);
  return { readDirectory, usersTableLines, applyGuards, planSync, planLines, writeLines };
}

export interface ReadPlanJob {
  ldap: LdapConfig;
  /** Directory reads to time (the median is reported). */
  reads: number;
  /** Plan runs to time on the last read (0: none). */
  planRuns: number;
  /** Plan against the fully-synced state too (builds 100k LoginTC users: off for the memory figure). */
  synced: boolean;
  /** Render what `-d` prints on a first sync (users table + plan table). */
  render: boolean;
}

export interface ReadPlanResult {
  users: number;
  readMs: number[];
  planEmptyMs: number[];
  planSyncedMs: number[];
  planEmptySteps: number;
  planSyncedSteps: number;
  /**
   * applyGuards + users table + plan, what `-d` prints (empty domain, the big case), written as
   * runSync writes them (writeLines) through an Output that encodes like main.ts's, to /dev/null.
   */
  renderMs: number;
  renderChars: number;
  /** Peak RSS (VmHWM) after the reads and plans, before rendering; bytes. */
  peakRssReadPlan: number;
  /** Peak RSS at the end (rendering included); bytes. */
  peakRss: number;
}

const DOMAIN_ID = "9120580e94f134cb7c9f27cd1e43dbc82980e152";
const PLAN_OPTIONS: PlanOptions = { syncMode: "remove", syncTokenMode: "issue_token_with_email" };

function vmHwm(): number {
  const m = Deno.readTextFileSync("/proc/self/status").match(/^VmHWM:\s+(\d+) kB/m);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Every directory user already a member, with the same name and email: a no-op plan. */
function syncedState(read: DirectoryRead): LoginTCState {
  const members: LoginTCUser[] = read.users.map((u, i) => ({
    id: i.toString(16).padStart(40, "0"),
    username: u.username,
    name: u.name ?? "",
    email: u.email ?? "",
    domains: [DOMAIN_ID],
    hardware: "",
  }));
  return { domainId: DOMAIN_ID, members, orgUsers: [] };
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
}

export async function runJob(job: ReadPlanJob): Promise<ReadPlanResult> {
  const { readDirectory, usersTableLines, applyGuards, planSync, planLines, writeLines } = await product();
  const readMs: number[] = [];
  let read: DirectoryRead | undefined;
  for (let i = 0; i < job.reads; i++) {
    read = undefined; // let the previous read be collected: peak memory is that of one read
    const t0 = performance.now();
    read = await readDirectory(
      job.ldap,
      { ignoreReferral: false, localValidation: false },
      { output: memoryOutput(), now: () => new Date() },
    );
    readMs.push(performance.now() - t0);
  }
  const result: ReadPlanResult = {
    users: read?.users.length ?? 0,
    readMs,
    planEmptyMs: [],
    planSyncedMs: [],
    planEmptySteps: 0,
    planSyncedSteps: 0,
    renderMs: NaN,
    renderChars: 0,
    peakRssReadPlan: NaN,
    peakRss: NaN,
  };
  if (read) {
    const empty: LoginTCState = { domainId: DOMAIN_ID, members: [], orgUsers: [] };
    const synced = job.synced ? syncedState(read) : undefined;
    let plan;
    for (let i = 0; i < job.planRuns; i++) {
      const [a, ms] = timed(() => planSync(read!.users, empty, PLAN_OPTIONS));
      result.planEmptyMs.push(ms);
      result.planEmptySteps = a.steps.length;
      plan = a;
      if (!synced) continue;
      const [b, ms2] = timed(() => planSync(read!.users, synced, PLAN_OPTIONS));
      result.planSyncedMs.push(ms2);
      result.planSyncedSteps = b.steps.length;
    }
    result.peakRssReadPlan = vmHwm();
    if (!job.render || !plan) {
      result.peakRss = vmHwm();
      return result;
    }
    const devNull = Deno.openSync("/dev/null", { write: true });
    const enc = new TextEncoder();
    let chars = 0;
    const output: Output = {
      out: (text) => {
        chars += text.length + 1;
        devNull.writeSync(enc.encode(text + "\n"));
      },
      err: () => {},
      isTerminal: false,
    };
    const [, ms] = timed(() => {
      const checked = applyGuards(plan!, {
        maxRemoveLimit: 5,
        directoryCount: read!.users.length,
        memberCount: 0,
        baseDn: job.ldap.baseDn,
        filter: job.ldap.filter,
      });
      writeLines(output, usersTableLines(read!.users));
      writeLines(output, planLines(checked, { dryRun: true }));
    });
    devNull.close();
    result.renderMs = ms;
    result.renderChars = chars;
  }
  result.peakRss = vmHwm();
  return result;
}

if (import.meta.main) {
  void warmTls(); // first, as in src/cli/app.ts
  const job = JSON.parse(Deno.args[0]) as ReadPlanJob;
  console.log(JSON.stringify(await runJob(job)));
}
