/**
 * Runs the real CLI as a subprocess, as cron or Task Scheduler would, and captures what an
 * admin would see. The environment is controlled: this machine presets NODE_EXTRA_CA_CERTS
 * and SSL_CERT_FILE (Deno honours the first, which would hide trust failures), RUST_BACKTRACE=1
 * (appends a backtrace to every failure) and proxies; none of them reach the child unless a
 * test passes them in `env`.
 */

const ROOT = new URL("../../", import.meta.url).pathname;

/** Permission flags the CLI runs with; the one definition shared with `deno task compile`. */
export const CLI_PERMISSIONS: readonly string[] = ["-A"];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Extra environment variables (added to the minimal base). */
  env?: Record<string, string>;
  cwd?: string;
  stdin?: string;
}

/** The minimal environment every CLI run gets. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1", RUST_BACKTRACE: "0", LANG: "C.UTF-8" };
  for (const key of ["PATH", "HOME", "DENO_DIR", "TMPDIR"]) {
    const value = Deno.env.get(key);
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...CLI_PERMISSIONS, `${ROOT}main.ts`, ...args],
    cwd: opts.cwd ?? ROOT,
    clearEnv: true,
    env: { ...baseEnv(), ...opts.env },
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
