/**
 * When to retry a LoginTC request and how long to wait. Pure: the clock and the random source
 * are parameters, so tests assert exact delays.
 */

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Backoff base: the first retry waits up to this long. */
  baseMs: number;
  /** No single wait is longer than this, Retry-After included. */
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseMs: 500, capMs: 30_000 };

/**
 * Statuses worth another try: 429 Too Many Requests (RFC 6585 §4) and the gateway/overload
 * family 502/503/504 (RFC 9110 §15.6). The official clients list these as possible answers
 * (docs/logintc-api.md).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * Statuses after which the server may have done the work (a gateway gave up waiting, or the
 * response was lost): a non-idempotent request must not simply be repeated. 429 and 503 say the
 * request was not processed (RFC 6585 §4, RFC 9110 §15.6.4).
 */
export function isAmbiguousStatus(status: number): boolean {
  return status === 502 || status === 504;
}

/**
 * Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture
 * Blog, 2015): a uniform wait in [0, min(cap, base·2^(retry-1))]. `retry` is 1 for the first retry.
 */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds from `nowMs`
 * (0 for a date in the past), or undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined; // not a date either ("1.5", "-1")
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** The wait before retry number `retry`: the server's Retry-After if it gave one, capped; else backoff. */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs: number | undefined,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.capMs);
  return backoffMs(retry, policy, random);
}
