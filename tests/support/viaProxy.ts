/**
 * The proxy tests' setting: the credentials the test proxies (tests/support/proxies.ts) demand, a
 * proxy for the length of a test, and the client configured to go through one.
 */
import type { Emulator } from "../../emulator/mod.ts";
import { type ClientDeps, createLoginTCClient } from "../../src/logintc/client.ts";
import { basicCredentials } from "../../src/logintc/proxy.ts";
import type { TestPki } from "./certs.ts";
import { configFor } from "./logintc.ts";
import type { ProxyFixture } from "./proxies.ts";

export const AUTH = { user: "proxyuser", pass: "Pr0xy-Secret-pass" };
/** The Proxy-Authorization value of AUTH (without "Basic "). */
export const BASIC = basicCredentials(AUTH.user, AUTH.pass);
/** What no error or output may hold: the proxy password and its Basic form. */
export const PROXY_SECRETS = [AUTH.pass, BASIC];
export const SCAN_STEP =
  "no captured error or output contains the proxy password, its Basic form or an API key";

export async function withProxy<T>(
  start: () => Promise<ProxyFixture>,
  fn: (p: ProxyFixture) => Promise<T>,
): Promise<T> {
  const p = await start();
  try {
    return await fn(p);
  } finally {
    await p.stop();
  }
}

export function viaProxy(
  emu: Emulator,
  pki: TestPki,
  p: { port: number },
  pass: string,
  deps: ClientDeps = {},
) {
  return createLoginTCClient(
    configFor(emu, { proxy: { host: "127.0.0.1", port: p.port, user: AUTH.user, pass }, caPem: pki.caPem }),
    { env: () => undefined, ...deps },
  );
}

/** The proxy's log once it matches `pattern`, or as it is after 5 s (the assertion then says why). */
export async function logShowing(proxy: { log(): Promise<string> }, pattern: RegExp): Promise<string> {
  let log = await proxy.log();
  for (let i = 0; i < 50 && !pattern.test(log); i++) {
    await new Promise((r) => setTimeout(r, 100));
    log = await proxy.log();
  }
  return log;
}
