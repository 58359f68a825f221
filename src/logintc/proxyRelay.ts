/**
 * A loopback CONNECT relay that keeps the proxy password away from LoginTC Admin.
 *
 * Why: Deno 2.9.6 fetch, given a proxy with credentials (createHttpClient basicAuth, userinfo in
 * the proxy URL, or HTTPS_PROXY=http://user:pass@…), sends `Proxy-Authorization: Basic …` to the
 * proxy on CONNECT *and again inside the TLS tunnel to the destination* (ext/fetch
 * `Proxies::http_forward_auth` checks only that the proxy URL is http://, not that the request
 * is). LoginTC Admin would receive the proxy password. Measured: docs/development.md, "Deno's fetch
 * and proxies"; the first test of tests/integration/logintc/proxy_test.ts proves Deno still does it.
 *
 * So fetch is pointed at this relay as an UNAUTHENTICATED http proxy (Deno then has no
 * credentials to leak). The relay adds `Proxy-Authorization` to the CONNECT it sends to the real
 * proxy (RFC 9110 §9.3.6 CONNECT, §11.7.1 Proxy-Authorization: hop-by-hop, for the proxy only),
 * relays the proxy's answer, and after a 2xx pipes bytes both ways. TLS stays end to end between
 * fetch and LoginTC (the relay sees ciphertext only).
 *
 * Guards: listens on 127.0.0.1 only, on a port the OS picks; accepts only CONNECT, only to the
 * configured LoginTC host:port; bounded request head, head-read timeout and connection count;
 * close() ends the listener and every open connection.
 */
import { withTimeout } from "../timers.ts";
import { messageOf } from "../unknown.ts";

export interface RelayOptions {
  /** The real proxy. */
  proxyHost: string;
  proxyPort: number;
  /** Sent to the real proxy only. */
  username: string;
  password: string;
  /** The only CONNECT target allowed (the LoginTC host as it appears in the API URL). */
  targetHost: string;
  targetPort: number;
  /** Defaults: 64 tunnels (the sync runs requests concurrently), 8 KiB heads, 30 s to receive a head. */
  maxConnections?: number;
  headTimeoutMs?: number;
}

/**
 * Why the last tunnel could not be opened (what Deno's error cannot tell us). The request whose
 * fetch failed takes it; with concurrent requests another failing one may take it instead, which
 * is harmless: they failed on the same proxy.
 */
export type RelayFailure =
  | { kind: "rejected"; status: number; statusLine: string }
  | { kind: "unreachable"; reason: string }
  | { kind: "refused-target"; target: string };

export interface ProxyRelay {
  /** http://127.0.0.1:<port>, to be used as an unauthenticated proxy URL. */
  url: string;
  port: number;
  /** Returns and forgets the most recent upstream failure (a successful tunnel also forgets it). */
  takeFailure(): RelayFailure | undefined;
  /** How many tunnels the real proxy accepted (for tests and diagnostics). */
  tunnels(): number;
  close(): Promise<void>;
}

const MAX_HEAD = 8 * 1024;
const enc = new TextEncoder();
const dec = new TextDecoder();

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

/** Index of the first CRLFCRLF in buf, or -1. */
function headEnd(buf: Uint8Array): number {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}

/**
 * Reads until CRLFCRLF within `timeoutMs`; returns the head text and any bytes read past it. After a
 * timeout the caller closes `conn`, which ends the read still pending.
 */
function readHead(conn: Deno.Conn, timeoutMs: number): Promise<{ head: string; rest: Uint8Array }> {
  return withTimeout(readToHeadEnd(conn), timeoutMs, "timed out waiting for a request head");
}

async function readToHeadEnd(conn: Deno.Conn): Promise<{ head: string; rest: Uint8Array }> {
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(2048);
  while (true) {
    const n = await conn.read(chunk);
    if (n === null) throw new Error("connection closed before the end of the head");
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
    const end = headEnd(buf);
    if (end >= 0) return { head: dec.decode(buf.subarray(0, end)), rest: buf.subarray(end + 4) };
    if (buf.length > MAX_HEAD) throw new Error("request head too large");
  }
}

/** Copies src → dst until EOF, then half-closes dst so the other direction can finish. */
async function pump(src: Deno.Conn, dst: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(32 * 1024);
  while (true) {
    const n = await src.read(buf);
    if (n === null) break;
    await writeAll(dst, buf.subarray(0, n));
  }
  await dst.closeWrite().catch(() => undefined);
}

function normHost(h: string): string {
  return h.replace(/^\[|\]$/g, "").toLowerCase();
}

/** Parses "CONNECT host:port HTTP/1.1" into host and port; undefined for anything else. */
export function parseConnectLine(line: string): { host: string; port: number } | undefined {
  const m = line.match(/^CONNECT (\[[^\]]+\]|[^\s:]+):(\d{1,5}) HTTP\/1\.[01]$/);
  if (!m) return undefined;
  return { host: normHost(m[1]), port: Number(m[2]) };
}

export function basicCredentials(username: string, password: string): string {
  // RFC 7617: base64 of the UTF-8 "user:pass".
  const bytes = enc.encode(`${username}:${password}`);
  return btoa(String.fromCharCode(...bytes));
}

export function startProxyRelay(opts: RelayOptions): ProxyRelay {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const maxConnections = opts.maxConnections ?? 64;
  const headTimeoutMs = opts.headTimeoutMs ?? 30_000;
  const target = { host: normHost(opts.targetHost), port: opts.targetPort };
  const authority = `${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
  const open = new Set<Deno.Conn>();
  const handlers = new Set<Promise<void>>();
  let failure: RelayFailure | undefined;
  let tunnels = 0;
  let closed = false;

  const reply = (conn: Deno.Conn, statusLine: string) =>
    writeAll(conn, enc.encode(`${statusLine}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));

  async function handle(client: Deno.Conn): Promise<void> {
    let upstream: Deno.Conn | undefined;
    try {
      const { head, rest } = await readHead(client, headTimeoutMs);
      const req = parseConnectLine(head.split("\r\n")[0]);
      if (!req) return await reply(client, "HTTP/1.1 405 Method Not Allowed");
      if (req.host !== target.host || req.port !== target.port) {
        failure = { kind: "refused-target", target: `${req.host}:${req.port}` };
        return await reply(client, "HTTP/1.1 403 Forbidden");
      }
      try {
        upstream = await Deno.connect({ hostname: opts.proxyHost, port: opts.proxyPort });
      } catch (e) {
        failure = { kind: "unreachable", reason: messageOf(e) };
        return await reply(client, "HTTP/1.1 502 Bad Gateway");
      }
      open.add(upstream);
      await writeAll(
        upstream,
        enc.encode(
          `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n` +
            `Proxy-Authorization: Basic ${basicCredentials(opts.username, opts.password)}\r\n\r\n`,
        ),
      );
      let answer: { head: string; rest: Uint8Array };
      try {
        answer = await readHead(upstream, headTimeoutMs);
      } catch (e) {
        failure = { kind: "unreachable", reason: messageOf(e) };
        return await reply(client, "HTTP/1.1 502 Bad Gateway");
      }
      const statusLine = answer.head.split("\r\n")[0];
      const status = Number(statusLine.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] ?? 0);
      if (status < 200 || status > 299) {
        failure = { kind: "rejected", status, statusLine };
        // Only the status line goes back: its body is the proxy's, and Deno reads just the head.
        return await reply(client, statusLine || "HTTP/1.1 502 Bad Gateway");
      }
      failure = undefined;
      tunnels++;
      await writeAll(client, enc.encode("HTTP/1.1 200 Connection established\r\n\r\n"));
      if (answer.rest.length) await writeAll(client, answer.rest);
      if (rest.length) await writeAll(upstream, rest);
      const up = upstream;
      await Promise.all([pump(client, up), pump(up, client)]);
    } catch {
      // A broken connection ends this tunnel only; fetch reports it to its caller.
    } finally {
      for (const c of [client, upstream]) {
        if (!c) continue;
        open.delete(c);
        try {
          c.close();
        } catch { /* already closed */ }
      }
    }
  }

  const acceptLoop = (async () => {
    while (!closed) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        break; // listener closed
      }
      if (open.size >= maxConnections * 2) {
        conn.close();
        continue;
      }
      open.add(conn);
      const h = handle(conn);
      handlers.add(h);
      h.finally(() => handlers.delete(h));
    }
  })();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    takeFailure() {
      const f = failure;
      failure = undefined;
      return f;
    },
    tunnels: () => tunnels,
    async close() {
      if (closed) return;
      closed = true;
      try {
        listener.close();
      } catch { /* closed */ }
      for (const c of open) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      open.clear();
      await acceptLoop;
      await Promise.allSettled([...handlers]);
    },
  };
}
