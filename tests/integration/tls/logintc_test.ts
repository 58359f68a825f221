/**
 * LoginTC TLS failures name their real cause, directly and through an HTTP proxy (CONNECT): the
 * emulator serves certificates made for each case (emulator/pki.ts makeCertVariant). Deno's fetch
 * (rustls) says the cause in its text; src/tls/certificate.ts reads it, and only an untrusted issuer
 * is sent to ca_file.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../../../emulator/mod.ts";
import { createLoginTCClient } from "../../../src/logintc/client.ts";
import type { LoginTCConfig } from "../../../src/types.ts";
import { type CertVariant, makeCertVariant, makeTestPki, type TestPki } from "../../support/certs.ts";
import { configFor, fakeTime, rejection } from "../../support/logintc.ts";
import { startTinyproxy } from "../../support/proxies.ts";

async function pingFailure(config: LoginTCConfig): Promise<string> {
  const time = fakeTime();
  const c = createLoginTCClient(config, { env: () => undefined, ...time });
  try {
    const e = await rejection(() => c.ping());
    // A refused certificate is permanent: never retried.
    assert.deepEqual(time.sleeps, []);
    return e.message;
  } finally {
    await c.close();
  }
}

const CASES: [CertVariant, RegExp, RegExp][] = [
  [
    "expired",
    /TLS certificate of LoginTC Admin at 127\.0\.0\.1:\d+(?: \(or of a TLS-inspecting proxy on the way\))? expired on 2020-01-02 00:00:00 UTC \(GET \/api\/ping\)\. It must be renewed where it is served; ca_file cannot fix it/,
    /set ca_file/,
  ],
  [
    "not-yet-valid",
    /TLS certificate of LoginTC Admin at 127\.0\.0\.1:\d+(?: \(or [^)]*\))? is not valid yet \(not before 2099-12-31 00:00:00 UTC\) \(GET \/api\/ping\)\. Check this machine's clock/,
    /set ca_file/,
  ],
  [
    "wrong-host",
    /is not valid for the name "127\.0\.0\.1" \(it is for: DNS:ldap\.invalid, DNS:other\.invalid\) \(GET \/api\/ping\)\. Check host in \[logintc\]/,
    /set ca_file/,
  ],
];

async function withPki<T>(fn: (pki: TestPki) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "logintc-tls-pki-" });
  try {
    return await fn(await makeTestPki(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("LoginTC TLS: expired, not yet valid, wrong host, unknown CA — direct and through a proxy", async (t) => {
  await withPki(async (pki) => {
    const proxy = await startTinyproxy();
    try {
      for (const [variant, expected, wrong] of CASES) {
        const { certPem } = await makeCertVariant(pki, variant);
        const emu = await startEmulator({ tls: { cert: certPem, key: pki.serverKeyPem } });
        try {
          await t.step(variant, async () => {
            const direct = await pingFailure(configFor(emu, { caPem: pki.caPem }));
            assert.match(direct, expected);
            assert.doesNotMatch(direct, wrong);
            const viaProxy = await pingFailure(
              configFor(emu, { caPem: pki.caPem, proxy: { host: "127.0.0.1", port: proxy.port } }),
            );
            assert.match(viaProxy, expected);
            assert.doesNotMatch(viaProxy, wrong);
            assert.equal(emu.requests.length, 0);
          });
        } finally {
          await emu.close();
        }
      }
      const emu = await startEmulator({ tls: { cert: pki.serverCertPem, key: pki.serverKeyPem } });
      try {
        await t.step("unknown CA (a private CA, or a TLS-inspecting proxy) → ca_file", async () => {
          const other = await Deno.readTextFile(pki.otherCaFile);
          for (const proxied of [false, true]) {
            const message = await pingFailure(
              configFor(emu, {
                caPem: other,
                ...(proxied ? { proxy: { host: "127.0.0.1", port: proxy.port } } : {}),
              }),
            );
            assert.match(message, /UnknownIssuer/);
            assert.match(message, /set ca_file in \[logintc\] to that CA's PEM file/);
            assert.doesNotMatch(message, /expired|not valid yet|not valid for the name/);
          }
        });
      } finally {
        await emu.close();
      }
    } finally {
      await proxy.stop();
    }
  });
});
