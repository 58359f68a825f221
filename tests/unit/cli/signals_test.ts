/** The signals that stop a run (src/cli/signals.ts): which, per OS, and the exit codes they give. */
import assert from "node:assert/strict";
import { RunStopped } from "../../../src/errors.ts";
import { signalExitCode, stoppedBy, stopSignals, withRunTimeLimit } from "../../../src/cli/signals.ts";

Deno.test("stop signals: SIGTERM and SIGINT on POSIX; SIGINT and SIGBREAK on Windows", () => {
  assert.deepEqual(stopSignals("linux"), ["SIGTERM", "SIGINT"]);
  assert.deepEqual(stopSignals("darwin"), ["SIGTERM", "SIGINT"]);
  assert.deepEqual(stopSignals("windows"), ["SIGINT", "SIGBREAK"]);
});

Deno.test("stop signals: 128 + the signal's number, as a shell reports it (SIGBREAK as Ctrl-C)", () => {
  assert.equal(signalExitCode("SIGTERM"), 143);
  assert.equal(signalExitCode("SIGINT"), 130);
  assert.equal(signalExitCode("SIGBREAK"), 130);
  const reason = stoppedBy("SIGTERM");
  assert.ok(reason instanceof RunStopped);
  assert.equal(reason.message, "stopped by SIGTERM");
  assert.equal(reason.exitCode, 143);
});

Deno.test("--max-run-time: the run's stop signal aborts when the time is up, with exit code 1", async () => {
  assert.deepEqual(withRunTimeLimit(undefined, undefined).signal, undefined);
  const outer = new AbortController();
  const limited = withRunTimeLimit(outer.signal, 1);
  const t0 = Date.now();
  // The limit's timer never keeps a process alive: this one does, for the test.
  const keepAlive = setTimeout(() => {}, 5_000);
  const reason = await new Promise<unknown>((resolve) =>
    limited.signal!.addEventListener("abort", () => resolve(limited.signal!.reason), { once: true })
  );
  clearTimeout(keepAlive);
  assert.ok(Date.now() - t0 >= 900, `aborted after ${Date.now() - t0} ms`);
  assert.ok(reason instanceof RunStopped);
  assert.equal(reason.message, "stopped after --max-run-time 1 s");
  assert.equal(reason.exitCode, 1);
  assert.equal(outer.signal.aborted, false, "the signals' own controller is left alone");
  limited.clear();
  // A signal first: its reason stands, and clear() ends the timer (no leak for the test sanitizer).
  const sig = new AbortController();
  const both = withRunTimeLimit(sig.signal, 60);
  sig.abort(stoppedBy("SIGINT"));
  assert.equal((both.signal!.reason as RunStopped).exitCode, 130);
  both.clear();
});
