/**
 * Every combination of the proxy variables, with a capture at the origin (issue 21, item 2).
 *
 * The attack: with `HTTPS_PROXY=http://user:pass@p:3128` beside `https_proxy=http://p:3128` (or
 * ALL_PROXY with credentials beside HTTPS_PROXY without), our resolution and Deno's picked different
 * variables: the relay was skipped and Deno sent `Proxy-Authorization` to LoginTC on every request.
 *
 * Here the real process environment is set as an administrator would, the variables are handed over
 * as main.ts does (takeProxyVariables), and the client pings the emulator, whose request log shows
 * every header it received. Each variable points to a tinyproxy of its own (an open one when the
 * value has no credentials, one demanding them when it has), so the proxy whose log grows is the
 * variable that was used; it must be the one the documented order names (docs/logintc-api.md), or
 * none when no_proxy/NO_PROXY covers the host. http_proxy/HTTP_PROXY point to a proxy that must never
 * be used (LoginTC is https). Every assignment of the six variables (unset, a proxy without
 * credentials, one with) is a case, each with one of five no_proxy/NO_PROXY settings in turn. One
 * process, one client per case.
 */
import assert from "node:assert/strict";
import { createLoginTCClient } from "../../../src/logintc/client.ts";
import { ALL_PROXY_VARIABLES, takeProxyVariables } from "../../../src/logintc/proxy.ts";
import { configFor, withEmulator, withPki } from "../../support/logintc.ts";
import { type ProxyFixture, startTinyproxy } from "../../support/proxies.ts";
import { AUTH, BASIC } from "../../support/viaProxy.ts";

// Windows environment names ignore case: there, https_proxy and HTTPS_PROXY are one variable.
const windows = Deno.build.os === "windows";
/** The https variables in the documented order (the first set one wins). */
const HTTPS_VARS = windows
  ? ["HTTPS_PROXY", "ALL_PROXY"]
  : ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
const HTTP_VARS = windows ? ["HTTP_PROXY"] : ["http_proxy", "HTTP_PROXY"];
/** Exemption settings: [variables, whether they cover 127.0.0.1 (no_proxy, else NO_PROXY)]. */
const EXEMPTIONS: [Record<string, string>, boolean][] = [
  [{}, false],
  [{ NO_PROXY: "127.0.0.1" }, true],
  [{ NO_PROXY: "other.example, 10.0.0.0/8" }, false],
  ...(windows ? [] : [
    [{ no_proxy: "127.0.0.0/8" }, true],
    [{ no_proxy: "other.example", NO_PROXY: "127.0.0.1" }, false],
  ] as [Record<string, string>, boolean][]),
];

type Value = "unset" | "plain" | "creds";

/** Every assignment of `values` to `names`. */
function* assignments(names: string[], values: Value[]): Generator<Record<string, Value>> {
  if (names.length === 0) return yield {};
  for (const rest of assignments(names.slice(1), values)) {
    for (const v of values) yield { [names[0]]: v, ...rest };
  }
}

const connects = async (p: ProxyFixture) => ((await p.log()).match(/: CONNECT \S+ HTTP/g) ?? []).length;

Deno.test("proxy variables: every combination; LoginTC never receives Proxy-Authorization", async () => {
  await withPki((pki) =>
    withEmulator(pki, {}, async (emu) => {
      const started: ProxyFixture[] = [];
      const start = async (auth?: typeof AUTH) => {
        const p = await startTinyproxy(auth);
        started.push(p);
        return p;
      };
      try {
        const open: Record<string, ProxyFixture> = {};
        const authed: Record<string, ProxyFixture> = {};
        for (const name of HTTPS_VARS) {
          open[name] = await start();
          authed[name] = await start(AUTH);
        }
        const trap = await start(AUTH);
        const url = (name: string, v: Value) =>
          v === "plain"
            ? open[name].url
            : `http://${AUTH.user}:${encodeURIComponent(AUTH.pass)}@127.0.0.1:${authed[name].port}`;
        const trapUrl = `http://${AUTH.user}:${encodeURIComponent(AUTH.pass)}@127.0.0.1:${trap.port}`;
        const all = [...Object.values(open), ...Object.values(authed), trap];
        let cases = 0;
        for (const https of assignments(HTTPS_VARS, ["unset", "plain", "creds"])) {
          for (const http of assignments(HTTP_VARS, ["unset", "creds"])) {
            // The exemption settings take turns (each meets every kind of winner); a full product
            // would take minutes, as a ping through tinyproxy takes ~100 ms here.
            {
              const [exemption, exempt] = EXEMPTIONS[cases % EXEMPTIONS.length];
              const vars: Record<string, string> = { ...exemption };
              for (const [n, v] of Object.entries(https)) if (v !== "unset") vars[n] = url(n, v);
              for (const [n, v] of Object.entries(http)) if (v !== "unset") vars[n] = trapUrl;
              const winner = HTTPS_VARS.find((n) => https[n] !== "unset");
              const expected = winner && !exempt
                ? (https[winner] === "plain" ? open[winner] : authed[winner])
                : undefined;
              const label = JSON.stringify(vars);

              for (const n of ALL_PROXY_VARIABLES) Deno.env.delete(n);
              for (const [n, v] of Object.entries(vars)) Deno.env.set(n, v);
              const before = await Promise.all(all.map(connects));
              const seen = emu.requests.length;
              // As main.ts: the variables are taken once, and the client is given the lookup.
              const env = takeProxyVariables(Deno.env);
              for (const n of ALL_PROXY_VARIABLES) assert.equal(Deno.env.get(n), undefined, label);
              const client = createLoginTCClient(configFor(emu, { caPem: pki.caPem }), {
                env,
                retry: { maxAttempts: 1 },
              });
              try {
                await client.ping();
              } catch (e) {
                assert.fail(`${label}: ${(e as Error).message}`);
              } finally {
                await client.close();
              }
              assert.equal(emu.requests.length, seen + 1, label);
              const got = emu.requests[seen];
              assert.equal(got.headers["proxy-authorization"], undefined, label);
              assert.ok(
                !JSON.stringify(got).includes(BASIC) && !JSON.stringify(got).includes(AUTH.pass),
                label,
              );
              const after = await Promise.all(all.map(connects));
              const used = all.filter((_, i) => after[i] > before[i]);
              assert.deepEqual(
                used.map((p) => p.port),
                expected ? [expected.port] : [],
                `${label}: expected ${expected ? `the proxy of ${winner}` : "a direct connection"}`,
              );
              cases++;
            }
          }
        }
        assert.equal(cases, 3 ** HTTPS_VARS.length * 2 ** HTTP_VARS.length);
      } finally {
        for (const n of ALL_PROXY_VARIABLES) Deno.env.delete(n);
        for (const p of started) await p.stop();
      }
    })
  );
});
