/**
 * --doctor's TLS line for real certificates (emulator/pki.ts), probed on loopback: each cause the
 * sync would refuse gets its own words and fix — an expired, a not-yet-valid or a wrong-host
 * certificate is not sent to ca_file, though Deno's node:tls reports the first two as an unknown CA
 * (tests/integration/tls/ldap_test.ts) — and a good one gets the days left.
 */
import assert from "node:assert/strict";
import tls from "node:tls";
import { renderCheck } from "../../../src/doctor/render.ts";
import { tlsCheck, tlsFacts } from "../../../src/doctor/tls.ts";
import { probeCertificates } from "../../../src/tls/probe.ts";
import { makeCertVariant, makeTestPki, type TestPki } from "../../support/certs.ts";

/** The rendered ldap.tls check for a server serving `cert`, verified against `ca`. */
async function doctorLine(pki: TestPki, cert: string, ca: string[]): Promise<string> {
  const server = tls.createServer({ cert, key: pki.serverKeyPem }, (c) => c.on("error", () => {}));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const port = (server.address() as { port: number }).port;
    const now = new Date();
    const peer = await probeCertificates({ host: "127.0.0.1", port, ca, timeoutMs: 3000 });
    return renderCheck(tlsCheck("ldap.tls", tlsFacts(peer, "127.0.0.1", now), now, "[ldap] ca_file"));
  } finally {
    server.close();
  }
}

Deno.test("--doctor's TLS line names each refused certificate's cause, as the sync's errors do", async () => {
  const dir = await Deno.makeTempDir({ prefix: "logintc-doctor-tls-" });
  try {
    const pki = await makeTestPki(dir);
    const variant = async (v: "expired" | "not-yet-valid" | "wrong-host") =>
      await doctorLine(pki, (await makeCertVariant(pki, v)).certPem, [pki.caPem]);
    const cert = "TLSv1\\.[23], certificate CN=localhost from CN=logintc-sync test ca";

    // The test PKI's certificates live 2 days: trusted, but under the warning's 30.
    const good = await doctorLine(pki, pki.serverCertPem, [pki.caPem]);
    assert.match(
      good,
      new RegExp(`^warn  ldap\\.tls +${cert}: expires in [01] day\\(s\\) \\(\\d{4}-.* UTC\\)\n`),
    );

    const other = await doctorLine(pki, pki.serverCertPem, [await Deno.readTextFile(pki.otherCaFile)]);
    assert.match(other, new RegExp(`^FAIL  ldap\\.tls +${cert} is not trusted \\(\\w+\\)\n`));
    assert.match(
      other,
      /fix: if the server uses a private CA, put that CA's certificate \(PEM\) in \[ldap\] ca_file/,
    );

    const expired = await variant("expired");
    assert.match(expired, new RegExp(`^FAIL  ldap\\.tls +${cert} expired on 2020-01-02 00:00:00 UTC\n`));
    assert.match(expired, /fix: renew the server's certificate \(ca_file is not the problem/);

    const early = await variant("not-yet-valid");
    assert.match(early, new RegExp(`${cert} is not valid yet \\(not before 2099-12-31 00:00:00 UTC\\)\n`));

    const host = await variant("wrong-host");
    assert.match(
      host,
      /is not valid for the name "127\.0\.0\.1" \(it is for: DNS:ldap\.invalid, DNS:other\.invalid\)\n.*subjectAltName/,
    );
    for (const line of [expired, early, host]) assert.doesNotMatch(line, /ca_file;|not trusted/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
