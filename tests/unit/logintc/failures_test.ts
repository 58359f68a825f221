/** LoginTC failures (src/logintc/failures.ts): Deno's network error texts classified, error bodies read. */
import assert from "node:assert/strict";
import { classifyNetworkError, httpError, parseErrorBody } from "../../../src/logintc/failures.ts";
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
