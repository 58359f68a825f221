/**
 * Apply bench: N new users (create + add to domain = 2N requests) applied by the real applier and
 * HTTPS client (in a child process, ./applyChild.ts) against the emulator (in this process), every
 * request delayed by `latencyMs`. With `orgUsers`, a first sync: the emulator's organization holds
 * that many other users (outside the domain) and the child reads LoginTC first (readLoginTC). The ideal is requests × latency / concurrency; the ratio to it is
 * the overhead: phase barriers, scheduling, TLS, JSON, and the emulator's own CPU time.
 */
import process from "node:process";
import { startEmulator } from "../../emulator/mod.ts";
import type { TestPki } from "../../emulator/pki.ts";
import type { ApplyChildResult, ApplyJob } from "./applyChild.ts";
import { measure } from "./process.ts";

const CHILD = new URL("./applyChild.ts", import.meta.url).pathname;

export interface ApplyFigures extends ApplyChildResult {
  users: number;
  concurrency: number;
  latencyMs: number;
  /** Requests the emulator received (read included when asked). */
  requests: number;
  /** GET /users?page= and GET /users?username= among them. */
  listingPages: number;
  lookups: number;
  /** requests × latency / concurrency */
  boundMs: number;
  /** Wall time of the whole child process (deno start and plan included). */
  processMs: number;
  /** CPU time of this process (the emulator) while the child ran. */
  emulatorCpuMs: number;
}

export async function benchApply(
  pki: TestPki,
  users: number,
  concurrency: number,
  latencyMs: number,
  orgUsers = 0,
): Promise<ApplyFigures> {
  const emulator = await startEmulator({ tls: { cert: pki.serverCertPem, key: pki.serverKeyPem } });
  try {
    for (let i = 1; i <= orgUsers; i++) {
      const id = String(i).padStart(6, "0");
      emulator.seedUser({
        username: `org${id}`,
        name: `Org ${id}`,
        email: `org${id}@example.com`,
        domains: [],
      });
    }
    emulator.addFault({ latencyMs });
    const job: ApplyJob = {
      host: emulator.host,
      apiKey: emulator.apiKey,
      domainId: emulator.domainId,
      caPem: pki.caPem,
      users,
      concurrency,
      read: orgUsers > 0,
    };
    const cpu0 = process.cpuUsage();
    const m = await measure({
      cmd: Deno.execPath(),
      args: ["run", "--quiet", "-A", CHILD, JSON.stringify(job)],
      env: {
        NO_COLOR: "1",
        RUST_BACKTRACE: "0",
        PATH: Deno.env.get("PATH") ?? "",
        HOME: Deno.env.get("HOME") ?? "",
      },
      rss: false,
    });
    const cpu = process.cpuUsage(cpu0);
    if (m.code !== 0) throw new Error(`apply child failed (exit ${m.code}):\n${m.stderr}`);
    const result = JSON.parse(m.stdout.trim().split("\n").pop()!) as ApplyChildResult;
    if (emulator.members().length !== users - result.failed) {
      throw new Error(`apply bench: ${emulator.members().length} members after applying ${users} users`);
    }
    const requests = emulator.requests.length;
    const usersGets = emulator.requests.filter((r) => r.method === "GET" && r.path === "/api/users");
    return {
      ...result,
      users,
      concurrency,
      latencyMs,
      requests,
      listingPages: usersGets.filter((r) => r.query.page !== undefined).length,
      lookups: usersGets.filter((r) => r.query.username !== undefined).length,
      boundMs: (requests * latencyMs) / concurrency,
      processMs: m.wallMs,
      emulatorCpuMs: (cpu.user + cpu.system) / 1000,
    };
  } finally {
    await emulator.close();
  }
}
