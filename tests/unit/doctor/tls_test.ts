/** The doctor's TLS verdict (src/doctor/tls.ts), with a fake clock. */
import assert from "node:assert/strict";
import { EXPIRY_WARN_DAYS, tlsCheck, type TlsFacts } from "../../../src/doctor/tls.ts";

const NOW = new Date("2026-12-02T12:00:00Z");
const DAY = 86_400_000;
const facts = (over: Partial<TlsFacts> = {}): TlsFacts => ({
  chainError: null,
  nameError: null,
  subject: "CN=ldap.example.com",
  issuer: "CN=Example CA",
  validTo: new Date(NOW.getTime() + 400 * DAY),
  protocol: "TLSv1.3",
  ...over,
});

Deno.test("tlsCheck: trusted and far from expiry → ok; under 30 days → warn; expired → FAIL", () => {
  assert.equal(tlsCheck("ldap.tls", facts(), NOW, "[ldap] ca_file").status, "ok");
  assert.match(
    tlsCheck("ldap.tls", facts(), NOW, "x").detail,
    /trusted, name matches, expires in 400 day\(s\)/,
  );
  const at = (days: number) =>
    tlsCheck("x.tls", facts({ validTo: new Date(NOW.getTime() + days * DAY) }), NOW, "c");
  assert.equal(at(EXPIRY_WARN_DAYS).status, "ok");
  assert.equal(at(EXPIRY_WARN_DAYS - 0.5).status, "warn");
  assert.match(at(3).detail, /expires in 3 day\(s\) \(2026-12-05T12:00:00\.000Z\)$/);
  assert.equal(at(0.5).status, "warn");
  const expired = at(-1);
  assert.equal(expired.status, "FAIL");
  assert.match(expired.detail, /expired 2026-12-01T12:00:00\.000Z/);
  assert.equal(expired.fix, "renew the server's certificate");
});

Deno.test("tlsCheck: an untrusted chain or a wrong name is a FAIL naming the fix, before expiry", () => {
  const chain = tlsCheck(
    "ldap.tls",
    facts({ chainError: "SELF_SIGNED_CERT_IN_CHAIN" }),
    NOW,
    "[ldap] ca_file",
  );
  assert.equal(chain.status, "FAIL");
  assert.match(chain.detail, /the chain does not verify \(SELF_SIGNED_CERT_IN_CHAIN\)/);
  assert.match(chain.fix!, /\[ldap\] ca_file/);
  const name = tlsCheck(
    "l.tls",
    facts({ nameError: "Hostname/IP does not match certificate's altnames" }),
    NOW,
    "c",
  );
  assert.equal(name.status, "FAIL");
  assert.match(name.fix!, /subjectAltName/);
});
