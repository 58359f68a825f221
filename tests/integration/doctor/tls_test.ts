/**
 * The doctor's TLS probe turns verification off (src/doctor/tls.ts) so it can report every problem
 * at once. These tests pin what makes that safe: it sends nothing on that connection, it still
 * reports an untrusted certificate as untrusted, and nothing outside the --doctor path opens such a
 * connection (src/cli/app.ts loads src/doctor only for --doctor).
 */
import { bytesReceivedBy } from "../../support/countingTls.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { probeTls } from "../../../src/doctor/tls.ts";

Deno.test("doctor TLS probe: sends no data, and an untrusted chain is reported, not accepted", async () => {
  const received = await bytesReceivedBy("logintc-doctor-tls-", async (port) => {
    // No CA given: the server's chain is not trusted, so the facts must say so.
    const facts = await probeTls({ host: "127.0.0.1", port, ca: [], timeoutMs: 3000 });
    assert.notEqual(facts.chainError, null);
  });
  assert.equal(received, 0);
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

Deno.test("verification off only in the doctor's probe and the directory's certificate look; doctor only via --doctor", async () => {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const unverified: string[] = [];
  const importsDoctor: string[] = [];
  for (const file of await sources(root)) {
    const text = await Deno.readTextFile(join(root, file));
    if (/rejectUnauthorized:\s*false/.test(text)) unverified.push(file);
    if (!file.startsWith("src/doctor/") && /["'][./]*doctor\//.test(text)) {
      importsDoctor.push(file);
    }
  }
  // src/directory/peerCertificate.ts: read-only look after a refusal (its own test: tests/integration/tls/ldap_test.ts).
  assert.deepEqual(unverified.sort(), ["src/directory/peerCertificate.ts", "src/doctor/tls.ts"]);
  assert.deepEqual(importsDoctor, ["src/cli/app.ts"]);
  const app = await Deno.readTextFile(join(root, "src/cli/app.ts"));
  assert.match(app, /if \(options\.doctor === true\) return await doctor\(/);
});
