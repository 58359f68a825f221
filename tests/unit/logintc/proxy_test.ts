/**
 * Proxy planning (src/logintc/proxy.ts): the one resolution of the proxy — which variable wins,
 * NO_PROXY, when credentials go through the relay — and handing the variables over once.
 */
import assert from "node:assert/strict";
import { ALL_PROXY_VARIABLES, planProxy, takeProxyVariables } from "../../../src/logintc/proxy.ts";

const none = () => undefined;
const env = (vars: Record<string, string>) => (n: string) => vars[n];
const HOST = "cloud.logintc.com";

Deno.test("proxy plan: config keys win; credentials (config or environment) go through the relay", () => {
  assert.deepEqual(planProxy(undefined, none, HOST), { kind: "none" });
  assert.deepEqual(planProxy({ host: "px", port: 3128 }, env({ HTTPS_PROXY: "http://u:p@other:1" }), HOST), {
    kind: "proxy",
    url: "http://px:3128",
    host: "px",
    port: 3128,
    source: "config",
  });
  assert.deepEqual(planProxy({ host: "px", port: 3128, user: "u", pass: "p" }, none, HOST), {
    kind: "relay",
    host: "px",
    port: 3128,
    user: "u",
    pass: "p",
    source: "config",
  });
  assert.deepEqual(
    planProxy(undefined, env({ HTTPS_PROXY: "http://us%40er:p%3Ass@proxy.corp:8080" }), HOST),
    {
      kind: "relay",
      host: "proxy.corp",
      port: 8080,
      user: "us@er",
      pass: "p:ss",
      source: "environment",
      variable: "HTTPS_PROXY",
    },
  );
  assert.deepEqual(planProxy(undefined, env({ HTTPS_PROXY: "http://proxy.corp:3128/" }), HOST), {
    kind: "proxy",
    url: "http://proxy.corp:3128",
    host: "proxy.corp",
    port: 3128,
    source: "environment",
    variable: "HTTPS_PROXY",
  });
  // Credentials Deno sends to the proxy only (https://, socks5://) need no relay.
  assert.deepEqual(planProxy(undefined, env({ ALL_PROXY: "socks5://u:p@proxy.corp" }), HOST), {
    kind: "proxy",
    url: "socks5://proxy.corp:1080",
    host: "proxy.corp",
    port: 1080,
    source: "environment",
    variable: "ALL_PROXY",
    user: "u",
    pass: "p",
  });
  assert.equal(planProxy(undefined, env({ https_proxy: "u:p@proxy.corp:8080" }), HOST).kind, "relay");
});

Deno.test("proxy plan: which variable wins, as curl reads them for https:// (never Deno's own order)", () => {
  const winner = (vars: Record<string, string>) => {
    const p = planProxy(undefined, env(vars), HOST);
    return p.kind === "none" ? "none" : p.variable;
  };
  // The attack of issue 21: credentials in one, none in the other; both orders.
  assert.equal(winner({ HTTPS_PROXY: "http://u:p@a:1", https_proxy: "http://b:2" }), "https_proxy");
  assert.equal(winner({ https_proxy: "http://u:p@a:1", HTTPS_PROXY: "http://b:2" }), "https_proxy");
  assert.equal(winner({ ALL_PROXY: "http://u:p@a:1", HTTPS_PROXY: "http://b:2" }), "HTTPS_PROXY");
  assert.equal(winner({ all_proxy: "http://a:1", ALL_PROXY: "http://b:2" }), "all_proxy");
  assert.equal(winner({ ALL_PROXY: "http://b:2" }), "ALL_PROXY");
  // http_proxy / HTTP_PROXY are for http:// URLs: LoginTC is https only.
  assert.equal(winner({ HTTP_PROXY: "http://u:p@a:1", http_proxy: "http://b:2" }), "none");
  // Blank or unusable values are skipped, as if unset.
  assert.equal(winner({ https_proxy: "  ", HTTPS_PROXY: "http://b:2" }), "HTTPS_PROXY");
  assert.equal(winner({ https_proxy: "ftp://a:1", ALL_PROXY: "http://b:2" }), "ALL_PROXY");
  assert.equal(winner({ https_proxy: "http://[::1", ALL_PROXY: "http://b:2" }), "ALL_PROXY");
});

Deno.test("proxy plan: no_proxy, else NO_PROXY, exempts the LoginTC host from every proxy", () => {
  const plan = (vars: Record<string, string>, host = HOST) => planProxy(undefined, env(vars), host);
  const px = { HTTPS_PROXY: "http://u:p@a:1" };
  assert.deepEqual(plan({ ...px, NO_PROXY: "logintc.com" }), { kind: "none", exempt: "NO_PROXY" });
  assert.deepEqual(plan({ ...px, no_proxy: ".logintc.com" }), { kind: "none", exempt: "no_proxy" });
  // no_proxy is read first and, when set, alone.
  assert.equal(plan({ ...px, no_proxy: "other.example", NO_PROXY: "logintc.com" }).kind, "relay");
  assert.equal(plan({ ...px, NO_PROXY: "127.0.0.1" }, "127.0.0.1").kind, "none");
  // It applies to proxy_host too (docs/logintc-api.md).
  assert.deepEqual(
    planProxy({ host: "px", port: 1, user: "u", pass: "p" }, env({ NO_PROXY: "*" }), HOST),
    { kind: "none", exempt: "NO_PROXY" },
  );
  // Without a proxy there is nothing to exempt.
  assert.deepEqual(plan({ NO_PROXY: "*" }), { kind: "none" });
});

Deno.test("takeProxyVariables: reads the proxy variables once, removes them, answers others live", () => {
  const vars = new Map<string, string>([
    ["HTTPS_PROXY", "http://u:p@a:1"],
    ["no_proxy", "x"],
    ["OTHER", "1"],
  ]);
  const fake = { get: (n: string) => vars.get(n), delete: (n: string) => void vars.delete(n) };
  const env = takeProxyVariables(fake);
  assert.deepEqual([...vars.keys()], ["OTHER"], "every proxy variable is gone from the environment");
  assert.equal(env("HTTPS_PROXY"), "http://u:p@a:1");
  assert.equal(env("no_proxy"), "x");
  assert.equal(env("ALL_PROXY"), undefined);
  vars.set("OTHER", "2");
  assert.equal(env("OTHER"), "2");
  assert.deepEqual(
    [...ALL_PROXY_VARIABLES].sort(),
    [
      "ALL_PROXY",
      "HTTPS_PROXY",
      "HTTP_PROXY",
      "NO_PROXY",
      "all_proxy",
      "http_proxy",
      "https_proxy",
      "no_proxy",
    ],
  );
});
