/**
 * Apply bench: N new users (create + add to domain = 2N requests) applied by the real applier and
 * HTTPS client (in a child process, ./applyChild.ts) against the emulator (in this process), every
 * request delayed by `latencyMs`. The ideal is requests × latency / concurrency; the ratio to it is
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
  /** Requests the emulator received during the apply. */
  requests: number;
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
): Promise<ApplyFigures> {
  const emulator = await startEmulator({ tls: { cert: pki.serverCertPem, key: pki.serverKeyPem } });
  try {
    emulator.addFault({ latencyMs });
    const job: ApplyJob = {
      host: emulator.host,
      apiKey: emulator.apiKey,
      domainId: emulator.domainId,
      caPem: pki.caPem,
      users,
      concurrency,
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
    return {
      ...result,
      users,
      concurrency,
      latencyMs,
      requests,
      boundMs: (requests * latencyMs) / concurrency,
      processMs: m.wallMs,
      emulatorCpuMs: (cpu.user + cpu.system) / 1000,
    };
  } finally {
    await emulator.close();
  }
}
