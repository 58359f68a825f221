/** LoginTC failures (src/logintc/failures.ts): Deno's network error texts classified, error bodies read. */
import assert from "node:assert/strict";
import {
  classifyNetworkError,
  httpError,
  networkError,
  parseErrorBody,
  type RouteInfo,
} from "../../../src/logintc/failures.ts";
import { redactor } from "../../../src/output/redact.ts";

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

Deno.test("refused credentials are marked: 401 and 403 from LoginTC, 407 from the proxy; nothing else", () => {
  const none = (s: string) => s;
  const answer = (status: number) =>
    httpError({ method: "POST", path: "/api/users", status, body: "", attempts: 1 }, none).details
      .credentials;
  assert.equal(answer(401), "api-key");
  assert.equal(answer(403), "api-key");
  for (const status of [400, 404, 409, 429, 500, 503]) {
    assert.equal(answer(status), undefined, String(status));
  }
  assert.match(
    httpError({ method: "PUT", path: "/api/x", status: 403, body: "", attempts: 1 }, none).message,
    /^LoginTC Admin refused the API key access \(403\) on PUT \/api\/x; check that api_key in \[logintc\]/,
  );

  const route: RouteInfo = {
    host: "cloud.logintc.com",
    proxy: { host: "proxy", port: 3128, source: "config", hasCredentials: true },
  };
  const failure = (relay?: Parameters<typeof networkError>[0]["relay"], text = "unsuccessful tunnel") =>
    networkError({
      method: "POST",
      path: "/api/users",
      error: new Error(text),
      timedOut: false,
      timeoutMs: 30_000,
      attempts: 1,
      route,
      relay,
    }, none).details.credentials;
  assert.equal(
    failure({ kind: "rejected", status: 407, statusLine: "HTTP/1.1 407 Proxy Authentication Required" }),
    "proxy",
  );
  assert.equal(failure({ kind: "rejected", status: 403, statusLine: "HTTP/1.1 403 Forbidden" }), undefined);
  assert.equal(failure(undefined, "client error (Connect): proxy authentication required"), "proxy");
  assert.equal(failure({ kind: "unreachable", reason: "Connection refused" }), undefined);
  assert.equal(failure(undefined, "tcp connect error: Connection refused (os error 111)"), undefined);
});
