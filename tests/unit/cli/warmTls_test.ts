import assert from "node:assert/strict";
import { warmTls } from "../../../src/cli/warmTls.ts";

Deno.test("warmTls: settles without a value and never rejects (nothing waits for it)", async () => {
  assert.equal(await warmTls(), undefined);
  // Where WebCrypto refuses (here: made to), the run goes on as before.
  const original = crypto.subtle.generateKey;
  crypto.subtle.generateKey = (() => Promise.reject(new Error("no P-256"))) as typeof original;
  try {
    assert.equal(await warmTls(), undefined);
  } finally {
    crypto.subtle.generateKey = original;
  }
});
