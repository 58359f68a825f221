/**
 * The Windows side of the fixture bridge. Under `deno task test:windows` the tests run in deno.exe
 * under Wine, which cannot start Linux daemons (and the chroot has none): the fixture modules
 * (tests/support/slapd.ts, proxies.ts, samba.ts, certs.ts) call `remoteFixtures()` first and, when it
 * returns a bridge, get the same fixture started on the Linux side by tests/support/windows/host.ts. Each call
 * starts a fresh server, exactly as on Linux, so the tests stay independent and unchanged.
 * The emulator needs no bridge: it is Deno.serve in the test process, which deno.exe runs as is.
 */
import { resolve } from "node:path";
import type { CertVariant, TestPki } from "../certs.ts";
import type { ProxyAuth, ProxyFixture } from "../proxies.ts";
import type { SambaAd } from "../samba.ts";
import type { Slapd, SlapdOptions } from "../slapd.ts";
import { type Op, REMOTE_ENV, REMOTE_TOKEN_ENV, type Response } from "./protocol.ts";

export interface RemoteFixtures {
  makeTestPki(dir: string, opts: { san?: string; cn?: string }): Promise<TestPki>;
  makeCertVariant(dir: string, variant: CertVariant): Promise<{ certFile: string; certPem: string }>;
  startSlapd(opts: SlapdOptions): Promise<Slapd>;
  startProxy(kind: "tinyproxy" | "squid", auth?: ProxyAuth): Promise<ProxyFixture>;
  startSambaAd(): Promise<SambaAd>;
}

/** The bridge when this process runs under `deno task test:windows`, else undefined. */
export function remoteFixtures(): RemoteFixtures | undefined {
  const addr = Deno.env.get(REMOTE_ENV);
  if (!addr) return undefined;
  const [hostname, port] = addr.split(":");
  const token = Deno.env.get(REMOTE_TOKEN_ENV) ?? "";
  const call = (op: Op) => callHost({ hostname, port: Number(port) }, token, op);

  const stopper = (id: number) => async () => void (await call({ op: "stop", id }));
  return {
    async makeTestPki(dir, opts) {
      await Deno.mkdir(dir, { recursive: true });
      await call({ op: "pki", dir: resolve(dir), opts });
      return await readPki(dir);
    },
    async makeCertVariant(dir, variant) {
      await call({ op: "pki.variant", dir: resolve(dir), variant });
      const certFile = `${resolve(dir)}\\${variant}.crt`;
      return { certFile, certPem: await Deno.readTextFile(certFile) };
    },
    async startSlapd(opts) {
      const r = await call({ op: "slapd.start", opts }) as Omit<Slapd, "ldapModify" | "stop"> & {
        id: number;
      };
      const { id, ...data } = r;
      return {
        ...data,
        ldapModify: async (ldif) => void (await call({ op: "slapd.modify", id, ldif })),
        stop: stopper(id),
      };
    },
    async startProxy(kind, auth) {
      const r = await call({ op: "proxy.start", kind, auth }) as { id: number; url: string; port: number };
      let finalLog: string | undefined;
      const log = async () => finalLog ?? (await call({ op: "proxy.log", id: r.id })) as string;
      let stopped = false;
      return {
        url: r.url,
        port: r.port,
        log,
        stop: async () => {
          if (stopped) return;
          stopped = true;
          finalLog = await log(); // tests read the log after stop(), as with the local fixture
          await stopper(r.id)();
        },
      };
    },
    async startSambaAd() {
      const r = await call({ op: "samba.start" }) as Omit<SambaAd, "stop"> & { id: number };
      const { id, ...data } = r;
      return { ...data, stop: stopper(id) };
    },
  };
}

async function readPki(dir: string): Promise<TestPki> {
  const at = (name: string) => `${dir}\\${name}`;
  return {
    dir,
    caFile: at("ca.crt"),
    caPem: await Deno.readTextFile(at("ca.crt")),
    otherCaFile: at("other-ca.crt"),
    serverCert: at("server.crt"),
    serverKey: at("server.key"),
    serverCertPem: await Deno.readTextFile(at("server.crt")),
    serverKeyPem: await Deno.readTextFile(at("server.key")),
  };
}

async function callHost(addr: { hostname: string; port: number }, token: string, op: Op): Promise<unknown> {
  const conn = await Deno.connect({ hostname: addr.hostname, port: addr.port });
  try {
    await conn.write(new TextEncoder().encode(JSON.stringify({ ...op, token }) + "\n"));
    let text = "";
    const dec = new TextDecoder();
    const buf = new Uint8Array(64 * 1024);
    while (!text.includes("\n")) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n), { stream: true });
    }
    if (!text.includes("\n")) throw new Error(`fixture host closed the connection during ${op.op}`);
    const res = JSON.parse(text) as Response;
    if (!res.ok) throw new Error(`fixture host (${op.op}): ${res.error}`);
    return res.result;
  } finally {
    conn.close();
  }
}
