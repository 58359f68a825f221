/**
 * Which proxy to use for LoginTC Admin, and how. Pure: the environment is a parameter.
 *
 * - proxy_host/proxy_port with proxy_user → our loopback relay (./proxyRelay.ts), because Deno
 *   would leak the credentials to LoginTC (docs/development.md, "Deno's fetch and proxies").
 * - proxy_host/proxy_port without credentials → Deno's own proxy support (nothing to leak).
 * - no proxy_* keys: the environment applies, as Deno reads it (HTTPS_PROXY / https_proxy /
 *   ALL_PROXY, NO_PROXY). If that proxy URL carries user:password, the same leak applies, so it
 *   goes through the relay too. Deno applies NO_PROXY to the relay like to any proxy (measured),
 *   so the environment's bypass rules keep working.
 */
import type { ProxyConfig } from "../types.ts";

export type ProxyPlan =
  | { kind: "none" }
  /** An environment proxy without credentials: Deno uses it itself. */
  | { kind: "environment"; host: string; port: number }
  | { kind: "direct"; url: string; host: string; port: number }
  | {
    kind: "relay";
    host: string;
    port: number;
    user: string;
    pass: string;
    source: "config" | "environment";
  };

/** Deno's order for https:// URLs: the https_proxy pair, then all_proxy (lower case wins, like curl). */
export const PROXY_ENV_NAMES = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];

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

export function planProxy(
  proxy: ProxyConfig | undefined,
  env: (name: string) => string | undefined,
): ProxyPlan {
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
      kind: "direct",
      url: `http://${hostForUrl(proxy.host)}:${proxy.port}`,
      host: proxy.host,
      port: proxy.port,
    };
  }
  const raw = PROXY_ENV_NAMES.map(env).find((v) => v !== undefined && v.trim() !== "");
  if (!raw) return { kind: "none" };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return { kind: "none" }; // Deno ignores what it cannot parse too
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  // Deno's forward-auth leak is for http:// proxies only (ext/fetch Proxies::http_forward_auth).
  if (url.protocol === "http:" && url.username) {
    return {
      kind: "relay",
      host,
      port,
      user: safeDecode(url.username),
      pass: safeDecode(url.password),
      source: "environment",
    };
  }
  return { kind: "environment", host, port };
}
