/**
 * The LoginTC client when it cannot trust or reach LoginTC: an untrusted certificate (→ ca_file),
 * ca_file read once at config load, nothing listening. Every error text captured is scanned for the
 * API key at the end.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseConfig } from "../../../src/config/parseConfig.ts";
import { createLoginTCClient } from "../../../src/logintc/client.ts";
import { configFor, fakeTime } from "../../support/logintc.ts";
import { freePort } from "../../support/net.ts";
import { using, withFaultHarness, WRONG_KEY } from "../../support/logintcHarness.ts";

Deno.test("LoginTC client: an untrusted certificate, ca_file, nothing listening", async (t) => {
  await withFaultHarness(t, 3, async ({ fail, start, pki }) => {
    await t.step(
      "untrusted certificate: no CA given, or the wrong CA → message points at ca_file; not retried",
      async () => {
        await start(async (emu) => {
          for (const caPem of [undefined, await Deno.readTextFile(pki.otherCaFile)]) {
            const time = fakeTime();
            const c = createLoginTCClient(configFor(emu, { caPem }), { env: () => undefined, ...time });
            const e = await fail(() => using(c, (x) => x.ping()));
            assert.match(
              e.message,
              /^Cannot verify the TLS certificate of LoginTC Admin at 127\.0\.0\.1:\d+ \(invalid peer certificate: UnknownIssuer\) on GET \/api\/ping\. /,
            );
            assert.match(e.message, /set ca_file in \[logintc\]/);
            assert.deepEqual(time.sleeps, []);
          }
          assert.equal(emu.requests.length, 0);
        });
      },
    );

    await t.step(
      "ca_file is read once, at config load: the client trusts the PEM the config carries",
      async () => {
        await start(async (emu) => {
          const dir = await Deno.makeTempDir({ prefix: "logintc-client-cfg-" });
          try {
            await Deno.copyFile(pki.caFile, join(dir, "ca.pem"));
            const text = [
              "[logintc]",
              `host = ${emu.host}`,
              `api_key = ${emu.apiKey}`,
              `domain_id = ${emu.domainId}`,
              "ca_file = ca.pem",
              "[ldap]",
              "host = ldap.example.com",
              "encryption = ssl",
              "bind_dn = cn=reader,dc=example,dc=com",
              "bind_password = secret",
              "base_dn = dc=example,dc=com",
              "filter = (uid=*)",
              "attr_username = uid",
              "attr_name = cn",
              "attr_email = mail",
            ].join("\n");
            const config = parseConfig(text, join(dir, "sync.cfg"), Deno.readTextFileSync);
            await Deno.remove(join(dir, "ca.pem"));
            await using(createLoginTCClient(config.logintc, { env: () => undefined }), (c) => c.ping());
            assert.equal(emu.requests.length, 1);
          } finally {
            await Deno.remove(dir, { recursive: true });
          }
        });
      },
    );

    await t.step("nothing listening: connection refused, retried, then a clear message", async () => {
      const time = fakeTime();
      const host = `127.0.0.1:${freePort()}`;
      const c = createLoginTCClient({ host, apiKey: WRONG_KEY, domainId: "0".repeat(40) }, {
        env: () => undefined,
        ...time,
      });
      const e = await fail(() => using(c, (x) => x.ping()));
      assert.match(
        e.message,
        new RegExp(
          `^Cannot reach LoginTC Admin at ${host} on GET /api/ping: .*Connection refused.*; gave up after 5 attempts$`,
        ),
      );
      assert.equal(time.sleeps.length, 4);
    });
  });
});
