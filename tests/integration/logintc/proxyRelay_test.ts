/**
 * The loopback relay (src/logintc/proxyRelay.ts) against a real authenticating proxy (tinyproxy):
 * only this run can tunnel through it (issue 20, item 5), a local process holding connections costs
 * the run nothing (issue 21), and it tunnels only CONNECT, only to the LoginTC host.
 *
 * The attacks, reproduced: (1) a second local process connects to the relay's port and asks for a
 * tunnel — before, the relay opened it through the corporate proxy with the configured proxy
 * credentials; (2) a local process opens and holds connections — before, 128 of them filled the
 * relay and the sync's own requests were refused.
 */
import assert from "node:assert/strict";
import { startProxyRelay } from "../../../src/logintc/proxyRelay.ts";
import { baseEnv } from "../../support/cli.ts";
import { withEmulator, withPki } from "../../support/logintc.ts";
import { startTinyproxy } from "../../support/proxies.ts";
import { AUTH, withProxy } from "../../support/viaProxy.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** What a connection answers to `head` (its first line), "" when it closes without a word. */
async function firstLine(conn: Deno.Conn, head: string): Promise<string> {
  try {
    await conn.write(enc.encode(head));
    const buf = new Uint8Array(1024);
    const n = await conn.read(buf);
    return dec.decode(buf.subarray(0, n ?? 0)).split("\r\n")[0];
  } catch {
    return "";
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

/**
 * A separate OS process (deno eval) that tries every way into the relay: plain TCP, TLS trusting
 * the relay's certificate with no or a guessed secret, and fetch through it as a proxy. Prints one
 * JSON object of what each got.
 */
async function secondProcess(port: number, certPem: string, target: string): Promise<Record<string, string>> {
  const code = `
    const [port, cert, target] = Deno.args;
    const enc = new TextEncoder(), dec = new TextDecoder();
    const ask = async (conn, head) => {
      try {
        await conn.write(enc.encode(head));
        const buf = new Uint8Array(1024);
        const n = await conn.read(buf);
        return dec.decode(buf.subarray(0, n ?? 0)).split("\\r\\n")[0];
      } catch (e) { return "error: " + e.name; } finally { try { conn.close(); } catch {} }
    };
    const connect = "CONNECT " + target + " HTTP/1.1\\r\\nHost: " + target + "\\r\\n";
    const out = {};
    out.plain = await ask(await Deno.connect({ hostname: "127.0.0.1", port: +port }), connect + "\\r\\n");
    const tls = () => Deno.connectTls({ hostname: "127.0.0.1", port: +port, caCerts: [cert] });
    out.noSecret = await ask(await tls(), connect + "\\r\\n");
    out.guessed = await ask(await tls(),
      connect + "Proxy-Authorization: Basic " + btoa("logintc-sync:guess") + "\\r\\n\\r\\n");
    const client = Deno.createHttpClient({ caCerts: [cert], proxy: { url: "https://127.0.0.1:" + port } });
    try {
      const r = await fetch("https://" + target + "/api/ping", { client });
      out.fetch = "status " + r.status;
      await r.body?.cancel();
    } catch (e) { out.fetch = "error: " + (e.cause?.message ?? e.message).replace(/^.*: /, ""); }
    client.close();
    console.log(JSON.stringify(out));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code, String(port), certPem, target],
    clearEnv: true,
    env: baseEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, dec.decode(out.stderr));
  return JSON.parse(dec.decode(out.stdout));
}

Deno.test("relay: only this run can use it, held connections cost nothing, only CONNECT to LoginTC", async (t) => {
  await withPki((pki) =>
    withProxy(() => startTinyproxy(AUTH), (proxy) =>
      withEmulator(pki, {}, async (emu) => {
        const [host, port] = [emu.host.replace(/:\d+$/, ""), Number(emu.host.replace(/^.*:/, ""))];
        const relay = startProxyRelay({
          proxyHost: "127.0.0.1",
          proxyPort: proxy.port,
          username: AUTH.user,
          password: AUTH.pass,
          targetHost: host,
          targetPort: port,
          authTimeoutMs: 1_000,
          maxWaiting: 64,
        });
        const { port: relayPort, proxy: relayProxy } = await relay.listening;
        // The client as src/logintc/client.ts sets it up: the relay's credentials and certificate.
        const client = Deno.createHttpClient({ caCerts: [pki.caPem, relay.certPem], proxy: relayProxy });
        const ping = async () => {
          const res = await fetch(`${emu.url}/api/ping`, {
            client,
            headers: { Authorization: `LoginTC key="${emu.apiKey}"` },
          });
          await res.body?.cancel();
          return res.status;
        };
        const proxyConnects = async () => ((await proxy.log()).match(/: CONNECT \S+ HTTP/g) ?? []).length;
        try {
          await t.step(
            "a second local process is refused every way; the proxy never hears of it",
            async () => {
              const { plain, ...rest } = await secondProcess(relayPort, relay.certPem, emu.host);
              assert.deepEqual(rest, {
                noSecret: "HTTP/1.1 407 Proxy Authentication Required",
                guessed: "HTTP/1.1 407 Proxy Authentication Required",
                fetch: "error: proxy authentication required",
              });
              assert.doesNotMatch(plain, /^HTTP/, "plain TCP gets no HTTP answer (the relay speaks TLS)");
              assert.equal(relay.tunnels(), 0);
              assert.equal(await proxyConnects(), 0, "the proxy was never asked");
              assert.equal(
                relay.takeFailure(),
                undefined,
                "nothing a stranger did becomes the run's failure",
              );
              assert.ok(relay.turnedAway() >= 4, `turned away ${relay.turnedAway()}`);
              // The run's own requests go through, authenticated to the proxy by the relay.
              assert.equal(await ping(), 200);
              assert.equal(relay.tunnels(), 1);
              assert.equal(emu.requests.at(-1)!.headers["proxy-authorization"], undefined);
            },
          );

          await t.step("connections held open by a local process cost the run nothing", async () => {
            const held: Deno.Conn[] = [];
            for (let i = 0; i < 300; i++) {
              held.push(await Deno.connect({ hostname: "127.0.0.1", port: relayPort }));
            }
            try {
              // Fresh connections for the run (the pool's would hide the effect).
              const own = Deno.createHttpClient({
                caCerts: [pki.caPem, relay.certPem],
                proxy: relayProxy,
                poolMaxIdlePerHost: 0,
              });
              try {
                for (let i = 0; i < 5; i++) {
                  const res = await fetch(`${emu.url}/api/ping`, {
                    client: own,
                    headers: { Authorization: `LoginTC key="${emu.apiKey}"` },
                  });
                  assert.equal(res.status, 200);
                  await res.body?.cancel();
                }
              } finally {
                own.close();
              }
              // The oldest of the waiting ones were dropped to admit the newest; the rest time out.
              const closedByRelay = async (c: Deno.Conn) => (await c.read(new Uint8Array(1))) === null;
              assert.ok(await closedByRelay(held[0]), "the oldest held connection was dropped");
            } finally {
              for (const c of held) {
                try {
                  c.close();
                } catch { /* closed */ }
              }
            }
          });

          await t.step("only an authenticated CONNECT to the LoginTC host is tunnelled", async () => {
            const tls = () =>
              Deno.connectTls({ hostname: "127.0.0.1", port: relayPort, caCerts: [relay.certPem] });
            const auth = `Proxy-Authorization: Basic ${btoa(`logintc-sync:${relay.secret}`)}\r\n`;
            const before = relay.tunnels();
            assert.equal(
              await firstLine(
                await tls(),
                `CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n${auth}\r\n`,
              ),
              "HTTP/1.1 403 Forbidden",
            );
            assert.deepEqual(relay.takeFailure(), { kind: "refused-target", target: "example.com:443" });
            assert.equal(
              await firstLine(
                await tls(),
                `GET http://${emu.host}/ HTTP/1.1\r\nHost: ${emu.host}\r\n${auth}\r\n`,
              ),
              "HTTP/1.1 405 Method Not Allowed",
            );
            assert.equal(relay.tunnels(), before);
            assert.doesNotMatch(await proxy.log(), /example\.com/, "the proxy was never asked");
          });
        } finally {
          client.close();
          await relay.close();
        }
        await assert.rejects(() => Deno.connect({ hostname: "127.0.0.1", port: relayPort }));
      }))
  );
});
