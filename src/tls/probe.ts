/**
 * The one TLS handshake made with verification off, and why that is safe: it only reads the
 * certificates a server presents, so that a refusal can be said by its cause (./certificate.ts
 * diagnoseChain) — Deno's node:tls gives an expired, a not-yet-valid and an unknown-CA certificate the
 * same code, and an admin sent to fix ca_file for an expired certificate fixes the wrong thing.
 *
 * Two callers: --doctor's TLS checks (src/doctor/tls.ts), and the directory's look after node:tls
 * refused a certificate (src/directory/peerCertificate.ts). The connection carries no application
 * data — not a byte is written on it after the handshake — and is closed as soon as the certificates
 * are read; nothing from it is used for the sync, whose binds, searches and API calls always verify.
 */
import { isIP, type Socket } from "node:net";
import tls from "node:tls";

export interface ProbeTarget {
  host: string;
  port: number;
  /** The CAs to verify against, for `chainError` (src/tls/trust.ts trustedCas); Deno's roots if absent. */
  ca?: string[];
  /** An open plain connection to upgrade (after StartTLS or an HTTP CONNECT); closed with the probe. */
  socket?: Socket;
  timeoutMs: number;
}

export interface PeerCertificates {
  /** What the server sent, leaf first (DER); never empty. */
  chain: Uint8Array[];
  /** Null when the chain verifies against `ca`; else node:tls's reason code, e.g. SELF_SIGNED_CERT_IN_CHAIN. */
  chainError: string | null;
  /** The TLS version agreed, e.g. "TLSv1.3". */
  protocol: string | null;
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

/** Handshakes, reads the certificates, closes. Rejects when there is no handshake within the timeout. */
export function probeCertificates(target: ProbeTarget): Promise<PeerCertificates> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({
      ...(target.ca ? { ca: target.ca } : {}),
      // Verification off: this connection only reads the certificates (see the module comment).
      rejectUnauthorized: false,
      // SNI must not be an IP address (RFC 6066 §3).
      ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...(target.socket ? { socket: target.socket } : { host: target.host, port: target.port }),
    });
    const close = () => {
      clearTimeout(timer);
      secure.destroy();
      target.socket?.destroy();
    };
    const timer = setTimeout(() => {
      close();
      reject(new Error(`no TLS handshake within ${target.timeoutMs / 1000} s`));
    }, target.timeoutMs);
    secure.once("secureConnect", () => {
      const chain = chainOf(secure);
      const chainError = secure.authorized ? null : String(secure.authorizationError ?? "not trusted");
      const protocol = secure.getProtocol?.() ?? null;
      close();
      if (chain.length === 0) reject(new Error("the server sent no certificate"));
      else resolve({ chain, chainError, protocol });
    });
    secure.once("error", (e) => {
      close();
      reject(e);
    });
  });
}
