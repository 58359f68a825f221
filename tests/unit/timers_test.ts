/** Waiting (src/timers.ts): untilStopped gives up on a promise as soon as its signal aborts. */
import assert from "node:assert/strict";
import { untilStopped, withTimeout } from "../../src/timers.ts";

Deno.test("untilStopped: the promise's value, or the signal's reason as soon as it aborts", async () => {
  assert.equal(await untilStopped(Promise.resolve(1), undefined), 1);
  const stop = new AbortController();
  assert.equal(await untilStopped(Promise.resolve(2), stop.signal), 2);

  let settle = (_: number) => {};
  const slow = new Promise<number>((r) => settle = r);
  const waiting = untilStopped(slow, stop.signal);
  const reason = new Error("stopped by SIGTERM");
  stop.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  settle(3);
  // Already aborted: rejects at once; a later rejection of the promise is not left unhandled.
  await assert.rejects(untilStopped(Promise.reject(new Error("late")), stop.signal), (e) => e === reason);
});

Deno.test("withTimeout: the value in time, else the message", async () => {
  assert.equal(await withTimeout(Promise.resolve(1), 1000, "slow"), 1);
  await assert.rejects(withTimeout(new Promise(() => {}), 10, "slow"), /slow/);
});
