/**
 * Runs the real CLI as a subprocess, as cron or Task Scheduler would, and captures what an
 * admin would see. The environment is controlled: this machine presets NODE_EXTRA_CA_CERTS
 * and SSL_CERT_FILE (Deno honours the first, which would hide trust failures), RUST_BACKTRACE=1
 * (appends a backtrace to every failure) and proxies; none of them reach the child unless a
 * test passes them in `env`. The child runs with exactly the permissions the compiled binary
 * has (src/cli/permissions.ts), so a missing permission fails a test here.
 */

import { fileURLToPath } from "node:url";
import { CLI_PERMISSIONS } from "../../src/cli/permissions.ts";
import { clockFlags } from "./fakeClock.ts";

export { CLI_PERMISSIONS };

// A file path, not URL.pathname: on Windows that would be "/Z:/…", which is no path there.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  /**
   * stderr without the timestamp main.ts puts at the start of every line when stderr is not a
   * terminal (it never is here), so tests can assert exact messages.
   */
  stderr: string;
  /** stderr exactly as written, timestamps included. */
  stderrRaw: string;
}

/** main.ts's stderr line prefix: ISO 8601 UTC to the second, then one space. */
export const STDERR_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z /;

/** Removes the timestamp from every stderr line that has one. */
export function stripStamps(stderr: string): string {
  return stderr.split("\n").map((line) => line.replace(STDERR_STAMP, "")).join("\n");
}

/** code, stdout and stderr (timestamps stripped): for asserting a whole run with deepEqual. */
export function view(r: CliResult): { code: number; stdout: string; stderr: string } {
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

export interface CliOptions {
  /** Extra environment variables (added to the minimal base). */
  env?: Record<string, string>;
  cwd?: string;
  stdin?: string;
  /** The program's clock starts here (./fakeClock.ts; tests only, not a product setting). */
  now?: Date;
}

const UNIX_ENV = ["PATH", "HOME", "DENO_DIR", "TMPDIR"];
const WINDOWS_ENV = [
  "SystemRoot",
  "windir",
  "ComSpec",
  "PATHEXT",
  "TEMP",
  "TMP",
  "USERPROFILE",
  "LOCALAPPDATA",
  "APPDATA",
  "DENO_DISABLE_NODE_SHIM",
];

/** The minimal environment every CLI run gets. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1", RUST_BACKTRACE: "0", LANG: "C.UTF-8" };
  // The Windows names are what a Windows process always has (Task Scheduler gives them too);
  // DENO_DISABLE_NODE_SHIM keeps deno.exe from leaving a node.exe copy behind per run.
  for (const key of [...UNIX_ENV, ...(Deno.build.os === "windows" ? WINDOWS_ENV : [])]) {
    const value = Deno.env.get(key);
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** The CLI's command (deno run with the release permissions), not started. */
export function cliCommand(args: string[], opts: CliOptions = {}): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...CLI_PERMISSIONS,
      ...(opts.now ? clockFlags(opts.now) : []),
      `${ROOT}main.ts`,
      ...args,
    ],
    cwd: opts.cwd ?? ROOT,
    clearEnv: true,
    env: { ...baseEnv(), ...opts.env },
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
}

export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const child = cliCommand(args, opts).spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  return await collectCli(child);
}

/** A started CLI's exit code and output (its stdout and stderr must be piped and unread). */
export async function collectCli(child: Deno.ChildProcess): Promise<CliResult> {
  const out = await child.output();
  const dec = new TextDecoder();
  const stderrRaw = dec.decode(out.stderr);
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: stripStamps(stderrRaw), stderrRaw };
}
