/**
 * The real CLI as cron runs it (a real sync, not -d), against slapd and an emulator that already
 * holds every directory user as a domain member with the same name and email: a no-op re-sync.
 * Reports its wall time, peak RSS and every request it made, by method and path.
 */
import { startEmulator } from "../../emulator/mod.ts";
import type { Slapd } from "../../tests/support/slapd.ts";
import { baseEnv, CLI_PERMISSIONS } from "../../tests/support/cli.ts";
import { measure, type Measured } from "./process.ts";
import { countRequests } from "./stats.ts";
import { writeSyncConfig } from "../../tests/support/config.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

export interface CliRun {
  /** The CLI's flags, as run (config path shortened). */
  args: string;
  run: Measured;
  requests: Map<string, number>;
  writes: number;
  nothingToDo: boolean;
}

export interface CliSetup {
  slapd: Slapd;
  /** Generated slapd users to seed in LoginTC as synced members (0: empty domain). */
  seedUsers: number;
  args: string[];
}

function pad(i: number): string {
  return String(i).padStart(6, "0");
}

export async function benchCli(setup: CliSetup): Promise<CliRun> {
  const { slapd } = setup;
  const dir = await Deno.makeTempDir({ prefix: "logintc-sync-bench-" });
  const emulator = await startEmulator({
    tls: { cert: slapd.pki.serverCertPem, key: slapd.pki.serverKeyPem },
  });
  try {
    // The same values tests/support/slapd.ts generates, so the plan is empty.
    for (let i = 1; i <= setup.seedUsers; i++) {
      emulator.seedUser({
        username: `user${pad(i)}`,
        name: `User ${pad(i)}`,
        email: `user${pad(i)}@example.com`,
      });
    }
    const config = await writeSyncConfig(`${dir}/config.cfg`, slapd, emulator);
    const args = [...setup.args, "--state-dir", `${dir}/state`, config];
    const before = emulator.requests.length;
    const run = await measure({
      cmd: Deno.execPath(),
      args: ["run", "--quiet", ...CLI_PERMISSIONS, `${ROOT}main.ts`, ...args],
      env: baseEnv(),
      cwd: ROOT,
    });
    const made = emulator.requests.slice(before);
    return {
      args: setup.args.join(" "),
      run: { ...run, stdout: tailLines(run.stdout, 12) },
      requests: countRequests(made),
      writes: made.filter((r) => r.method !== "GET").length,
      nothingToDo: run.stdout.includes("Nothing to do"),
    };
  } finally {
    await emulator.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function tailLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}
