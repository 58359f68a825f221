/** Retry timing of the LoginTC client (src/logintc/retry.ts): backoff and Retry-After. */
import assert from "node:assert/strict";
import { backoffMs, DEFAULT_RETRY, parseRetryAfter, retryDelayMs } from "../../../src/logintc/retry.ts";

Deno.test("backoff: full jitter under an exponential ceiling, capped at 30 s", () => {
  const top = (n: number) => backoffMs(n, DEFAULT_RETRY, () => 0.999999);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(top), [499, 999, 1999, 3999, 7999, 15999, 29999, 29999]);
  assert.equal(backoffMs(3, DEFAULT_RETRY, () => 0), 0);
  assert.equal(retryDelayMs(1, DEFAULT_RETRY, () => 0.5, 120_000), 30_000, "Retry-After is capped too");
  assert.equal(retryDelayMs(1, DEFAULT_RETRY, () => 0.5, 2000), 2000);
  assert.equal(retryDelayMs(2, DEFAULT_RETRY, () => 0.5, undefined), 500);
});

Deno.test("Retry-After: seconds, HTTP-date (past → 0), junk → undefined", () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 0);
  assert.equal(parseRetryAfter("5", now), 5000);
  assert.equal(parseRetryAfter(" 0 ", now), 0);
  assert.equal(parseRetryAfter("Thu, 15 Jan 2026 12:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfter("Thu, 15 Jan 2026 11:00:00 GMT", now), 0);
  for (const junk of [null, undefined, "", "1.5", "-3", "soon"]) {
    assert.equal(parseRetryAfter(junk, now), undefined);
  }
});
