/**
 * The HTTPS transport to LoginTC Admin: one request with the API's headers, a timeout, and
 * retries with backoff. Built on fetch + a Deno.HttpClient (trust and proxy live in the client).
 * Sleep, clock and random are injected so tests run fast and assert exact waits.
 */
import { VERSION } from "../version.ts";
import {
  causeText,
  classifyNetworkError,
  httpError,
  isPermanentNetworkKind,
  networkError,
} from "./failures.ts";
import type { RouteInfo } from "./failures.ts";
import type { ProxyRelay } from "./proxyRelay.ts";
import { isAmbiguousStatus, isRetryableStatus, parseRetryAfter, retryDelayMs } from "./retry.ts";
import type { RetryPolicy } from "./retry.ts";

/**
 * The only media type LoginTC documents, for Accept and (with a body) Content-Type
 * (https://www.logintc.com/docs/rest-api/).
 */
export const MEDIA_TYPE = "application/vnd.logintc.v1+json";

/** The official clients treat exactly these as success (docs/logintc-api.md); there is no 204. */
const SUCCESS = new Set([200, 201, 202]);

export interface Reply {
  status: number;
  /** The raw body; may be empty (DELETE, bodiless PUT answer 200 with nothing). */
  text: string;
}

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under /api, already encoded (use apiPath). */
  path: string;
  /** Query parameters; encoded here. */
  query?: Record<string, string | number>;
  /** JSON body; when absent no Content-Type is sent. */
  body?: unknown;
  /** Final statuses to return instead of throwing (e.g. 404 where it means "absent"). */
  allow?: readonly number[];
  /**
   * For a request that is not idempotent (POST): how to find out whether a previous attempt
   * that got no clear answer (network error, timeout, 502/504) took effect. Returns the reply to
   * use if it did. Without it such a request is not retried after an ambiguous failure.
   */
  recover?: () => Promise<Reply | undefined>;
  /** Overrides "POST is not idempotent" for a POST that is (adding a known phone is a no-op). */
  idempotent?: boolean;
}

export interface TransportOptions {
  /** host[:port] of LoginTC Admin. */
  host: string;
  apiKey: string;
  /** Awaited by each request (a relay's client is made once the relay listens). */
  client?: Deno.HttpClient | Promise<Deno.HttpClient>;
  relay?: ProxyRelay;
  route: RouteInfo;
  timeoutMs: number;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  redact: (s: string) => string;
}

export interface Transport {
  request(spec: RequestSpec): Promise<Reply>;
}

/** Joins path segments, each encodeURIComponent'ed: ids and names never change the path. */
export function apiPath(...segments: string[]): string {
  return "/" + segments.map(encodeURIComponent).join("/");
}

function userAgent(): string {
  return `logintc-sync/${VERSION} (deno ${Deno.version.deno}; ${Deno.build.os})`;
}

/** The request as admins see it in messages: /api, path and encoded query. */
export function shownPath(spec: Pick<RequestSpec, "path" | "query">): string {
  return `/api${withQuery(spec.path, spec.query)}`;
}

function withQuery(path: string, query?: Record<string, string | number>): string {
  if (!query) return path;
  const parts = Object.entries(query).map(([k, v]) =>
    `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`
  );
  return parts.length ? `${path}?${parts.join("&")}` : path;
}

type Outcome =
  | { kind: "reply"; reply: Reply; retryAfter: string | null }
  | { kind: "error"; error: unknown; timedOut: boolean };

export function createTransport(opts: TransportOptions): Transport {
  const base = `https://${opts.host}/api`;
  const headers = {
    "Authorization": `LoginTC key="${opts.apiKey}"`,
    "Accept": MEDIA_TYPE,
    "User-Agent": userAgent(),
  };

  async function once(method: string, target: string, body: string | undefined): Promise<Outcome> {
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, opts.timeoutMs);
    try {
      const client = await opts.client;
      const res = await fetch(base + target, {
        method,
        headers: body === undefined ? headers : { ...headers, "Content-Type": MEDIA_TYPE },
        body,
        signal: ctrl.signal,
        client,
        redirect: "manual", // never follow a redirect with the API key to another host
      });
      // The whole body within the timeout; never trust Content-Type (docs/logintc-api.md).
      const text = await res.text();
      return {
        kind: "reply",
        reply: { status: res.status, text },
        retryAfter: res.headers.get("retry-after"),
      };
    } catch (error) {
      return { kind: "error", error, timedOut };
    } finally {
      clearTimeout(timer);
    }
  }

  async function request(spec: RequestSpec): Promise<Reply> {
    const target = withQuery(spec.path, spec.query);
    const shown = shownPath(spec);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const idempotent = spec.idempotent ?? spec.method !== "POST";
    const { maxAttempts } = opts.retry;
    let ambiguous = false; // the previous attempt may have taken effect
    for (let attempt = 1;; attempt++) {
      if (attempt > 1 && ambiguous && spec.recover) {
        const found = await spec.recover();
        if (found) return found;
      }
      const out = await once(spec.method, target, body);
      if (out.kind === "error") {
        const relay = opts.relay?.takeFailure();
        const kind = classifyNetworkError(causeText(out.error), out.timedOut);
        const canRetry = !isPermanentNetworkKind(kind) && relay?.kind !== "rejected" &&
          (idempotent || !!spec.recover) && attempt < maxAttempts;
        if (!canRetry) {
          throw networkError({
            method: spec.method,
            path: shown,
            error: out.error,
            timedOut: out.timedOut,
            timeoutMs: opts.timeoutMs,
            attempts: attempt,
            route: opts.route,
            relay,
          }, opts.redact);
        }
        ambiguous = true;
        await opts.sleep(retryDelayMs(attempt, opts.retry, opts.random, undefined));
        continue;
      }
      const { status, text } = out.reply;
      if (SUCCESS.has(status)) return out.reply;
      const retryable = isRetryableStatus(status) &&
        (idempotent || !isAmbiguousStatus(status) || !!spec.recover) && attempt < maxAttempts;
      if (retryable) {
        ambiguous = isAmbiguousStatus(status);
        // Retry-After only means something on 429 and 503 (RFC 9110 §10.2.3, RFC 6585 §4).
        const after = status === 429 || status === 503
          ? parseRetryAfter(out.retryAfter, opts.now())
          : undefined;
        await opts.sleep(retryDelayMs(attempt, opts.retry, opts.random, after));
        continue;
      }
      if (spec.allow?.includes(status)) return out.reply;
      throw httpError(
        { method: spec.method, path: shown, status, body: text, attempts: attempt },
        opts.redact,
      );
    }
  }

  return { request };
}
