/**
 * The HTTPS transport to LoginTC Admin: one request with the API's headers, a timeout, and
 * retries with backoff. Built on fetch + a Deno.HttpClient (trust and proxy live in the client).
 * Sleep, clock and random are injected so tests run fast and assert exact waits.
 */
import { VERSION } from "../version.ts";
import {
  bodyTooLarge,
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
  /** Path under /api, already encoded (built by ./paths.ts). */
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
  /** Default MAX_BODY_BYTES. */
  maxBodyBytes?: number;
}

export interface Transport {
  request(spec: RequestSpec): Promise<Reply>;
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

/**
 * The most of a response body read (16 MiB). The largest answer LoginTC gives is a listing page: its
 * page size is not documented (docs/logintc-api.md, "Where a listing ends"), and even 1,000 users of
 * ~2 KB each (names, email, aliases, phones, hardware, bypass codes) make 2 MB. A body past the bound
 * is not LoginTC's answer to read: the read stops there, instead of holding whatever a hostile or
 * broken server sends (a 1.5 GB body once took 4 GB of memory, five times over with the retries).
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

type Outcome =
  | { kind: "reply"; reply: Reply; retryAfter: string | null }
  | { kind: "too-large"; status: number }
  | { kind: "error"; error: unknown; timedOut: boolean };

/** The body as text, or undefined once it passes `max` bytes (the rest is never read). */
async function readBody(res: Response, max: number): Promise<string | undefined> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > max) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return new TextDecoder().decode(all);
}

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
      // The whole body within the timeout and the size bound; never trust Content-Type
      // (docs/logintc-api.md).
      const text = await readBody(res, opts.maxBodyBytes ?? MAX_BODY_BYTES);
      if (text === undefined) return { kind: "too-large", status: res.status };
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
      if (out.kind === "too-large") {
        // Not retried: the same server would send the same again.
        throw bodyTooLarge({
          method: spec.method,
          path: shown,
          status: out.status,
          limit: opts.maxBodyBytes ?? MAX_BODY_BYTES,
        }, opts.redact);
      }
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
