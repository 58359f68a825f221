/**
 * LoginTC through real HTTP proxies (tinyproxy, squid) with basic auth, over real HTTPS to the
 * emulator, whose request log shows every header it received.
 *
 * The leak (docs/development.md, "Deno's fetch and proxies"): Deno 2.9.6's own proxy basicAuth
 * sends Proxy-Authorization to the DESTINATION inside the CONNECT tunnel. The first test proves it still does; the others prove
 * our client (loopback relay, src/logintc/proxyRelay.ts) keeps the header away from LoginTC while
 * the proxy still authenticates the tunnel.
 */
import assert from "node:assert/strict";
import { createLoginTCClient } from "../../src/logintc/client.ts";
import type { ClientDeps, LoginTCClient } from "../../src/logintc/client.ts";
import { basicCredentials, startProxyRelay } from "../../src/logintc/proxyRelay.ts";
import type { Emulator } from "../../emulator/mod.ts";
import type { TestPki } from "../support/certs.ts";
import { baseEnv } from "../support/cli.ts";
import { freePort, startSquid, startTinyproxy } from "../support/proxies.ts";
import type { ProxyFixture } from "../support/proxies.ts";
import { configFor, errorText, fakeTime, rejection, withEmulator, withPki } from "../support/logintc.ts";

const AUTH = { user: "proxyuser", pass: "Pr0xy-Secret-pass" };
const BASIC = basicCredentials(AUTH.user, AUTH.pass);
// A URL, not URL.pathname: the child imports it, and "/Z:/…" is no path on Windows.
const CLIENT_MODULE = new URL("../../src/logintc/client.ts", import.meta.url).href;
// The OS's text for a refused TCP connection: ECONNREFUSED on Linux, WSAECONNREFUSED on Windows.
const REFUSED = Deno.build.os === "windows"
  ? "[^()]+ \\(os error 10061\\)"
  : "Connection refused \\(os error 111\\)";

async function withProxy<T>(
  start: () => Promise<ProxyFixture>,
  fn: (p: ProxyFixture) => Promise<T>,
): Promise<T> {
  const p = await start();
  try {
    return await fn(p);
  } finally {
    await p.stop();
  }
}

async function using<T>(client: LoginTCClient, fn: (c: LoginTCClient) => Promise<T>): Promise<T> {
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

function viaProxy(emu: Emulator, pki: TestPki, p: { port: number }, pass: string, deps: ClientDeps = {}) {
  return createLoginTCClient(
    configFor(emu, { proxy: { host: "127.0.0.1", port: p.port, user: AUTH.user, pass }, caPem: pki.caPem }),
    { env: () => undefined, ...deps },
  );
}

/** The proxy's log once it matches `pattern`, or as it is after 5 s (the assertion then says why). */
async function logShowing(proxy: { log(): Promise<string> }, pattern: RegExp): Promise<string> {
  let log = await proxy.log();
  for (let i = 0; i < 50 && !pattern.test(log); i++) {
    await new Promise((r) => setTimeout(r, 100));
    log = await proxy.log();
  }
  return log;
}

Deno.test("LoginTC through authenticating proxies", async (t) => {
  const captured: string[] = [];
  const secrets = [AUTH.pass, BASIC];
  const fail = async (fn: () => Promise<unknown>) => {
    const e = await rejection(fn);
    captured.push(errorText(e));
    return e;
  };
  // One tinyproxy and one squid serve every step (squid takes ~2 s to shut down).
  await withPki((pki) =>
    withProxy(() => startTinyproxy(AUTH), (tiny) =>
      withProxy(() => startSquid(AUTH), async (squid) => {
        for (const px of [{ name: "tinyproxy", proxy: tiny }, { name: "squid", proxy: squid }]) {
          const proxy = px.proxy;
          await t.step(
            `${px.name}: Deno's own proxy basicAuth LEAKS Proxy-Authorization to the origin (Deno 2.9.6)`,
            async () => {
              await (
                withEmulator(pki, {}, async (emu) => {
                  secrets.push(emu.apiKey);
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
                  secrets.push(emu.apiKey);
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
                  assert.match(log, expected, "the tunnel went through the proxy, as the authenticated user");
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

        await t.step("proxy not running → 'not reachable' after the retries", async () => {
          await withEmulator(pki, {}, async (emu) => {
            const port = freePort();
            const time = fakeTime();
            const e = await fail(() => using(viaProxy(emu, pki, { port }, AUTH.pass, time), (c) => c.ping()));
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
                assert.match(
                  await proxy.log(),
                  new RegExp(`TCP_TUNNEL/200 .* CONNECT ${emu.host} proxyuser `),
                );
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
          "the relay only tunnels to the LoginTC host, only CONNECT, and stops on close()",
          async () => {
            await (async (proxy: ProxyFixture) => {
              const relay = startProxyRelay({
                proxyHost: "127.0.0.1",
                proxyPort: proxy.port,
                username: AUTH.user,
                password: AUTH.pass,
                targetHost: "127.0.0.1",
                targetPort: 9,
              });
              const ask = async (head: string) => {
                const conn = await Deno.connect({ hostname: "127.0.0.1", port: relay.port });
                await conn.write(new TextEncoder().encode(head));
                const buf = new Uint8Array(512);
                const n = await conn.read(buf);
                conn.close();
                return new TextDecoder().decode(buf.subarray(0, n ?? 0)).split("\r\n")[0];
              };
              try {
                assert.equal(
                  await ask("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
                  "HTTP/1.1 403 Forbidden",
                );
                assert.deepEqual(relay.takeFailure(), { kind: "refused-target", target: "example.com:443" });
                assert.equal(
                  await ask("GET http://127.0.0.1:9/ HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n"),
                  "HTTP/1.1 405 Method Not Allowed",
                );
                assert.equal(relay.tunnels(), 0);
                assert.doesNotMatch(await proxy.log(), /example\.com/, "the proxy was never asked");
              } finally {
                await relay.close();
              }
              await assert.rejects(() => Deno.connect({ hostname: "127.0.0.1", port: relay.port }));
            })(tiny);
          },
        );

        await t.step(
          "environment proxies in a real process: Deno applies HTTPS_PROXY and NO_PROXY itself",
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
                  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
                  captured.push(text);
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
                assert.match(
                  await authed.log(),
                  new RegExp(`TCP_TUNNEL/200 .* CONNECT ${emu.host} proxyuser `),
                  "credentials went to the proxy",
                );
                assert.equal(emu.requests.length, 3);
                for (const r of emu.requests) assert.equal(r.headers["proxy-authorization"], undefined);
              })
            ));
          },
        );
      }))
  );

  await t.step(
    "no captured error or output contains the proxy password, its Basic form or an API key",
    () => {
      assert.ok(captured.length >= 8, `captured ${captured.length}`);
      for (const text of captured) {
        for (const s of secrets) assert.ok(!text.includes(s), `a secret leaked into: ${text}`);
      }
    },
  );
});
