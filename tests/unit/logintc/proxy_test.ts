/** Proxy planning (src/logintc/proxy.ts): which proxy, and when credentials go through the relay. */
import assert from "node:assert/strict";
import { planProxy } from "../../../src/logintc/proxy.ts";

Deno.test("proxy plan: config keys win; credentials (config or HTTPS_PROXY) go through the relay", () => {
  const none = () => undefined;
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assert.deepEqual(planProxy(undefined, none), { kind: "none" });
  assert.deepEqual(planProxy({ host: "px", port: 3128 }, env({ HTTPS_PROXY: "http://u:p@other:1" })), {
    kind: "direct",
    url: "http://px:3128",
    host: "px",
    port: 3128,
  });
  assert.deepEqual(planProxy({ host: "px", port: 3128, user: "u", pass: "p" }, none), {
    kind: "relay",
    host: "px",
    port: 3128,
    user: "u",
    pass: "p",
    source: "config",
  });
  assert.deepEqual(planProxy(undefined, env({ HTTPS_PROXY: "http://us%40er:p%3Ass@proxy.corp:8080" })), {
    kind: "relay",
    host: "proxy.corp",
    port: 8080,
    user: "us@er",
    pass: "p:ss",
    source: "environment",
  });
  assert.equal(
    planProxy(undefined, env({ https_proxy: "u:p@proxy.corp:8080", HTTPS_PROXY: "x" })).kind,
    "relay",
  );
  assert.equal(planProxy(undefined, env({ ALL_PROXY: "http://u:p@proxy.corp" })).kind, "relay");
  assert.deepEqual(planProxy(undefined, env({ HTTPS_PROXY: "http://proxy.corp:3128" })), {
    kind: "environment",
    host: "proxy.corp",
    port: 3128,
  });
  assert.equal(
    planProxy(undefined, env({ HTTPS_PROXY: "socks5://u:p@proxy.corp:1080" })).kind,
    "environment",
  );
});
