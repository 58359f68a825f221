/** The signals that stop a run (src/cli/signals.ts): which, per OS, and the exit codes they give. */
import assert from "node:assert/strict";
import { RunStopped } from "../../../src/errors.ts";
import { signalExitCode, stoppedBy, stopSignals } from "../../../src/cli/signals.ts";

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
