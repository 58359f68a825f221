/**
 * The route to LoginTC Admin for one client: which proxy (./proxy.ts planProxy, the one resolution),
 * the private relay that keeps proxy credentials away from LoginTC (./proxyRelay.ts), the explicit
 * Deno.Proxy option that points fetch at the proxy or the relay, and what network error messages say
 * about the route (./failures.ts).
 */
import type { LoginTCConfig } from "../types.ts";
import type { RouteInfo } from "./failures.ts";
import { planProxy, proxySecrets, targetOf } from "./proxy.ts";
import { startProxyRelay } from "./proxyRelay.ts";
import type { ProxyRelay } from "./proxyRelay.ts";

export interface Route {
  info: RouteInfo;
  /**
   * For Deno.createHttpClient; absent: a direct connection. With the relay it is known once the
   * relay listens (`relay.listening`).
   */
  proxyOption?: Deno.Proxy;
  /** Certificates the client must trust besides ca_file (the relay's). */
  caPems: string[];
  /** Started here when the proxy needs credentials; the client closes it. */
  relay?: ProxyRelay;
  /** Secrets to keep out of every message (proxy passwords, their Basic forms, the relay's secret). */
  secrets: string[];
}

export function setUpRoute(config: LoginTCConfig, env: (name: string) => string | undefined): Route {
  const host = config.host;
  const target = targetOf(host);
  const plan = planProxy(config.proxy, env, target.hostname);
  if (plan.kind === "relay") {
    const relay = startProxyRelay({
      proxyHost: plan.host,
      proxyPort: plan.port,
      username: plan.user,
      password: plan.pass,
      targetHost: target.hostname,
      targetPort: target.port,
    });
    return {
      // The relay's own per-run credentials only (relay.listening): Deno has no proxy password to leak.
      caPems: [relay.certPem],
      relay,
      info: {
        host,
        proxy: {
          host: plan.host,
          port: plan.port,
          source: plan.source,
          variable: plan.variable,
          hasCredentials: true,
        },
      },
      secrets: [...proxySecrets(plan), relay.secret],
    };
  }
  if (plan.kind === "proxy") {
    const basicAuth = plan.user === undefined
      ? undefined
      : { username: plan.user, password: plan.pass ?? "" };
    return {
      proxyOption: { url: plan.url, ...(basicAuth ? { basicAuth } : {}) },
      caPems: [],
      info: {
        host,
        proxy: {
          host: plan.host,
          port: plan.port,
          source: plan.source,
          variable: plan.variable,
          hasCredentials: !!basicAuth,
        },
      },
      secrets: proxySecrets(plan),
    };
  }
  return { info: { host }, caPems: [], secrets: [] };
}
