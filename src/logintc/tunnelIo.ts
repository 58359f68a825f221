/**
 * The relay's I/O (./proxyRelay.ts): reading an HTTP head (a CONNECT request from the client, the
 * real proxy's answer), its request line and Proxy-Authorization, and piping a tunnel's bytes between
 * the client's TLS socket (node:tls) and the proxy's connection (Deno.Conn).
 */
import type net from "node:net";

const MAX_HEAD = 8 * 1024;

/** Index of the first CRLFCRLF in buf, or -1. */
function headEnd(buf: Uint8Array): number {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}

/**
 * Reads a request or response head from `socket`: resolves with its text and the bytes read past it,
 * rejects when the socket ends, fails or sends more than MAX_HEAD first. Reading stops (the socket
 * is paused) once the head is in.
 */
export function readHead(socket: net.Socket): Promise<{ head: string; rest: Uint8Array }> {
  return new Promise((resolve, reject) => {
    let buf = new Uint8Array(0);
    const done = (error?: Error, value?: { head: string; rest: Uint8Array }) => {
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("error", onEnd);
      socket.off("close", onEnd);
      socket.pause();
      if (error) reject(error);
      else resolve(value!);
    };
    const onData = (chunk: Uint8Array) => {
      const next = new Uint8Array(buf.length + chunk.length);
      next.set(buf);
      next.set(chunk, buf.length);
      buf = next;
      const end = headEnd(buf);
      if (end >= 0) {
        done(undefined, {
          head: new TextDecoder().decode(buf.subarray(0, end)),
          rest: buf.subarray(end + 4),
        });
      } else if (buf.length > MAX_HEAD) done(new Error("head too large"));
    };
    const onEnd = () => done(new Error("the connection ended before the end of the head"));
    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("error", onEnd);
    socket.once("close", onEnd);
    socket.resume();
  });
}

export async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

/** A head from the real proxy (read without a timeout: the caller bounds it). */
export async function readConnHead(conn: Deno.Conn): Promise<{ head: string; rest: Uint8Array }> {
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(2048);
  while (true) {
    const n = await conn.read(chunk);
    if (n === null) throw new Error("the proxy closed the connection before the end of its answer");
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
    const end = headEnd(buf);
    if (end >= 0) {
      return { head: new TextDecoder().decode(buf.subarray(0, end)), rest: buf.subarray(end + 4) };
    }
    if (buf.length > MAX_HEAD) throw new Error("the proxy's answer head is too large");
  }
}

/**
 * Copies bytes both ways between the client's TLS socket (node:tls) and the proxy (Deno.Conn), each
 * direction waiting for its writes (backpressure); an end on one side half-closes the other, an
 * error closes both.
 */
export function pipeBothWays(client: net.Socket, up: Deno.Conn): void {
  const fail = () => {
    client.destroy();
    try {
      up.close();
    } catch { /* closed */ }
  };
  client.on("data", (chunk: Uint8Array) => {
    client.pause();
    writeAll(up, chunk).then(() => client.resume(), fail);
  });
  client.once("end", () => up.closeWrite().catch(fail));
  void (async () => {
    const buf = new Uint8Array(32 * 1024);
    try {
      while (true) {
        const n = await up.read(buf);
        if (n === null) break;
        if (!client.write(buf.slice(0, n))) await new Promise((r) => client.once("drain", r));
      }
      client.end();
    } catch {
      fail();
    }
  })();
  client.resume();
}

export function normHost(h: string): string {
  return h.replace(/^\[|\]$/g, "").toLowerCase();
}

/** Parses "CONNECT host:port HTTP/1.1" into host and port; undefined for anything else. */
export function parseConnectLine(line: string): { host: string; port: number } | undefined {
  const m = line.match(/^CONNECT (\[[^\]]+\]|[^\s:]+):(\d{1,5}) HTTP\/1\.[01]$/);
  if (!m) return undefined;
  return { host: normHost(m[1]), port: Number(m[2]) };
}

/** The Proxy-Authorization value of a head, or undefined (RFC 9110 §5.1: names ignore case). */
export function proxyAuthorization(head: string): string | undefined {
  for (const line of head.split("\r\n").slice(1)) {
    const m = line.match(/^proxy-authorization:[ \t]*(.*?)[ \t]*$/i);
    if (m) return m[1];
  }
  return undefined;
}
