/**
 * A diagnostic-only look at an LDAP server's certificate, after node:tls refused it: Deno's node:tls
 * gives the same code for an expired, a not-yet-valid and an unknown-CA certificate
 * (src/tls/certificate.ts), and an admin sent to fix ca_file for an expired certificate fixes the
 * wrong thing.
 *
 * So the certificates are read by the TLS probe (src/tls/probe.ts, verification off, no application
 * data): for LDAPS nothing is sent at all; for StartTLS only the StartTLS request (RFC 4511 §4.14.1),
 * which carries no credentials. No bind, no search, and nothing from it is ever used for the sync.
 */
import type { Socket } from "node:net";
import { type CertProblem, diagnoseChain, isCertificateFailure } from "../tls/certificate.ts";
import { probeCertificates } from "../tls/probe.ts";
import { connectTcp, startTls } from "../tls/tunnels.ts";

export interface PeerTarget {
  host: string;
  port: number;
  /** true: plain LDAP, then StartTLS; false: TLS from the first byte (LDAPS). */
  startTls: boolean;
  /** For the whole look: connection, StartTLS and handshake. */
  timeoutMs: number;
}

/** The certificates the server presents (leaf first, DER), or undefined when they cannot be read in time. */
export async function peerChain(target: PeerTarget): Promise<Uint8Array[] | undefined> {
  const deadline = Date.now() + target.timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  let socket: Socket | undefined;
  try {
    if (target.startTls) {
      socket = await connectTcp(target.host, target.port, left());
      await startTls(socket, left());
    }
    const peer = await probeCertificates({ host: target.host, port: target.port, socket, timeoutMs: left() });
    return peer.chain;
  } catch {
    socket?.destroy();
    return undefined;
  }
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
