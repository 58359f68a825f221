/** The relay's per-run certificate (src/logintc/relayCertificate.ts), read back with node:crypto. */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { makeRelayIdentity } from "../../../src/logintc/relayCertificate.ts";

Deno.test("relay certificate: self-signed for IP 127.0.0.1 only, not a CA, a fresh key each time", () => {
  const now = new Date("2049-12-31T12:00:00Z");
  const a = makeRelayIdentity(now);
  const x = new X509Certificate(a.certPem);
  assert.equal(x.subject, "CN=logintc-sync relay");
  assert.equal(x.issuer, x.subject);
  assert.equal(x.subjectAltName, "IP Address:127.0.0.1");
  assert.equal(x.ca, false);
  assert.ok(x.verify(x.publicKey), "signed by its own key");
  assert.equal(x.checkIP("127.0.0.1"), "127.0.0.1");
  assert.equal(x.checkHost("localhost"), undefined);
  // Validity straddles `now`, across the UTCTime/GeneralizedTime switch of 2050.
  assert.equal(new Date(x.validFrom).toISOString(), "2049-12-30T12:00:00.000Z");
  assert.equal(new Date(x.validTo).toISOString(), "2050-12-31T12:00:00.000Z");
  assert.match(a.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  const b = makeRelayIdentity(now);
  assert.notEqual(b.keyPem, a.keyPem);
  assert.notEqual(new X509Certificate(b.certPem).serialNumber, x.serialNumber);
});
