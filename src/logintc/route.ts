/**
 * The route to LoginTC Admin for one client: which proxy (./proxy.ts planProxy), the private relay
 * that keeps proxy credentials away from LoginTC (./proxyRelay.ts), the Deno.Proxy option that
 * points fetch at it, and what network error messages say about the route (./failures.ts).
 */
import type { LoginTCConfig } from "../types.ts";
import type { RouteInfo } from "./failures.ts";
import { planProxy } from "./proxy.ts";
import { basicCredentials, startProxyRelay } from "./proxyRelay.ts";
import type { ProxyRelay } from "./proxyRelay.ts";

/** "host[:port]" → hostname (no brackets) and port (443 by default). */
export function targetOf(host: string): { hostname: string; port: number } {
  const url = new URL(`https://${host}`);
  return { hostname: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : 443 };
}

export interface Route {
  info: RouteInfo;
  /** For Deno.createHttpClient; absent: direct, or the environment's proxy (Deno reads it). */
  proxyOption?: Deno.Proxy;
  /** Started here when the proxy needs credentials; the client closes it. */
  relay?: ProxyRelay;
  /** Proxy secrets to keep out of every message (the password and its Basic form). */
  secrets: string[];
}

export function setUpRoute(config: LoginTCConfig, env: (name: string) => string | undefined): Route {
  const plan = planProxy(config.proxy, env);
  const host = config.host;
  if (plan.kind === "relay") {
    const target = targetOf(host);
    const relay = startProxyRelay({
      proxyHost: plan.host,
      proxyPort: plan.port,
      username: plan.user,
      password: plan.pass,
      targetHost: target.hostname,
      targetPort: target.port,
    });
    return {
      // No credentials here: Deno has none to leak to LoginTC (see ./proxyRelay.ts).
      proxyOption: { url: relay.url },
      relay,
      info: { host, proxy: { host: plan.host, port: plan.port, source: plan.source, hasCredentials: true } },
      secrets: [plan.pass, basicCredentials(plan.user, plan.pass)],
    };
  }
  if (plan.kind === "direct") {
    return {
      proxyOption: { url: plan.url },
      info: { host, proxy: { host: plan.host, port: plan.port, source: "config", hasCredentials: false } },
      secrets: [],
    };
  }
  if (plan.kind === "environment") {
    return {
      info: {
        host,
        proxy: { host: plan.host, port: plan.port, source: "environment", hasCredentials: false },
      },
      secrets: [],
    };
  }
  return { info: { host }, secrets: [] };
}
