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
