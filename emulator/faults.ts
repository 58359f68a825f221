/**
 * Fault injection: rules that make the emulator misbehave the way networks and busy servers
 * do (429 with Retry-After, 5xx, latency, held requests, dropped connections, non-JSON bodies), so tests can
 * prove the client's retries and error messages. Deterministic: counts per rule and the
 * emulator's seeded random.
 */

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Path after /api without the query: exact string ("/users") or a RegExp. Any when absent. */
  path?: string | RegExp;
  /** Only the n-th matching request (1-based). */
  nth?: number;
  /** Only the first N matching requests. */
  times?: number;
  /** Fire with this probability (0–1), drawn from the emulator's seeded random. */
  probability?: number;
  /** Answer with this status instead of handling the request. */
  status?: number;
  /** Body for `status` (default: an errors body with code "emulator.fault"). */
  body?: string;
  /** Extra response headers, e.g. {"Retry-After": "1"}. */
  headers?: Record<string, string>;
  /** Delay before answering (alone: the request is then handled normally). */
  latencyMs?: number;
  /**
   * Handle the request only once this settles (after latencyMs; alone: then handled normally).
   * In-process only: lets a test decide exactly when a request takes effect, e.g. a dead run's
   * create that lands between the next run's read and its own create.
   */
  hold?: Promise<unknown>;
  /** Close the connection without any response. */
  drop?: boolean;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
}

export type FaultAction =
  | { kind: "drop" }
  | { kind: "malformed" }
  | { kind: "status"; status: number; body?: string; headers: Record<string, string> }
  | { kind: "none" };

export interface FaultDecision {
  rule?: FaultRule;
  latencyMs: number;
  hold?: Promise<unknown>;
  action: FaultAction;
}

interface Entry {
  rule: FaultRule;
  seen: number;
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === "string" ? rule.path === path : rule.path.test(path);
}

function actionOf(rule: FaultRule): FaultAction {
  if (rule.drop) return { kind: "drop" };
  if (rule.malformed) return { kind: "malformed" };
  if (rule.status !== undefined) {
    return { kind: "status", status: rule.status, body: rule.body, headers: { ...rule.headers } };
  }
  return { kind: "none" };
}

export function validateRule(rule: FaultRule): void {
  const effects = [rule.drop, rule.malformed, rule.status !== undefined].filter(Boolean).length;
  if (effects > 1) throw new Error("A fault rule has at most one of drop, malformed, status.");
  if (effects === 0 && !rule.latencyMs && rule.hold === undefined) {
    throw new Error("A fault rule needs drop, malformed, status, latencyMs or hold.");
  }
  if (rule.nth !== undefined && !(Number.isInteger(rule.nth) && rule.nth >= 1)) {
    throw new Error("fault nth must be an integer >= 1");
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1)) {
    throw new Error("fault times must be an integer >= 1");
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new Error("fault probability must be between 0 and 1");
  }
}

/** The rules of one emulator, in the order added; the first rule that fires wins. */
export class FaultTable {
  #entries: Entry[] = [];

  constructor(readonly random: () => number) {}

  add(rule: FaultRule): void {
    validateRule(rule);
    this.#entries.push({ rule, seen: 0 });
  }

  clear(): void {
    this.#entries = [];
  }

  /** Counts this request against every matching rule, then picks the first that fires. */
  decide(method: string, path: string): FaultDecision {
    let fired: FaultRule | undefined;
    for (const e of this.#entries) {
      if (!matches(e.rule, method, path)) continue;
      e.seen++;
      if (fired) continue;
      const r = e.rule;
      if (r.nth !== undefined && e.seen !== r.nth) continue;
      if (r.times !== undefined && e.seen > r.times) continue;
      // Draw only for rules that got this far, so the sequence is reproducible per seed.
      if (r.probability !== undefined && !(this.random() < r.probability)) continue;
      fired = r;
    }
    if (!fired) return { latencyMs: 0, action: { kind: "none" } };
    return { rule: fired, latencyMs: fired.latencyMs ?? 0, hold: fired.hold, action: actionOf(fired) };
  }
}
