/** The doctor's TLS verdict (src/doctor/tls.ts), with a fake clock: each cause worded by the shared switch. */
import assert from "node:assert/strict";
import { EXPIRY_WARN_DAYS, tlsCheck, type TlsFacts } from "../../../src/doctor/tls.ts";

const NOW = new Date("2026-12-02T12:00:00Z");
const DAY = 86_400_000;
const facts = (over: Partial<TlsFacts> = {}): TlsFacts => ({
  problem: undefined,
  chainError: null,
  subject: "CN=ldap.example.com",
  issuer: "CN=Example CA",
  validTo: new Date(NOW.getTime() + 400 * DAY),
  protocol: "TLSv1.3",
  ...over,
});
const CERT = "TLSv1.3, certificate CN=ldap.example.com from CN=Example CA";

Deno.test("tlsCheck: trusted and far from expiry → ok; under 30 days → warn, with the date", () => {
  assert.equal(tlsCheck("ldap.tls", facts(), NOW, "[ldap] ca_file").status, "ok");
  assert.equal(
    tlsCheck("ldap.tls", facts(), NOW, "x").detail,
    `${CERT}: trusted, name matches, expires in 400 day(s)`,
  );
  const at = (days: number) =>
    tlsCheck("x.tls", facts({ validTo: new Date(NOW.getTime() + days * DAY) }), NOW, "c");
  assert.equal(at(EXPIRY_WARN_DAYS).status, "ok");
  assert.equal(at(EXPIRY_WARN_DAYS - 0.5).status, "warn");
  assert.equal(at(3).detail, `${CERT}: expires in 3 day(s) (2026-12-05 12:00:00 UTC)`);
  assert.equal(at(3).fix, "renew the server's certificate before it expires; the sync stops the day it does");
  assert.equal(at(0.5).status, "warn");
});

Deno.test("tlsCheck: a certificate the sync would refuse is a FAIL worded by cause, with the fix for that cause", () => {
  const check = (
    problem: TlsFacts["problem"],
    chainError: string | null = "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  ) => tlsCheck("ldap.tls", facts({ problem, chainError }), NOW, "[ldap] ca_file");

  const expired = check({ kind: "expired", notAfter: new Date("2026-12-01T12:00:00Z") });
  assert.equal(expired.status, "FAIL");
  assert.equal(expired.detail, `${CERT} expired on 2026-12-01 12:00:00 UTC`);
  assert.match(expired.fix!, /^renew the server's certificate \(ca_file is not the problem; .*clock\)$/);

  const up = check({ kind: "expired", notAfter: new Date("2026-12-01T12:00:00Z"), subject: "CN=Sub CA" });
  assert.equal(
    up.detail,
    `${CERT}: the certificate CN=Sub CA in its chain expired on 2026-12-01 12:00:00 UTC`,
  );

  const early = check({ kind: "not-yet-valid", notBefore: new Date("2027-01-01T00:00:00Z") });
  assert.equal(early.detail, `${CERT} is not valid yet (not before 2027-01-01 00:00:00 UTC)`);
  assert.match(early.fix!, /clock/);

  const name = check({ kind: "name", host: "ldap\x1b.example.com", names: "DNS:other.example.com" }, null);
  assert.equal(
    name.detail,
    `${CERT} is not valid for the name "ldap\\x1b.example.com" (it is for: DNS:other.example.com)`,
  );
  assert.match(name.fix!, /subjectAltName/);

  const untrusted = check({ kind: "untrusted", issuer: "CN=Example CA" }, "SELF_SIGNED_CERT_IN_CHAIN");
  assert.equal(untrusted.detail, `${CERT} is not trusted (SELF_SIGNED_CERT_IN_CHAIN)`);
  assert.match(untrusted.fix!, /put that CA's certificate \(PEM\) in \[ldap\] ca_file/);
  const root = check({ kind: "untrusted", issuer: "CN=Private Root" });
  assert.match(
    root.detail,
    /is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): its chain ends with one from CN=Private Root$/,
  );
  // Only an untrusted issuer points at ca_file: a date or a name is not fixed there.
  for (const c of [expired, early, name]) assert.doesNotMatch(c.fix!, /\[ldap\] ca_file/);
});
