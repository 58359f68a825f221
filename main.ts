/**
 * logintc-sync entry point. The only place that exits: everything else returns an exit code
 * or throws a typed error (src/errors.ts), mapped here.
 */
import { app } from "./src/cli/app.ts";
import { signalExitCode, stoppedBy, stopSignals } from "./src/cli/signals.ts";
import { AppError, ConfigError, ExitCode, UsageError } from "./src/errors.ts";
import { takeProxyVariables } from "./src/logintc/proxy.ts";
import { terminalSafeOutput } from "./src/output/escape.ts";
import type { Output } from "./src/output/output.ts";

const enc = new TextEncoder();
const now = () => new Date();
/** writeSync may write only part of a buffer (Deno docs); loop until all of it is out. */
const writeAll = (file: typeof Deno.stdout, text: string) => {
  const bytes = enc.encode(text);
  for (let done = 0; done < bytes.length;) done += file.writeSync(bytes.subarray(done));
};
const isTerminal = Deno.stdout.isTerminal();
/**
 * stdout and stderr are one file when fds 1 and 2 have the same device and inode (`>log 2>&1`,
 * `>>log 2>>log`, one pipe, one terminal). fstat on an open descriptor needs no permission (Deno
 * itself has no fstat since 2.0, hence node:fs, loaded only when asked). Where the OS gives no
 * inode (0), or fstat fails, they are taken as different: a line twice is better than a reason lost.
 */
const errIsOut = async () => {
  try {
    const { fstatSync } = await import("node:fs");
    const [o, e] = [fstatSync(1), fstatSync(2)];
    return o.ino > 0 && o.dev === e.dev && o.ino === e.ino;
  } catch {
    return false;
  }
};
// stderr lines (warnings, errors) get a UTC timestamp when stderr is not a terminal, so cron mail
// and Task Scheduler history say when each was written: "2026-11-26T19:00:00Z warning: ...".
// stdout never does: scripts parse it, and its format is the original tool's.
const stampErr = !Deno.stderr.isTerminal();
const stamp = (text: string) => {
  const at = now().toISOString().replace(/\.\d{3}Z$/, "Z");
  return text.split("\n").map((line) => `${at} ${line}`).join("\n");
};
// Every line passes the terminal-safety net (src/output/escape.ts): no control sequence from data.
const output: Output = terminalSafeOutput({
  out: (text) => writeAll(Deno.stdout, text + "\n"),
  err: (text) => writeAll(Deno.stderr, (stampErr ? stamp(text) : text) + "\n"),
  isTerminal,
  errIsOut,
  // Carriage return + "erase line" (ECMA-48 EL): rewrite the status line in place. Only on a
  // terminal, and not with NO_COLOR set (no-color.org; Deno.noColor needs no env permission):
  // cron mail and Task Scheduler logs get plain lines.
  live: isTerminal && !Deno.noColor ? (text) => writeAll(Deno.stdout, `\r\x1b[K${text}`) : undefined,
});

// The proxy variables are read once, here, and removed from the environment: the sync resolves
// the proxy itself, and nothing else (Deno's fetch above all) may read them (src/logintc/proxy.ts).
const env = takeProxyVariables(Deno.env);

// SIGTERM (systemd stop, kill, timeout) and Ctrl-C ask the run to stop: it starts no more steps
// and records how far it got (src/cli/runSync.ts). A second signal ends it at once; and however the
// run is doing, it ends HARD_STOP_MS after the first (the apply waits at most a few seconds).
const HARD_STOP_MS = 15_000;
const stop = new AbortController();
for (const signal of stopSignals()) {
  try {
    Deno.addSignalListener(signal, () => {
      if (stop.signal.aborted) Deno.exit(signalExitCode(signal));
      stop.abort(stoppedBy(signal));
      Deno.unrefTimer(setTimeout(() => Deno.exit(signalExitCode(signal)), HARD_STOP_MS));
    });
  } catch {
    // A signal this OS cannot deliver: nothing to listen for.
  }
}

let code: number;
try {
  code = await app(Deno.args, { output, now, env, signal: stop.signal });
} catch (e) {
  if (e instanceof UsageError) {
    output.err(`error: ${e.message}`);
    output.err("Run 'logintc-sync --help' for usage.");
  } else if (e instanceof ConfigError) {
    for (const p of e.problems) output.err(`error: ${p}`);
  } else if (e instanceof AppError) {
    output.err(`error: ${e.message}`);
  } else {
    // A bug, not an admin's mistake: show what we have, without a stack full of internals.
    output.err(`error: unexpected failure: ${e instanceof Error ? e.message : String(e)}`);
  }
  code = e instanceof AppError ? e.exitCode : ExitCode.FAILURE;
}
Deno.exit(code);
