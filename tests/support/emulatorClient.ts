/**
 * Harness for the emulator tests: one throwaway PKI per test file, an emulator per test,
 * and an independent HTTPS client (plain fetch trusting only the per-run CA) — deliberately
 * not src/logintc, so these tests check the emulator against the public API's promises.
 */
import { makeTestPki, type TestPki } from "./certs.ts";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../emulator/mod.ts";

export const VND = "application/vnd.logintc.v1+json";

let pkiPromise: Promise<TestPki> | undefined;

/**
 * One PKI per test process (openssl costs ~50 ms a key). Its folder holds the CA's private key,
 * so it goes when the process ends ("unload" fires after the last test of the file).
 */
function testPki(): Promise<TestPki> {
  if (!pkiPromise) {
    const dir = Deno.makeTempDirSync({ prefix: "emulator-test-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    pkiPromise = makeTestPki(dir);
  }
  return pkiPromise;
}

export interface Call {
  status: number;
  headers: Headers;
  text: string;
  // deno-lint-ignore no-explicit-any
  json: any;
}

export interface Harness {
  emu: Emulator;
  pki: TestPki;
  /** A request with the right key and headers unless overridden; body objects are JSON. */
  call(
    method: string,
    path: string,
    opts?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<Call>;
}

export async function withEmulator(
  opts: Partial<EmulatorOptions>,
  fn: (h: Harness) => Promise<void> | void,
): Promise<void> {
  const pki = await testPki();
  const emu = await startEmulator({ tls: { cert: pki.serverCertPem, key: pki.serverKeyPem }, ...opts });
  const client = Deno.createHttpClient({ caCerts: [pki.caPem] });
  try {
    await fn({
      emu,
      pki,
      async call(method, path, o = {}) {
        const headers: Record<string, string> = {
          accept: VND,
          authorization: `LoginTC key="${emu.apiKey}"`,
          ...o.headers,
        };
        let body: string | undefined;
        if (o.body !== undefined) {
          body = typeof o.body === "string" ? o.body : JSON.stringify(o.body);
          headers["content-type"] ??= VND;
        }
        const res = await fetch(`${emu.url}/api${path}`, { method, headers, body, client });
        const text = await res.text();
        let json: unknown;
        try {
          json = text === "" ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        return { status: res.status, headers: res.headers, text, json };
      },
    });
  } finally {
    client.close();
    await emu.close();
  }
}

export const USER_KEYS = [
  "id",
  "username",
  "email",
  "name",
  "domains",
  "bypasscodes",
  "hardware",
  "alias1",
  "alias2",
  "alias3",
  "phones",
  "groups",
];
