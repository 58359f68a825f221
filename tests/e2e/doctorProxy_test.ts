/**
 * --doctor through an HTTP proxy with credentials (tinyproxy): the CONNECT tunnel with the
 * credentials a sync would send, then LoginTC's certificate through it; a wrong proxy password
 * is a FAIL at logintc.proxy naming the fix, with the LoginTC checks after it skipped.
 */
import assert from "node:assert/strict";
import { startTinyproxy } from "../support/proxies.ts";
import { describe, startE2eSlapd, withWorld } from "../support/world.ts";

const AUTH = { user: "proxyuser", pass: "Pr0xy-Doctor-pass" };

Deno.test("--doctor via a proxy with credentials: tunnel and TLS through it; a wrong password fails there", async () => {
  const slapd = await startE2eSlapd({
    users: [{ uid: "alice", displayName: "Alice", mail: "a@example.com" }],
  });
  const proxy = await startTinyproxy(AUTH);
  try {
    await withWorld({ slapd }, async (w) => {
      const keys = { proxy_host: "127.0.0.1", proxy_port: String(proxy.port), proxy_user: AUTH.user };
      const good = await w.writeConfig("proxy.cfg", { logintc: { ...keys, proxy_pass: AUTH.pass } });
      const r = await w.run(["--doctor"], { config: good });
      assert.equal(r.code, 0, describe(r));
      assert.match(
        r.stdout,
        /^ok +logintc\.proxy +127\.0\.0\.1:\d+ \(from proxy_host\) with credentials: HTTP\/1\.[01] 200/m,
      );
      assert.match(r.stdout, /^warn +logintc\.tls +TLSv1\.[23], certificate CN=localhost/m);
      assert.match(r.stdout, /^ok +logintc\.api-key /m);
      assert.ok(!r.stdout.includes(AUTH.pass) && !r.stderr.includes(AUTH.pass));

      const bad = await w.writeConfig("bad-proxy.cfg", {
        logintc: { ...keys, proxy_pass: "wrong-password" },
      });
      const b = await w.run(["--doctor"], { config: bad });
      assert.equal(b.code, 1, describe(b));
      assert.match(b.stdout, /^FAIL +logintc\.proxy +.*40[17]/m);
      assert.match(b.stdout, /fix: check proxy_user and the proxy password/);
      assert.match(b.stdout, /^skip +logintc\.api-key +not checked: LoginTC is not reachable$/m);
    });
  } finally {
    await proxy.stop();
    await slapd.stop();
  }
});

/**
 * A proxy that repeats the Proxy-Authorization it received in its status line (issue 21, item 6):
 * 407 with it, as some proxies echo what they refused. --doctor printed that line as it came, Basic
 * credential and all, while the sync already redacted it. Test-only: a hostile answer, not a proxy.
 */
function startEchoingProxy(): { port: number; heads: string[]; stop(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const heads: string[] = [];
  const served = (async () => {
    for await (const conn of listener) {
      try {
        const buf = new Uint8Array(8192);
        const n = await conn.read(buf);
        const head = new TextDecoder().decode(buf.subarray(0, n ?? 0));
        heads.push(head);
        const auth = head.match(/^Proxy-Authorization: (.*)$/im)?.[1]?.trim() ?? "none";
        await conn.write(new TextEncoder().encode(`HTTP/1.1 407 Not accepted: ${auth}\r\n\r\n`));
      } catch { /* the client went away */ }
      conn.close();
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    heads,
    stop: async () => {
      listener.close();
      await served;
    },
  };
}

Deno.test("--doctor and a run redact a proxy credential the proxy echoes, from proxy_pass or HTTPS_PROXY", async () => {
  const slapd = await startE2eSlapd({
    users: [{ uid: "alice", displayName: "Alice", mail: "a@example.com" }],
  });
  const proxy = startEchoingProxy();
  const basic = btoa(`${AUTH.user}:${AUTH.pass}`);
  try {
    await withWorld({ slapd }, async (w) => {
      const fromConfig = await w.writeConfig("echo.cfg", {
        logintc: {
          proxy_host: "127.0.0.1",
          proxy_port: String(proxy.port),
          proxy_user: AUTH.user,
          proxy_pass: AUTH.pass,
        },
      });
      const fromEnv = { HTTPS_PROXY: `http://${AUTH.user}:${AUTH.pass}@127.0.0.1:${proxy.port}` };
      const runs = [
        { what: "--doctor, proxy_pass", r: await w.run(["--doctor"], { config: fromConfig }) },
        {
          what: "--doctor --json, proxy_pass",
          r: await w.run(["--doctor", "--json"], { config: fromConfig }),
        },
        { what: "--doctor, HTTPS_PROXY", r: await w.run(["--doctor"], { env: fromEnv }) },
        { what: "--doctor --json, HTTPS_PROXY", r: await w.run(["--doctor", "--json"], { env: fromEnv }) },
        { what: "-d, HTTPS_PROXY", r: await w.run(["-d"], { env: fromEnv }) },
      ];
      assert.ok(proxy.heads.every((h) => h.includes(`Basic ${basic}`)), "the proxy got the credentials");
      for (const { what, r } of runs) {
        const text = r.stdout + r.stderr;
        assert.match(
          text,
          /Not accepted: (Basic )?\*{8}/,
          `${what}: the echo is shown, redacted\n${describe(r)}`,
        );
        assert.ok(
          !text.includes(basic) && !text.includes(AUTH.pass),
          `${what}: a credential leaked\n${describe(r)}`,
        );
      }
    });
  } finally {
    await proxy.stop();
    await slapd.stop();
  }
});
