/**
 * Bench child: the product's applier and HTTPS client in their own process (as in the CLI), so
 * they do not share a JavaScript thread with the emulator that serves them. The plan is applied as
 * the CLI's real run applies it, as a recorded job (src/cli/runJob.ts: its record and progress in a
 * temporary state directory), so what keeping the record costs is part of the figure. Run by ./apply.ts as
 *   deno run -A scripts/bench/applyChild.ts '<json ApplyJob>'
 * and prints one JSON line (ApplyChildResult).
 */
import process from "node:process";
import { createLoginTCClient } from "../../src/logintc/client.ts";
import { runSyncJob } from "../../src/cli/runJob.ts";
import { planSync } from "../../src/sync/planSync.ts";
import { readLoginTC } from "../../src/sync/readLoginTC.ts";
import type { LoginTCState } from "../../src/sync/types.ts";
import type { DirectoryUser } from "../../src/types.ts";

export interface ApplyJob {
  host: string;
  apiKey: string;
  domainId: string;
  caPem: string;
  users: number;
  concurrency: number;
  /** Read LoginTC first (readLoginTC: domain, members, organization users), as a first sync does. */
  read?: boolean;
}

export interface ApplyChildResult {
  /** Read (when asked) + plan + apply. */
  wallMs: number;
  /** The LoginTC read alone (0 when not asked). */
  readMs: number;
  /** CPU time (user + system) of this process during the apply. */
  cpuMs: number;
  done: number;
  failed: number;
  firstFailure?: string;
}

/** N new users bench000001…: each needs a create and an add to the domain. */
export function benchUsers(n: number): DirectoryUser[] {
  return Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(6, "0");
    return {
      dn: `uid=bench${id},ou=people,dc=example,dc=com`,
      username: `bench${id}`,
      name: `Bench ${id}`,
      email: `bench${id}@example.com`,
      aliases: {},
    };
  });
}

export async function runApply(job: ApplyJob): Promise<ApplyChildResult> {
  // env: no proxy from this machine's environment; only loopback.
  const api = createLoginTCClient(
    { host: job.host, apiKey: job.apiKey, domainId: job.domainId, caPem: job.caPem },
    { env: () => undefined },
  );
  const stateDir = await Deno.makeTempDir({ prefix: "logintc-sync-bench-state-" });
  try {
    const users = benchUsers(job.users);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const state: LoginTCState = job.read
      ? await readLoginTC(api, job.domainId, users, { concurrency: job.concurrency })
      : { domainId: job.domainId, members: [], orgUsers: [] };
    const readMs = job.read ? performance.now() - t0 : 0;
    const options = { syncMode: "add_only", syncTokenMode: "do_not_issue_token", maxRemoveLimit: 0 } as const;
    const plan = planSync(users, state, options);
    const { result } = await runSyncJob({ plan, withheld: [], notices: [] }, api, {
      stateDir,
      options,
      concurrency: job.concurrency,
    }, { now: () => new Date() });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      wallMs,
      readMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      done: result.done.length,
      failed: result.failed.length,
      ...(result.failed[0] ? { firstFailure: result.failed[0].message } : {}),
    };
  } finally {
    await api.close();
    await Deno.remove(stateDir, { recursive: true });
  }
}

if (import.meta.main) {
  console.log(JSON.stringify(await runApply(JSON.parse(Deno.args[0]) as ApplyJob)));
}
