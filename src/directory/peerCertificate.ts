/**
 * A diagnostic-only look at an LDAP server's certificate, after node:tls refused it: Deno's node:tls
 * gives the same code for an expired, a not-yet-valid and an unknown-CA certificate
 * (src/tls/certificate.ts), and an admin sent to fix ca_file for an expired certificate fixes the
 * wrong thing.
 *
 * So a second connection is opened with verification off, ONLY to read the certificates the server
 * presents: for LDAPS nothing is sent at all; for StartTLS only the StartTLS request (RFC 4511
 * §4.14.1), which carries no credentials. No bind, no search; the socket is closed as soon as the
 * certificates are read, and nothing from it is ever used for the sync.
 */
import net from "node:net";
import tls from "node:tls";
import { extendedResultCode, START_TLS_REQUEST } from "./startTls.ts";
import { type CertProblem, diagnoseChain, isCertificateFailure } from "../tls/certificate.ts";

export interface PeerTarget {
  host: string;
  port: number;
  /** true: plain LDAP, then StartTLS; false: TLS from the first byte (LDAPS). */
  startTls: boolean;
  timeoutMs: number;
}

/** The chain (leaf first, DER) of a TLS socket that has finished its handshake. */
function chainOf(socket: tls.TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = [];
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
  for (let i = 0; cert?.raw && i < 10; i++) {
    chain.push(new Uint8Array(cert.raw));
    if (!cert.issuerCertificate || cert.issuerCertificate === cert) break;
    if (cert.issuerCertificate.fingerprint256 === cert.fingerprint256) break;
    cert = cert.issuerCertificate;
  }
  return chain;
}

/** The certificates the server presents, or undefined when it cannot be reached in time. */
export function peerChain(target: PeerTarget): Promise<Uint8Array[] | undefined> {
  return new Promise((resolve) => {
    const sockets: net.Socket[] = [];
    const done = (chain: Uint8Array[] | undefined) => {
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      resolve(chain);
    };
    const timer = setTimeout(() => done(undefined), target.timeoutMs);
    const servername = net.isIP(target.host) === 0 ? target.host : undefined;
    const handshake = (options: tls.ConnectionOptions) => {
      // Verification off: this connection only reads the certificate (see the module comment).
      const secure = tls.connect({ ...options, servername, rejectUnauthorized: false });
      sockets.push(secure);
      secure.once("secureConnect", () => done(chainOf(secure)));
      secure.once("error", () => done(undefined));
    };
    if (!target.startTls) {
      handshake({ host: target.host, port: target.port });
      return;
    }
    const plain = net.connect({ host: target.host, port: target.port });
    sockets.push(plain);
    let received = new Uint8Array(0);
    const onData = (chunk: Uint8Array) => {
      const all = new Uint8Array(received.length + chunk.length);
      all.set(received);
      all.set(chunk, received.length);
      received = all;
      let code: number | undefined;
      try {
        code = extendedResultCode(received);
      } catch {
        code = -1; // not a StartTLS answer: no look
      }
      if (code === undefined) return;
      plain.off("data", onData);
      if (code !== 0) return done(undefined);
      handshake({ socket: plain });
    };
    plain.on("data", onData);
    plain.once("connect", () => plain.write(START_TLS_REQUEST));
    plain.once("error", () => done(undefined));
  });
}

/**
 * For an error node:tls raised about the certificate: what is wrong with it, from a diagnostic look
 * (peerChain). Undefined for other errors, or when the look fails (the caller's message then stays
 * general).
 */
export async function certificateProblem(
  err: unknown,
  target: PeerTarget,
  now: Date = new Date(),
): Promise<CertProblem | undefined> {
  if (!isCertificateFailure(err)) return undefined;
  const chain = await peerChain(target);
  return chain ? diagnoseChain(chain, target.host, now) : undefined;
}
