/**
 * The pure parts of the LoginTC client: retry timing, Retry-After, proxy planning, network
 * error classification, the relay's CONNECT parsing. No servers.
 */
import assert from "node:assert/strict";
import { backoffMs, DEFAULT_RETRY, parseRetryAfter, retryDelayMs } from "../../../src/logintc/retry.ts";
import { planProxy } from "../../../src/logintc/proxy.ts";
import { classifyNetworkError, httpError, parseErrorBody } from "../../../src/logintc/failures.ts";
import { basicCredentials, parseConnectLine } from "../../../src/logintc/proxyRelay.ts";
import { apiPath } from "../../../src/logintc/http.ts";
import { redactor } from "../../../src/output/redact.ts";

Deno.test("backoff: full jitter under an exponential ceiling, capped at 30 s", () => {
  const top = (n: number) => backoffMs(n, DEFAULT_RETRY, () => 0.999999);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(top), [499, 999, 1999, 3999, 7999, 15999, 29999, 29999]);
  assert.equal(backoffMs(3, DEFAULT_RETRY, () => 0), 0);
  assert.equal(retryDelayMs(1, DEFAULT_RETRY, () => 0.5, 120_000), 30_000, "Retry-After is capped too");
  assert.equal(retryDelayMs(1, DEFAULT_RETRY, () => 0.5, 2000), 2000);
  assert.equal(retryDelayMs(2, DEFAULT_RETRY, () => 0.5, undefined), 500);
});

Deno.test("Retry-After: seconds, HTTP-date (past → 0), junk → undefined", () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 0);
  assert.equal(parseRetryAfter("5", now), 5000);
  assert.equal(parseRetryAfter(" 0 ", now), 0);
  assert.equal(parseRetryAfter("Thu, 15 Jan 2026 12:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfter("Thu, 15 Jan 2026 11:00:00 GMT", now), 0);
  for (const junk of [null, undefined, "", "1.5", "-3", "soon"]) {
    assert.equal(parseRetryAfter(junk, now), undefined);
  }
});

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

Deno.test("network errors are classified by Deno's cause texts", () => {
  assert.equal(
    classifyNetworkError("client error (Connect): invalid peer certificate: UnknownIssuer", false),
    "tls",
  );
  assert.equal(
    classifyNetworkError("client error (Connect): proxy authentication required", false),
    "proxy-auth",
  );
  assert.equal(classifyNetworkError("client error (Connect): unsuccessful tunnel", false), "proxy-tunnel");
  assert.equal(
    classifyNetworkError("tcp connect error: Connection refused (os error 111)", false),
    "refused",
  );
  assert.equal(classifyNetworkError("The signal has been aborted", true), "timeout");
  assert.equal(classifyNetworkError("connection reset", false), "other");
});

Deno.test("error bodies: errors[0] only; anything else gives no code; secrets are redacted", () => {
  assert.deepEqual(parseErrorBody('{"errors":[{"code":"a","message":"b"},{"code":"c"}]}'), {
    code: "a",
    message: "b",
  });
  assert.deepEqual(parseErrorBody("<html>"), {});
  assert.deepEqual(parseErrorBody('{"errors":[]}'), {});
  const key = "K".repeat(64);
  const e = httpError({
    method: "GET",
    path: "/api/ping",
    status: 400,
    body: `{"errors":[{"code":"x","message":"bad key ${key}"}]}`,
    attempts: 1,
  }, redactor([key]));
  assert.ok(!e.message.includes(key) && !e.details.apiMessage!.includes(key));
});

Deno.test("relay: CONNECT line parsing and RFC 7617 credentials", () => {
  assert.deepEqual(parseConnectLine("CONNECT Cloud.LoginTC.com:443 HTTP/1.1"), {
    host: "cloud.logintc.com",
    port: 443,
  });
  assert.deepEqual(parseConnectLine("CONNECT [::1]:8443 HTTP/1.1"), { host: "::1", port: 8443 });
  assert.equal(parseConnectLine("GET / HTTP/1.1"), undefined);
  assert.equal(parseConnectLine("CONNECT host HTTP/1.1"), undefined);
  assert.equal(basicCredentials("proxyuser", "proxypass"), "cHJveHl1c2VyOnByb3h5cGFzcw=="); // RFC 7617 §2
  assert.equal(basicCredentials("ü", "é"), btoa("\xc3\xbc:\xc3\xa9"));
});

Deno.test("paths: every segment is encoded", () => {
  assert.equal(apiPath("users", "a/b?c#d"), "/users/a%2Fb%3Fc%23d");
});
