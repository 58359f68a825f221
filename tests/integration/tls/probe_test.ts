/**
 * The TLS probe (src/tls/probe.ts) is the one handshake with verification off. These tests pin what
 * makes that safe: it sends nothing on that connection, it still reports an untrusted chain as
 * untrusted, no other source file turns verification off, and only its two users call it (--doctor,
 * which only src/cli/app.ts loads and only for --doctor, and the directory's look after a refusal).
 */
import { bytesReceivedBy } from "../../support/countingTls.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { probeCertificates } from "../../../src/tls/probe.ts";

Deno.test("TLS probe: sends no data, and an untrusted chain is reported, not accepted", async () => {
  const received = await bytesReceivedBy("logintc-probe-", async (port) => {
    // No CA given: the server's chain is not trusted, so the probe must say so.
    const peer = await probeCertificates({ host: "127.0.0.1", port, ca: [], timeoutMs: 3000 });
    assert.notEqual(peer.chainError, null);
    assert.equal(peer.chain.length, 1);
    assert.match(peer.protocol ?? "", /^TLSv1\.[23]$/);
  });
  assert.equal(received, 0);
});

Deno.test("TLS probe: no handshake (a server that never answers) rejects within the timeout", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const serve = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    await assert.rejects(
      probeCertificates({ host: "127.0.0.1", port, timeoutMs: 200 }),
      /no TLS handshake within 0\.2 s/,
    );
  } finally {
    listener.close();
    for (const c of held) c.close();
    await serve.catch(() => {});
  }
});

/** Every source file under src/ and main.ts, relative to the repository root. */
async function sources(root: string): Promise<string[]> {
  const files: string[] = ["main.ts"];
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(join(root, rel))) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory) await walk(child);
      else if (e.name.endsWith(".ts")) files.push(child);
    }
  };
  await walk("src");
  return files;
}

Deno.test("verification off only in the TLS probe; the probe used only by --doctor (only via --doctor) and the directory's look after a refusal", async () => {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const unverified: string[] = [];
  const probing: string[] = [];
  const importsDoctor: string[] = [];
  for (const file of await sources(root)) {
    const text = await Deno.readTextFile(join(root, file));
    if (/rejectUnauthorized:\s*false/.test(text)) unverified.push(file);
    if (/["'][./]*tls\/probe\.ts["']/.test(text)) probing.push(file);
    if (!file.startsWith("src/doctor/") && /["'][./]*doctor\//.test(text)) importsDoctor.push(file);
  }
  assert.deepEqual(unverified, ["src/tls/probe.ts"]);
  // src/directory/peerCertificate.ts: only after node:tls refused a certificate (tests/integration/tls/ldap_test.ts).
  assert.deepEqual(probing.sort(), [
    "src/directory/peerCertificate.ts",
    "src/doctor/ldapLink.ts",
    "src/doctor/loginTC.ts",
    "src/doctor/tls.ts",
  ]);
  assert.deepEqual(importsDoctor, ["src/cli/app.ts"]);
  const app = await Deno.readTextFile(join(root, "src/cli/app.ts"));
  assert.match(app, /if \(options\.doctor === true\) return await doctor\(/);
});
