/**
 * The signals that ask a run to stop, and what the run then says. SIGTERM is how systemd stops a
 * service and how `kill` and `timeout` end a process; SIGINT is Ctrl-C. Windows delivers only SIGINT
 * and SIGBREAK (Ctrl-Break) to a console program (Deno.addSignalListener's documentation); Task
 * Scheduler ends a task with TerminateProcess, which no program can catch. main.ts listens for them;
 * the run stops as RunSyncDeps.signal says (src/cli/runSync.ts).
 */
import { ExitCode, RunStopped } from "../errors.ts";

export function stopSignals(os: typeof Deno.build.os = Deno.build.os): Deno.Signal[] {
  return os === "windows" ? ["SIGINT", "SIGBREAK"] : ["SIGTERM", "SIGINT"];
}

/** The exit code for a run a signal stopped: 128 + its number (SIGBREAK, Windows only, as SIGINT). */
export function signalExitCode(signal: Deno.Signal): ExitCode {
  return signal === "SIGTERM" ? ExitCode.SIGTERM : ExitCode.SIGINT;
}

/**
 * `signal`, also aborted `seconds` after now with the --max-run-time reason: the same stop as a
 * signal's (no step starts after it, the job records Interrupted), with exit code 1. `clear()` when
 * the run is over. The timer never keeps the process alive.
 */
export function withRunTimeLimit(
  signal: AbortSignal | undefined,
  seconds: number | undefined,
): { signal: AbortSignal | undefined; clear(): void } {
  if (seconds === undefined) return { signal, clear() {} };
  const limit = new AbortController();
  const timer = setTimeout(
    () => limit.abort(new RunStopped(`stopped after --max-run-time ${seconds} s`, ExitCode.FAILURE)),
    seconds * 1000,
  );
  Deno.unrefTimer(timer);
  return {
    signal: signal ? AbortSignal.any([signal, limit.signal]) : limit.signal,
    clear: () => clearTimeout(timer),
  };
}

/** The reason a signal gives the run: what it prints and records, and its exit code. */
export function stoppedBy(signal: Deno.Signal): RunStopped {
  return new RunStopped(`stopped by ${signal}`, signalExitCode(signal));
}
