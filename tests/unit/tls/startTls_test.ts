/** StartTLS's answer read from the server's bytes (src/tls/startTls.ts). */
import assert from "node:assert/strict";
import { extendedResultCode } from "../../../src/tls/startTls.ts";
import { startTlsAnswer } from "../../support/startTls.ts";

Deno.test("extendedResultCode: StartTLS answers, whole or in pieces, short and long lengths", () => {
  // 30 0c 02 01 01 78 07 0a 01 00 04 00 04 00: success (RFC 4511 §4.14.2).
  const success = startTlsAnswer(0);
  assert.equal(extendedResultCode(success), 0);
  assert.equal(extendedResultCode(success.subarray(0, 9)), undefined, "incomplete");
  const refused = startTlsAnswer(2, true);
  assert.equal(extendedResultCode(refused), 2);
  assert.throws(
    () => extendedResultCode(new Uint8Array([0x30, 0x05, 0x02, 0x01, 0x01, 0x61, 0x00])),
    /extended/,
  );
});
