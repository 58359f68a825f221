/**
 * `deno task emulator` as a child process, for the tests of emulator/main.ts: started with the
 * CLI tests' clean environment, its banner read up to "Press Ctrl-C", then stopped with SIGINT.
 */
import { baseEnv } from "./cli.ts";

/** emulator/main.ts, what `deno task emulator` runs. */
export const EMULATOR_MAIN = new URL("../../emulator/main.ts", import.meta.url).pathname;

export interface EmulatorProcess {
  /** Everything printed so far (after stop(): until exit). */
  out: string;
  url: string;
  caFile: string;
  key: string;
  /** SIGINT, then waits: the exit code, stderr, and the whole stdout. */
  stop(): Promise<{ code: number; stderr: string; out: string }>;
}

/** Starts emulator/main.ts on a free port with `args` and reads its banner. */
export async function startEmulatorProcess(args: string[]): Promise<EmulatorProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EMULATOR_MAIN, "--port", "0", ...args],
    env: baseEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  let stopped: Promise<{ code: number; stderr: string; out: string }> | undefined;
  const stop = () =>
    stopped ??= (async () => {
      try {
        child.kill("SIGINT");
      } catch { /* already exited */ }
      const { code } = await child.status;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        out += value;
      }
      return { code, stderr: await stderr, out };
    })();
  try {
    while (!out.includes("Press Ctrl-C")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`emulator exited early:\n${out}\n${await stderr}`);
      out += value;
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const url = /listening on (https:\/\/\S+)\/api/.exec(out)?.[1];
  const caFile = /CA certificate: (\S+)/.exec(out)?.[1];
  const key = /API key: +(\S+)/.exec(out)?.[1];
  if (!url || !caFile || !key) {
    await stop();
    throw new Error(`no URL, CA file or key in the banner:\n${out}`);
  }
  return { out, url, caFile, key, stop };
}
