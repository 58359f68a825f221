/**
 * Plain connections for the certificate probe (./probe.ts) to upgrade: TCP, LDAP's StartTLS extended
 * operation, and an HTTP proxy's CONNECT tunnel. Each ends with a socket on which the TLS handshake
 * starts next. Used by --doctor and by the directory's look at a refused certificate.
 */
import net from "node:net";
import { extendedResultCode, START_TLS_REQUEST } from "./startTls.ts";

/** Connects, resolving with the open socket (the TCP check). */
export function connectTcp(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TCP connection within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Reads from the socket until `done(bytes)` says the answer is complete; then detaches. */
function readUntil(
  socket: net.Socket,
  done: (b: Uint8Array) => boolean,
  timeoutMs: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let buf = new Uint8Array(0);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", finish);
      socket.off("close", onClose);
      if (error) reject(error);
      else resolve(buf);
    };
    const onData = (chunk: Uint8Array) => {
      const next = new Uint8Array(buf.length + chunk.length);
      next.set(buf);
      next.set(chunk, buf.length);
      buf = next;
      if (done(buf)) finish();
    };
    const onClose = () => finish(new Error("the server closed the connection"));
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    socket.on("data", onData);
    socket.once("error", finish);
    socket.once("close", onClose);
  });
}

/** Sends StartTLS on an open LDAP connection; resolves when the server agreed (result 0). */
export async function startTls(socket: net.Socket, timeoutMs: number): Promise<void> {
  socket.write(START_TLS_REQUEST);
  const answer = await readUntil(socket, (b) => {
    try {
      return extendedResultCode(b) !== undefined;
    } catch {
      return true;
    }
  }, timeoutMs);
  const code = extendedResultCode(answer);
  if (code !== 0) throw new Error(`the server refused StartTLS (LDAP result ${code})`);
}

/**
 * Opens a CONNECT tunnel to host:port through an HTTP proxy (RFC 9110 §9.3.6) on `socket`.
 * Resolves with the proxy's status line when it is 2xx; rejects with it otherwise.
 */
export async function connectTunnel(
  socket: net.Socket,
  target: { host: string; port: number },
  authorization: string | undefined,
  timeoutMs: number,
): Promise<string> {
  const authority = `${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
  socket.write(
    `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n` +
      (authorization ? `Proxy-Authorization: ${authorization}\r\n` : "") + "\r\n",
  );
  const head = await readUntil(socket, (b) => new TextDecoder().decode(b).includes("\r\n\r\n"), timeoutMs);
  const status = new TextDecoder().decode(head).split("\r\n")[0];
  if (!/^HTTP\/1\.[01] 2\d\d/.test(status)) throw new Error(`the proxy answered "${status}"`);
  return status;
}
