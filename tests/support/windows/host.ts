/**
 * The Linux side of the fixture bridge (see remote.ts): a loopback TCP service that starts the same
 * fixtures the Linux suite uses (tests/support/*) on behalf of the Windows test process, and stops
 * them on request, or all of them when the host closes. Every request must carry the per-run token.
 * The fixtures' temp dirs must be visible inside the chroot: the caller points TMPDIR at the share.
 */
import { makeCertVariant } from "../../../emulator/pki.ts";
import { makeTestPki, type TestPki } from "../certs.ts";
import { type ProxyFixture, startSquid, startTinyproxy } from "../proxies.ts";
import { type SambaAd, startSambaAd } from "../samba.ts";
import { type Slapd, type SlapdOptions, startSlapd } from "../slapd.ts";
import { linuxPath, type Op, type Request, type Response, windowsPath, type WineLayout } from "./protocol.ts";

export interface FixtureHost {
  port: number;
  token: string;
  /** Requests served, by op (for the run's summary). */
  counts: Record<string, number>;
  /** Stops every fixture still running, then the listener. */
  close(): Promise<void>;
}

type Running = { kind: "slapd"; f: Slapd } | { kind: "proxy"; f: ProxyFixture } | {
  kind: "samba";
  f: SambaAd;
};

export function startFixtureHost(layout: WineLayout): FixtureHost {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const token = crypto.randomUUID();
  const running = new Map<number, Running>();
  const counts: Record<string, number> = {};
  let nextId = 1;
  const win = (p: string) => windowsPath(p, layout);
  const winPki = (p: TestPki): TestPki => ({
    ...p,
    dir: win(p.dir),
    caFile: win(p.caFile),
    otherCaFile: win(p.otherCaFile),
    serverCert: win(p.serverCert),
    serverKey: win(p.serverKey),
  });
  const keep = (r: Running) => {
    const id = nextId++;
    running.set(id, r);
    return id;
  };

  async function handle(req: Op): Promise<unknown> {
    switch (req.op) {
      case "pki":
        await makeTestPki(linuxPath(req.dir, layout), req.opts);
        return null;
      case "pki.variant":
        await makeCertVariant(linuxPath(req.dir, layout), req.variant);
        return null;
      case "slapd.start": {
        const s = await startSlapd(req.opts as SlapdOptions);
        const { ldapModify: _m, stop: _s, ...data } = s;
        return { ...data, dir: win(s.dir), pki: winPki(s.pki), id: keep({ kind: "slapd", f: s }) };
      }
      case "slapd.modify": {
        const r = running.get(req.id);
        if (r?.kind !== "slapd") throw new Error(`no slapd #${req.id}`);
        await r.f.ldapModify(req.ldif);
        return null;
      }
      case "proxy.start": {
        const p = req.kind === "squid" ? await startSquid(req.auth!) : await startTinyproxy(req.auth);
        return { url: p.url, port: p.port, id: keep({ kind: "proxy", f: p }) };
      }
      case "proxy.log": {
        const r = running.get(req.id);
        if (r?.kind !== "proxy") throw new Error(`no proxy #${req.id}`);
        return await r.f.log();
      }
      case "samba.start": {
        const s = await startSambaAd();
        const { stop: _s, ...data } = s;
        return { ...data, dir: win(s.dir), pki: winPki(s.pki), id: keep({ kind: "samba", f: s }) };
      }
      case "stop": {
        const r = running.get(req.id);
        running.delete(req.id);
        await r?.f.stop();
        return null;
      }
    }
  }

  async function serve(conn: Deno.Conn): Promise<void> {
    let res: Response;
    try {
      const line = await readLine(conn);
      const req = JSON.parse(line) as Request;
      if (req.token !== token) throw new Error("bad token");
      counts[req.op] = (counts[req.op] ?? 0) + 1;
      res = { ok: true, result: await handle(req) };
    } catch (e) {
      res = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    try {
      await writeAll(conn, new TextEncoder().encode(JSON.stringify(res) + "\n"));
    } finally {
      conn.close();
    }
  }

  const conns: Promise<void>[] = [];
  const accepting = (async () => {
    for await (const conn of listener) conns.push(serve(conn).catch(() => undefined));
  })().catch(() => undefined);

  return {
    port: (listener.addr as Deno.NetAddr).port,
    token,
    counts,
    async close() {
      listener.close();
      await accepting;
      await Promise.all(conns);
      for (const [id, r] of running) {
        running.delete(id);
        await r.f.stop().catch(() => undefined);
      }
    },
  };
}

async function readLine(conn: Deno.Conn): Promise<string> {
  const dec = new TextDecoder();
  const buf = new Uint8Array(64 * 1024);
  let text = "";
  while (!text.includes("\n")) {
    const n = await conn.read(buf);
    if (n === null) throw new Error("connection closed before a request line");
    text += dec.decode(buf.subarray(0, n), { stream: true });
    if (text.length > 16 * 1024 * 1024) throw new Error("request too large");
  }
  return text.slice(0, text.indexOf("\n"));
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length;) off += await conn.write(data.subarray(off));
}
