/**
 * LoginTC through real HTTP proxies (tinyproxy, squid) with basic auth, over real HTTPS to the
 * emulator, whose request log shows every header it received.
 *
 * The leak (docs/development.md, "Deno's fetch and proxies"): Deno 2.9.6's own proxy basicAuth
 * sends Proxy-Authorization to the DESTINATION inside the CONNECT tunnel. The first step proves it still does; the others prove
 * our client (loopback relay, src/logintc/proxyRelay.ts) keeps the header away from LoginTC while
 * the proxy still authenticates the tunnel. The proxy settings' other cases: ./proxySettings_test.ts.
 */
import assert from "node:assert/strict";
import { errorText, fakeTime, withEmulator, withPki } from "../../support/logintc.ts";
import { startSquid, startTinyproxy } from "../../support/proxies.ts";
import { using, withSecretScan } from "../../support/logintcHarness.ts";
import {
  AUTH,
  BASIC,
  logShowing,
  PROXY_SECRETS,
  SCAN_STEP,
  viaProxy,
  withProxy,
} from "../../support/viaProxy.ts";

Deno.test("LoginTC through authenticating proxies", async (t) => {
  await withSecretScan(t, SCAN_STEP, 2, PROXY_SECRETS, ({ fail, secret }) =>
    // One tinyproxy and one squid serve every step (squid takes ~2 s to shut down).
    withPki((pki) =>
      withProxy(() => startTinyproxy(AUTH), (tiny) =>
        withProxy(() => startSquid(AUTH), async (squid) => {
          for (const px of [{ name: "tinyproxy", proxy: tiny }, { name: "squid", proxy: squid }]) {
            const proxy = px.proxy;
            await t.step(
              `${px.name}: Deno's own proxy basicAuth LEAKS Proxy-Authorization to the origin (Deno 2.9.6)`,
              async () => {
                await (
                  withEmulator(pki, {}, async (emu) => {
                    secret(emu.apiKey);
                    const client = Deno.createHttpClient({
                      caCerts: [pki.caPem],
                      proxy: { url: proxy.url, basicAuth: { username: AUTH.user, password: AUTH.pass } },
                    });
                    try {
                      const res = await fetch(`${emu.url}/api/ping`, {
                        client,
                        headers: { Authorization: `LoginTC key="${emu.apiKey}"` },
                      });
                      assert.equal(res.status, 200);
                      await res.body?.cancel();
                    } finally {
                      client.close();
                    }
                    // CURRENT (buggy) behaviour: the origin received the proxy's credentials. When a Deno
                    // upgrade fixes ext/fetch (Proxies::http_forward_auth adds the header to https requests
                    // tunnelled through an http proxy), this assertion fails: change it to
                    // assert.equal(…, undefined), and consider dropping the relay (src/logintc/proxyRelay.ts)
                    // in favour of Deno's basicAuth, keeping the "our client" tests below.
                    assert.equal(emu.requests[0].headers["proxy-authorization"], `Basic ${BASIC}`);
                  })
                );
              },
            );

            await t.step(
              `${px.name}: our client authenticates to the proxy; LoginTC never sees Proxy-Authorization`,
              async () => {
                await (
                  withEmulator(pki, { pageSize: 2 }, async (emu) => {
                    secret(emu.apiKey);
                    for (const n of ["u1", "u2", "u3"]) {
                      emu.seedUser({ username: n, name: n, email: `${n}@example.com` });
                    }
                    await using(viaProxy(emu, pki, proxy, AUTH.pass, fakeTime()), async (c) => {
                      await c.ping();
                      assert.equal((await c.listDomainMembers(emu.domainId)).length, 3);
                      const u = await c.createUser({
                        username: "viaproxy",
                        name: "Via Proxy",
                        email: "vp@example.com",
                      });
                      await c.addDomainMember(emu.domainId, u.id);
                    });
                    assert.equal(emu.requests.length, 6); // ping, pages 1–3 (the 3rd empty), POST, PUT
                    for (const r of emu.requests) {
                      assert.equal(r.headers["proxy-authorization"], undefined, `${r.method} ${r.path}`);
                      assert.ok(!JSON.stringify(r).includes(AUTH.pass));
                      assert.ok(!JSON.stringify(r).includes(BASIC));
                    }
                    assert.deepEqual(
                      emu.members().map((m) => m.username),
                      ["u1", "u2", "u3", "viaproxy"],
                    );
                    // squid logs a tunnel when it closes, a moment after our client has closed it: wait
                    // (bounded) for the line instead of reading the log once (that raced, ~1 run in 3).
                    const expected = px.name === "squid"
                      ? new RegExp(`TCP_TUNNEL/200 .* CONNECT ${emu.host.replace(/\./g, "\\.")} proxyuser `)
                      : new RegExp(`CONNECT ${emu.host.replace(/\./g, "\\.")}`);
                    const log = await logShowing(proxy, expected);
                    assert.match(
                      log,
                      expected,
                      "the tunnel went through the proxy, as the authenticated user",
                    );
                  })
                );
              },
            );

            await t.step(
              `${px.name}: a wrong proxy password → clear message, not retried, password not shown`,
              async () => {
                await (
                  withEmulator(pki, {}, async (emu) => {
                    const time = fakeTime();
                    const e = await fail(() =>
                      using(viaProxy(emu, pki, proxy, "wrong-password", time), (c) => c.ping())
                    );
                    const status = px.name === "squid"
                      ? "407 Proxy Authentication Required"
                      : "401 Unauthorized";
                    assert.match(
                      e.message,
                      new RegExp(
                        `^HTTP proxy 127\\.0\\.0\\.1:${proxy.port} rejected the credentials \\(proxy_user/proxy_pass in \\[logintc\\]\\): HTTP/1\\.[01] ${status} \\(GET /api/ping\\)$`,
                      ),
                    );
                    assert.ok(!errorText(e).includes("wrong-password"));
                    assert.deepEqual(time.sleeps, []);
                    assert.equal(emu.requests.length, 0);
                  })
                );
              },
            );
          }
        }))
    ));
});
