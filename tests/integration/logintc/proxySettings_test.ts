/**
 * LoginTC proxy settings beyond a working authenticating proxy (./proxy_test.ts): a proxy not
 * running, a proxy wanting credentials none were given for, credentials in HTTPS_PROXY (through our
 * relay too), and HTTPS_PROXY and NO_PROXY in a real process (every combination:
 * ./proxyEnvironment_test.ts; the relay itself: ./proxyRelay_test.ts). No proxy password or API key
 * may appear in any error or output.
 */
import assert from "node:assert/strict";
import { createLoginTCClient } from "../../../src/logintc/client.ts";
import { baseEnv } from "../../support/cli.ts";
import { configFor, errorText, fakeTime, withEmulator, withPki } from "../../support/logintc.ts";
import { freePort, type ProxyFixture, startSquid, startTinyproxy } from "../../support/proxies.ts";
import { using, withSecretScan } from "../../support/logintcHarness.ts";
import { AUTH, logShowing, PROXY_SECRETS, SCAN_STEP, viaProxy, withProxy } from "../../support/viaProxy.ts";

// A URL, not URL.pathname: the child imports it, and "/Z:/…" is no path on Windows.
const CLIENT_MODULE = new URL("../../../src/logintc/client.ts", import.meta.url).href;
// The OS's text for a refused TCP connection: ECONNREFUSED on Linux, WSAECONNREFUSED on Windows.
const REFUSED = Deno.build.os === "windows"
  ? "[^()]+ \\(os error 10061\\)"
  : "Connection refused \\(os error 111\\)";

Deno.test("LoginTC proxy settings: unreachable, no credentials, HTTPS_PROXY, in a real process", async (t) => {
  await withSecretScan(
    t,
    SCAN_STEP,
    6,
    PROXY_SECRETS,
    ({ fail, capture }) =>
      withPki((pki) =>
        withProxy(() => startSquid(AUTH), async (squid) => {
          await t.step("proxy not running → 'not reachable' after the retries", async () => {
            await withEmulator(pki, {}, async (emu) => {
              const port = freePort();
              const time = fakeTime();
              const e = await fail(() =>
                using(viaProxy(emu, pki, { port }, AUTH.pass, time), (c) => c.ping())
              );
              assert.match(
                e.message,
                new RegExp(
                  `^HTTP proxy 127\\.0\\.0\\.1:${port} is not reachable \\(${REFUSED}\\); check proxy_host/proxy_port in \\[logintc\\] \\(GET /api/ping; gave up after 5 attempts\\)$`,
                ),
              );
              assert.equal(time.sleeps.length, 4);
            });
          });

          await t.step("proxy_host without credentials, proxy wants them → says so", async () => {
            const proxy = squid;
            await (
              withEmulator(pki, {}, async (emu) => {
                const c = createLoginTCClient(
                  configFor(emu, { proxy: { host: "127.0.0.1", port: proxy.port }, caPem: pki.caPem }),
                  {
                    env: () => undefined,
                    ...fakeTime(),
                  },
                );
                const e = await fail(() => using(c, (x) => x.ping()));
                assert.equal(
                  e.message,
                  `HTTP proxy 127.0.0.1:${proxy.port} requires credentials: set proxy_user/proxy_pass in [logintc] (GET /api/ping)`,
                );
              })
            );
          });

          await t.step(
            "HTTPS_PROXY with user:password (injected env) also goes through the relay",
            async () => {
              const proxy = squid;
              await (
                withEmulator(pki, {}, async (emu) => {
                  const env = (pass: string) => (n: string) =>
                    n === "HTTPS_PROXY"
                      ? `http://${AUTH.user}:${encodeURIComponent(pass)}@127.0.0.1:${proxy.port}`
                      : undefined;
                  await using(
                    createLoginTCClient(configFor(emu, { caPem: pki.caPem }), { env: env(AUTH.pass) }),
                    (c) => c.ping(),
                  );
                  assert.equal(emu.requests.length, 1);
                  assert.equal(emu.requests[0].headers["proxy-authorization"], undefined);
                  // squid logs a tunnel when it closes: wait (bounded) for the line (../../support/viaProxy.ts).
                  const tunnelled = new RegExp(`TCP_TUNNEL/200 .* CONNECT ${emu.host} proxyuser `);
                  assert.match(await logShowing(proxy, tunnelled), tunnelled);
                  const bad = createLoginTCClient(configFor(emu, { caPem: pki.caPem }), {
                    env: env("bad:p@ss"),
                    ...fakeTime(),
                  });
                  const e = await fail(() => using(bad, (c) => c.ping()));
                  assert.match(e.message, /rejected the credentials \(the user:password in HTTPS_PROXY\)/);
                  assert.ok(
                    !errorText(e).includes("bad:p@ss") &&
                      !errorText(e).includes(encodeURIComponent("bad:p@ss")),
                  );
                })
              );
            },
          );

          await t.step(
            "environment proxies in a real process: the client applies HTTPS_PROXY and NO_PROXY",
            async () => {
              const authed = squid;
              await withProxy(() => startTinyproxy(), (open) => (
                withEmulator(pki, {}, async (emu) => {
                  const child = async (env: Record<string, string>) => {
                    const code = `
                import { createLoginTCClient } from "${CLIENT_MODULE}";
                const [host, apiKey, domainId, ca] = Deno.args;
                const c = createLoginTCClient({ host, apiKey, domainId, caPem: await Deno.readTextFile(ca) });
                try { await c.ping(); console.log("OK"); } catch (e) { console.log("ERR " + e.message); }
                finally { await c.close(); }`;
                    const out = await new Deno.Command(Deno.execPath(), {
                      args: ["eval", "--quiet", code, emu.host, emu.apiKey, emu.domainId, pki.caFile],
                      clearEnv: true,
                      // The CLI tests' minimal environment (on Windows also SystemRoot & co., which a
                      // Windows process needs), plus the proxy variables under test.
                      env: { ...baseEnv(), ...env },
                      stdout: "piped",
                      stderr: "piped",
                    }).output();
                    const text = new TextDecoder().decode(out.stdout) +
                      new TextDecoder().decode(out.stderr);
                    capture(text);
                    return text.trim();
                  };
                  const tunnels = async (p: ProxyFixture) =>
                    ((await p.log()).match(/: CONNECT \S+ HTTP/g) ?? []).length;
                  assert.equal(await child({ HTTPS_PROXY: open.url }), "OK");
                  assert.equal(await tunnels(open), 1, "HTTPS_PROXY without credentials: Deno used it");
                  assert.equal(await child({ HTTPS_PROXY: open.url, NO_PROXY: "127.0.0.1" }), "OK");
                  assert.equal(await tunnels(open), 1, "NO_PROXY bypassed it");
                  const withCreds = `http://${AUTH.user}:${AUTH.pass}@127.0.0.1:${authed.port}`;
                  assert.equal(await child({ https_proxy: withCreds }), "OK");
                  const tunnelled = new RegExp(`TCP_TUNNEL/200 .* CONNECT ${emu.host} proxyuser `);
                  assert.match(
                    await logShowing(authed, tunnelled),
                    tunnelled,
                    "credentials went to the proxy",
                  );
                  assert.equal(emu.requests.length, 3);
                  for (const r of emu.requests) assert.equal(r.headers["proxy-authorization"], undefined);
                })
              ));
            },
          );
        })
      ),
  );
});
