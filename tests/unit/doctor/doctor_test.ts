/** The doctor's pure parts: the TLS verdict (with a fake clock), StartTLS's answer, the rendering. */
import assert from "node:assert/strict";
import { renderCheck, renderSummary } from "../../../src/doctor/render.ts";
import { EXPIRY_WARN_DAYS, tlsCheck, type TlsFacts } from "../../../src/doctor/tls.ts";
import { extendedResultCode } from "../../../src/directory/startTls.ts";
import { startTlsAnswer } from "../../support/startTls.ts";

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

Deno.test("render: one line per check, continuation and fix aligned under the detail, controls escaped", () => {
  assert.equal(
    renderCheck({
      id: "ldap.sample",
      status: "warn",
      detail: "1 of 2\nbob\x1b[31m: MISSING",
      fix: "give -e",
    }),
    [
      "warn  ldap.sample         1 of 2",
      "                            bob\\x1b[31m: MISSING",
      "                          fix: give -e",
    ].join("\n"),
  );
  assert.equal(
    renderCheck({ id: "ldap.bind", status: "ok", detail: "bound", fix: null }),
    "ok    ldap.bind           bound",
  );
  assert.equal(
    renderSummary([
      { id: "a.b", status: "ok", detail: "", fix: null },
      { id: "a.c", status: "FAIL", detail: "", fix: "f" },
      { id: "a.d", status: "skip", detail: "", fix: null },
    ]),
    "Doctor: 3 check(s): 1 ok, 0 warn, 1 FAIL, 1 skipped. Fix the first FAIL first: later ones often follow from it.",
  );
});
