/**
 * Which proxy to use for LoginTC Admin, and how: the ONE resolution of the proxy, and the one the
 * HTTP client uses. Pure: the environment is a parameter.
 *
 * Deno's fetch reads HTTPS_PROXY & co. and NO_PROXY by itself, in its own order (ext/fetch
 * `proxy::from_env`: ALL_PROXY before HTTPS_PROXY, upper case before lower case), and sends the
 * credentials of an http:// proxy to the destination too (./proxyRelay.ts). Two resolutions that
 * disagree let a proxy password reach LoginTC (HTTPS_PROXY with credentials beside https_proxy
 * without). So the process hands the variables over once, at start (takeProxyVariables, called by
 * main.ts; the client clears them again), and every proxy reaches Deno as an explicit option.
 *
 * The rules (docs/logintc-api.md, "Connecting to LoginTC Admin"):
 * - proxy_host/proxy_port win over the environment.
 * - Otherwise, for an https:// URL, as curl does: https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY,
 *   the first that holds a usable proxy URL. http_proxy/HTTP_PROXY are for http:// URLs only.
 * - no_proxy, else NO_PROXY (./noProxy.ts) exempts the LoginTC host from either kind of proxy.
 * - An http:// proxy with credentials goes through our loopback relay (./proxyRelay.ts), so Deno
 *   never holds them; any other proxy is given to Deno as is (it has nothing to leak: Deno adds
 *   credentials to requests only for an http:// proxy).
 */
import type { ProxyConfig } from "../types.ts";
import { noProxyCovers } from "./noProxy.ts";

export type ProxySource = "config" | "environment";

export type ProxyPlan =
  /** A direct connection; `exempt` names the variable that made it so. */
  | { kind: "none"; exempt?: string }
  /** A proxy Deno may use itself: no credentials, or credentials it never forwards (https, socks). */
  | {
    kind: "proxy";
    url: string;
    host: string;
    port: number;
    source: ProxySource;
    /** The variable it came from (source "environment"). */
    variable?: string;
    /** Credentials for a proxy that is not http:// (Deno sends them to that proxy only). */
    user?: string;
    pass?: string;
  }
  | {
    kind: "relay";
    host: string;
    port: number;
    user: string;
    pass: string;
    source: ProxySource;
    variable?: string;
  };

/** The variables that name a proxy for an https:// URL, in the order they are looked at. */
export const PROXY_ENV_NAMES = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
/** The exemption list: no_proxy, else NO_PROXY (curl's order). */
export const NO_PROXY_ENV_NAMES = ["no_proxy", "NO_PROXY"];
/** Every variable an HTTP stack may read for its proxy: all of them are taken from the process. */
export const ALL_PROXY_VARIABLES: readonly string[] = [
  ...PROXY_ENV_NAMES,
  "http_proxy",
  "HTTP_PROXY",
  ...NO_PROXY_ENV_NAMES,
];

/**
 * Reads every proxy variable once and removes it from the process environment, so that nothing
 * (Deno's fetch above all) reads it again; returns a lookup that answers those names from what was
 * read and every other name from `env`. Called once, by main.ts, before anything else runs.
 */
export function takeProxyVariables(
  env: Pick<Deno.Env, "get" | "delete">,
): (name: string) => string | undefined {
  const taken = new Map<string, string | undefined>();
  for (const name of ALL_PROXY_VARIABLES) taken.set(name, env.get(name));
  clearProxyVariables(env);
  return (name) => taken.has(name) ? taken.get(name) : env.get(name);
}

/** Removes every proxy variable from the process environment (idempotent). */
export function clearProxyVariables(env: Pick<Deno.Env, "delete">): void {
  for (const name of ALL_PROXY_VARIABLES) env.delete(name);
}

/** "host[:port]" (the [logintc] host) → hostname (no brackets) and port (443 by default). */
export function targetOf(host: string): { hostname: string; port: number } {
  const url = new URL(`https://${host}`);
  return { hostname: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : 443 };
}

export function basicCredentials(username: string, password: string): string {
  // RFC 7617: base64 of the UTF-8 "user:pass".
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return btoa(String.fromCharCode(...bytes));
}

/** Every form in which a plan's proxy credentials could show up in a message. */
export function proxySecrets(plan: ProxyPlan): string[] {
  if (plan.kind === "none" || plan.pass === undefined) return [];
  return [plan.pass, basicCredentials(plan.user ?? "", plan.pass)];
}

function hostForUrl(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const SCHEMES: Record<string, number> = { "http:": 80, "https:": 443, "socks5:": 1080, "socks5h:": 1080 };

/** A proxy URL from the environment, or undefined when it is not one we (or anyone) could use. */
function parseProxyUrl(raw: string): URL | undefined {
  const text = raw.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    return url.protocol in SCHEMES && url.hostname !== "" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The first of PROXY_ENV_NAMES that holds a usable proxy URL. */
function environmentProxy(env: (name: string) => string | undefined) {
  for (const variable of PROXY_ENV_NAMES) {
    const raw = env(variable);
    if (raw === undefined || raw.trim() === "") continue;
    const url = parseProxyUrl(raw);
    if (url) return { variable, url };
  }
  return undefined;
}

/** The exemption that covers `targetHost` (no_proxy, else NO_PROXY), if any. */
function exemption(targetHost: string, env: (name: string) => string | undefined): string | undefined {
  const variable = NO_PROXY_ENV_NAMES.find((n) => env(n) !== undefined && env(n)!.trim() !== "");
  return variable && noProxyCovers(env(variable)!, targetHost) ? variable : undefined;
}

/**
 * The proxy for LoginTC at `targetHost` (a hostname or IP address, without brackets or port).
 */
export function planProxy(
  proxy: ProxyConfig | undefined,
  env: (name: string) => string | undefined,
  targetHost: string,
): ProxyPlan {
  const fromEnv = proxy ? undefined : environmentProxy(env);
  if (!proxy && !fromEnv) return { kind: "none" };
  const exempt = exemption(targetHost, env);
  if (exempt) return { kind: "none", exempt };
  if (proxy) {
    if (proxy.user !== undefined && proxy.user !== "") {
      return {
        kind: "relay",
        host: proxy.host,
        port: proxy.port,
        user: proxy.user,
        pass: proxy.pass ?? "",
        source: "config",
      };
    }
    return {
      kind: "proxy",
      url: `http://${hostForUrl(proxy.host)}:${proxy.port}`,
      host: proxy.host,
      port: proxy.port,
      source: "config",
    };
  }
  const { variable, url } = fromEnv!;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port ? Number(url.port) : SCHEMES[url.protocol];
  const hasCredentials = url.username !== "" || url.password !== "";
  const user = safeDecode(url.username);
  const pass = safeDecode(url.password);
  // Deno forwards credentials to the destination for http:// proxies only (ext/fetch
  // Proxies::http_forward_auth): those go through the relay.
  if (url.protocol === "http:" && hasCredentials) {
    return {
      kind: "relay",
      host,
      port,
      user,
      pass,
      source: "environment",
      variable,
    };
  }
  return {
    kind: "proxy",
    url: `${url.protocol}//${hostForUrl(host)}:${port}`,
    host,
    port,
    source: "environment",
    variable,
    ...(hasCredentials ? { user, pass } : {}),
  };
}
