/**
 * Turns what went wrong talking to LoginTC Admin into one LoginTCError an admin can act on:
 * which request, what LoginTC said (its error code and message), and which [logintc] key to
 * check. Pure: the caller passes the redactor; every text that leaves here went through it
 * (API key, proxy password and its Basic form never appear, not even in the `cause`).
 */
import { LoginTCError } from "../errors.ts";
import { escapeText } from "../output/escape.ts";
import { certificateMessage, problemFromFetchText } from "../tls/certificate.ts";
import type { RelayFailure } from "./proxyRelay.ts";

/** What the transport knows about the route to LoginTC, for network error messages. */
export interface RouteInfo {
  /** host[:port] of LoginTC Admin as configured. */
  host: string;
  /** The proxy in use, if any. */
  proxy?: {
    host: string;
    port: number;
    /** Where its settings came from, named in messages. */
    source: "config" | "environment";
    /** The environment variable it came from (HTTPS_PROXY, https_proxy, ALL_PROXY…). */
    variable?: string;
    hasCredentials: boolean;
  };
}

/** LoginTC's error body: {"errors":[{"code","message"}]}; only errors[0] counts (docs/logintc-api.md). */
export function parseErrorBody(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text);
    const first = body?.errors?.[0];
    if (first && typeof first === "object") {
      return {
        code: typeof first.code === "string" ? first.code : undefined,
        message: typeof first.message === "string" ? first.message : undefined,
      };
    }
  } catch { /* not JSON: no code, no message */ }
  return {};
}

function shortBody(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 120 ? `${t.slice(0, 120)}…` : t;
}

/**
 * "404 api.error.notfound.domain: Domain not found" (whatever parts LoginTC gave). What LoginTC (or a
 * proxy in between) said is data: shown terminal-safe (src/output/escape.ts).
 */
function statusText(status: number, code?: string, message?: string, body?: string): string {
  let s = String(status);
  if (code) s += ` ${escapeText(code)}`;
  if (message) s += `: ${escapeText(message)}`;
  else if (!code && body && body.trim()) s += `: ${escapeText(shortBody(body))}`;
  return s;
}

export interface HttpFailure {
  method: string;
  /** Path as shown to admins, including /api and the (encoded) query. */
  path: string;
  status: number;
  body: string;
  attempts: number;
}

/** A final non-success HTTP answer. */
export function httpError(f: HttpFailure, redact: (s: string) => string): LoginTCError {
  const { code, message } = parseErrorBody(f.body);
  const st = statusText(f.status, code, message, f.body);
  const after = f.attempts > 1 ? ` (gave up after ${f.attempts} attempts)` : "";
  let text: string;
  if (f.status === 401) {
    text = `LoginTC Admin rejected the API key (${st}) on ${f.method} ${f.path}; check api_key in [logintc]`;
  } else if (f.status === 403) {
    text =
      `LoginTC Admin refused the API key access (${st}) on ${f.method} ${f.path}; check that api_key in ` +
      `[logintc] is an administrator's key allowed to manage users`;
  } else {
    text = `LoginTC Admin answered ${f.method} ${f.path} with ${st}${after}`;
  }
  // 401 and 403 answer the key, not the request (RFC 9110 §15.5.2, §15.5.4): later requests get the same.
  const credentials = f.status === 401 || f.status === 403 ? "api-key" : undefined;
  return apiError(text, f, code, message, redact, credentials);
}

/** The error for an HTTP failure, its details scrubbed like its message. */
function apiError(
  text: string,
  f: HttpFailure,
  code: string | undefined,
  message: string | undefined,
  redact: (s: string) => string,
  credentials?: "api-key",
): LoginTCError {
  return new LoginTCError(redact(text), {
    method: f.method,
    path: f.path,
    status: f.status,
    code,
    apiMessage: message === undefined ? undefined : redact(message),
    ...(credentials ? { credentials } : {}),
  });
}

/** GET /domains/{id} answered 404: the configured domain_id is wrong. */
export function domainNotFound(
  domainId: string,
  f: HttpFailure,
  redact: (s: string) => string,
): LoginTCError {
  const { code, message } = parseErrorBody(f.body);
  const text = `domain_id ${domainId} not found in LoginTC Admin (${
    statusText(f.status, code, message, f.body)
  } on ${f.method} ${f.path}); check domain_id in [logintc]`;
  return apiError(text, f, code, message, redact);
}

/** A 2xx whose body is not what the API documents (not JSON, wrong shape). */
export function badResponse(
  method: string,
  path: string,
  status: number,
  problem: string,
  redact: (s: string) => string,
): LoginTCError {
  return new LoginTCError(redact(`LoginTC Admin answered ${method} ${path} with ${status} but ${problem}`), {
    method,
    path,
    status,
  });
}

/** An answer whose body passed the size bound (./http.ts MAX_BODY_BYTES): read no further. */
export function bodyTooLarge(
  f: { method: string; path: string; status: number; limit: number },
  redact: (s: string) => string,
): LoginTCError {
  const mib = f.limit / (1024 * 1024);
  const size = Number.isInteger(mib) ? `${mib} MiB` : `${f.limit} bytes`;
  return new LoginTCError(
    redact(
      `LoginTC Admin answered ${f.method} ${f.path} with ${f.status} and a body over ${size}; stopped reading ` +
        "it (no LoginTC answer is that large: check host in [logintc] and what answers there)",
    ),
    { method: f.method, path: f.path, status: f.status },
  );
}

/** Every message in an error's cause chain, joined: Deno puts the useful part in the cause. */
export function causeText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; e !== undefined && e !== null && i < 8; i++) {
    if (e instanceof Error) {
      parts.push(e.message);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(": ");
}

/** The part of Deno's fetch error worth showing: drop "fetch failed" and the URL preamble. */
function detail(text: string): string {
  return text
    .replace(/^fetch failed: /, "")
    .replace(/error sending request for url \([^)]*\): /, "")
    .replace(/client error \(Connect\): /, "");
}

export type NetworkKind = "tls" | "proxy-auth" | "proxy-tunnel" | "refused" | "timeout" | "other";

/**
 * Classifies a fetch failure by its cause text (Deno 2.9.6: docs/development.md, "Deno's fetch and
 * proxies").
 */
export function classifyNetworkError(text: string, timedOut: boolean): NetworkKind {
  if (timedOut) return "timeout";
  if (/invalid peer certificate|certificate|UnknownIssuer|NotValidForName|BadSignature|Expired/i.test(text)) {
    return "tls";
  }
  if (/proxy authentication required/i.test(text)) return "proxy-auth";
  if (/unsuccessful tunnel|unexpected eof while tunneling/i.test(text)) return "proxy-tunnel";
  if (/connection refused/i.test(text)) return "refused";
  return "other";
}

/** Permanent failures: retrying cannot help (the admin must change a setting). */
export function isPermanentNetworkKind(kind: NetworkKind): boolean {
  return kind === "tls" || kind === "proxy-auth";
}

export interface NetworkFailure {
  method: string;
  path: string;
  error: unknown;
  timedOut: boolean;
  timeoutMs: number;
  attempts: number;
  route: RouteInfo;
  /** What our relay saw on the way to the real proxy, when it is in use. */
  relay?: RelayFailure;
}

/**
 * A refused certificate, by its cause as Deno's fetch names it (src/tls/certificate.ts); an untrusted
 * issuer, or a cause the text does not name, points at ca_file.
 */
function tlsText(route: RouteInfo, raw: string, why: string, req: string): string {
  const hostName = route.host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  const inspecting = route.proxy ? " (or of a TLS-inspecting proxy on the way)" : "";
  return certificateMessage(problemFromFetchText(raw, hostName) ?? { kind: "untrusted" }, {
    whose: () => `The TLS certificate of LoginTC Admin at ${route.host}${inspecting}`,
    request: ` (${req})`,
    namesAre: "it is for",
    fix: {
      expired: "It must be renewed where it is served; ca_file cannot fix it. If the date looks wrong, " +
        "check this machine's clock",
      notYetValid: "Check this machine's clock",
      name: "Check host in [logintc]",
    },
    untrusted: () => ({
      what: `Cannot verify the TLS certificate of LoginTC Admin at ${route.host} (${why}) on ${req}`,
      fix:
        "If it (or a TLS-inspecting proxy) uses a private CA, set ca_file in [logintc] to that CA's PEM file",
    }),
  });
}

function credKeys(route: RouteInfo): string {
  return route.proxy?.source === "environment"
    ? `the user:password in ${route.proxy.variable ?? "HTTPS_PROXY"}`
    : "proxy_user/proxy_pass in [logintc]";
}

function hostKeys(route: RouteInfo): string {
  return route.proxy?.source === "environment"
    ? route.proxy.variable ?? "HTTPS_PROXY"
    : "proxy_host/proxy_port in [logintc]";
}

/** A request that got no HTTP answer from LoginTC: TLS, proxy, connection, timeout. */
export function networkError(f: NetworkFailure, redact: (s: string) => string): LoginTCError {
  const raw = causeText(f.error);
  const kind = classifyNetworkError(raw, f.timedOut);
  const why = escapeText(detail(raw));
  const req = `${f.method} ${f.path}`;
  const after = f.attempts > 1 ? `; gave up after ${f.attempts} attempts` : "";
  const px = f.route.proxy;
  const pxName = px ? `HTTP proxy ${px.host}:${px.port}` : "";
  let text: string;
  let credentials = false;
  if (px && f.relay?.kind === "rejected") {
    const s = f.relay.status;
    credentials = s === 407 || s === 401;
    text = s === 407 || s === 401
      ? `${pxName} rejected the credentials (${credKeys(f.route)}): ${
        escapeText(f.relay.statusLine)
      } (${req})`
      : `${pxName} refused to open a tunnel to ${f.route.host}: ${escapeText(f.relay.statusLine)} (${req})`;
  } else if (px && f.relay?.kind === "unreachable") {
    text = `${pxName} is not reachable (${escapeText(f.relay.reason)}); check ${
      hostKeys(f.route)
    } (${req}${after})`;
  } else if (kind === "tls") {
    text = tlsText(f.route, raw, why, req);
  } else if (px && kind === "proxy-auth") {
    credentials = true;
    text = px.hasCredentials
      ? `${pxName} rejected the credentials (${credKeys(f.route)}): ${why} (${req})`
      : `${pxName} requires credentials: set proxy_user/proxy_pass in [logintc] (${req})`;
  } else if (px && kind === "proxy-tunnel") {
    text = `${pxName} refused to open a tunnel to ${f.route.host} (${why}); check the proxy's ` +
      `credentials (${credKeys(f.route)}) and that it allows CONNECT to port ${
        portOf(f.route.host)
      } (${req})`;
  } else if (px && kind === "refused") {
    text = `${pxName} is not reachable (${why}); check ${hostKeys(f.route)} (${req}${after})`;
  } else if (kind === "timeout") {
    text = `No answer from LoginTC Admin at ${f.route.host} within ${f.timeoutMs / 1000} s on ${req}${after}`;
  } else {
    text = `Cannot reach LoginTC Admin at ${f.route.host} on ${req}: ${why}${after}`;
  }
  // The cause keeps Deno's own text for debugging, scrubbed like the message.
  // A proxy that refuses the credentials (407, RFC 9110 §15.5.8) refuses every later request too.
  return new LoginTCError(redact(text), {
    method: f.method,
    path: f.path,
    ...(credentials ? { credentials: "proxy" as const } : {}),
  }, { cause: new Error(redact(raw)) });
}

function portOf(host: string): string {
  const m = host.match(/:(\d+)$/);
  return m ? m[1] : "443";
}
