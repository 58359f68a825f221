/**
 * The doctor's pure parts: the TLS verdict (with a fake clock), StartTLS's answer, the rendering, and
 * that src/doctor is loaded only for --doctor.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderCheck, renderSummary } from "../../src/doctor/render.ts";
import { EXPIRY_WARN_DAYS, tlsCheck, type TlsFacts } from "../../src/doctor/tls.ts";
import { extendedResultCode } from "../../src/tls/startTls.ts";
import { startTlsAnswer } from "../support/startTls.ts";

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

Deno.test("src/doctor is imported only by src/cli/app.ts, and only for --doctor", async () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const importsDoctor: string[] = [];
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(join(root, rel))) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory) await walk(child);
      else if (e.name.endsWith(".ts") && !child.startsWith("src/doctor/")) {
        if (/["'][./]*doctor\//.test(await Deno.readTextFile(join(root, child)))) importsDoctor.push(child);
      }
    }
  };
  await walk("src");
  if (/["'][./]*doctor\//.test(await Deno.readTextFile(join(root, "main.ts")))) importsDoctor.push("main.ts");
  assert.deepEqual(importsDoctor, ["src/cli/app.ts"]);
  const app = await Deno.readTextFile(join(root, "src/cli/app.ts"));
  assert.match(app, /if \(options\.doctor === true\) return await doctor\(/);
});
