/**
 * Plain connections to upgrade for the TLS check: LDAP's StartTLS extended operation, and an HTTP
 * proxy's CONNECT tunnel. Each ends with a socket on which the TLS handshake starts next.
 */
import net from "node:net";

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

/**
 * The StartTLS request (RFC 4511 §4.14.1): LDAPMessage { messageID 1, ExtendedRequest
 * [APPLICATION 23] { requestName [0] "1.3.6.1.4.1.1466.20037" } }, BER-encoded (RFC 4511 §5.1).
 */
const START_TLS_OID = new TextEncoder().encode("1.3.6.1.4.1.1466.20037");
const START_TLS_REQUEST = new Uint8Array([
  0x30,
  0x1d,
  0x02,
  0x01,
  0x01,
  0x77,
  0x18,
  0x80,
  START_TLS_OID.length,
  ...START_TLS_OID,
]);

/** A BER length at `at`: [value, bytes it took], or undefined when not all there yet. */
function berLength(b: Uint8Array, at: number): [number, number] | undefined {
  if (at >= b.length) return undefined;
  if (b[at] < 0x80) return [b[at], 1];
  const n = b[at] & 0x7f;
  if (at + n >= b.length) return undefined;
  let v = 0;
  for (let i = 1; i <= n; i++) v = v * 256 + b[at + i];
  return [v, 1 + n];
}

/** The resultCode of an ExtendedResponse message, or undefined while incomplete. */
export function extendedResultCode(b: Uint8Array): number | undefined {
  const outer = berLength(b, 1);
  if (b[0] !== 0x30 || !outer || b.length < 1 + outer[1] + outer[0]) return undefined;
  let at = 1 + outer[1];
  const idLen = berLength(b, at + 1);
  if (!idLen) return undefined;
  at += 1 + idLen[1] + idLen[0]; // messageID
  if (b[at] !== 0x78) throw new Error("the server did not answer with an extended response");
  const opLen = berLength(b, at + 1)!;
  at += 1 + opLen[1];
  if (b[at] !== 0x0a) throw new Error("malformed extended response");
  const codeLen = berLength(b, at + 1)!;
  let code = 0;
  for (let i = 0; i < codeLen[0]; i++) code = code * 256 + b[at + 1 + codeLen[1] + i];
  return code;
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
