/**
 * The TLS link as an admin needs to see it: does the chain verify against what we trust, does the
 * certificate name the host we connect to, and how many days until it expires. One handshake
 * with verification deferred (rejectUnauthorized false, on a connection that carries no data and
 * is closed at once), so all three are reported even when the first fails. The sync's binds,
 * searches and API calls always verify; its only unverified connection is the same kind of
 * certificate-only read, after a refusal, to word the error (src/directory/peerCertificate.ts).
 */
import { isIP, type Socket } from "node:net";
import tls from "node:tls";
import type { DoctorCheck } from "../report/report.ts";
import { fail, ok, warn } from "./doctorCheck.ts";

/** Below this many days a certificate gets a warning: enough time to renew it calmly. */
export const EXPIRY_WARN_DAYS = 30;

export interface TlsFacts {
  /** Null when the chain verifies; else OpenSSL's reason code, e.g. SELF_SIGNED_CERT_IN_CHAIN. */
  chainError: string | null;
  /** Null when the certificate names the host; else why not. */
  nameError: string | null;
  subject: string;
  issuer: string;
  validTo: Date;
  protocol: string | null;
}

export interface TlsTarget {
  host: string;
  port: number;
  /** The CAs to trust (src/tls/trust.ts trustedCas). */
  ca: string[];
  /** An open plain connection to upgrade (after StartTLS or an HTTP CONNECT). */
  socket?: Socket;
  timeoutMs: number;
}

export function probeTls(target: TlsTarget): Promise<TlsFacts> {
  return new Promise((resolve, reject) => {
    const options: tls.ConnectionOptions = {
      ca: target.ca,
      rejectUnauthorized: false,
      // SNI must not be an IP address (RFC 6066 §3).
      ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...(target.socket ? { socket: target.socket } : { host: target.host, port: target.port }),
    };
    const socket = tls.connect(options, () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      const nameError = tls.checkServerIdentity(target.host, cert);
      resolve({
        chainError: socket.authorized ? null : String(socket.authorizationError ?? "not trusted"),
        nameError: nameError ? nameError.message : null,
        subject: dn(cert.subject),
        issuer: dn(cert.issuer),
        validTo: new Date(cert.valid_to),
        protocol: socket.getProtocol?.() ?? null,
      });
      socket.destroy();
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TLS handshake within ${target.timeoutMs / 1000} s`));
    }, target.timeoutMs);
    socket.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function dn(name: object | undefined): string {
  return Object.entries(name ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`).join(", ");
}

/**
 * The check line for the facts: FAIL for an untrusted chain, a wrong name or an expired
 * certificate (the sync would refuse each), warn under EXPIRY_WARN_DAYS. Pure: `now` is passed.
 */
export function tlsCheck(id: string, facts: TlsFacts, now: Date, caKey: string): DoctorCheck {
  const days = Math.floor((facts.validTo.getTime() - now.getTime()) / 86_400_000);
  const what = `${
    facts.protocol ? `${facts.protocol}, ` : ""
  }certificate ${facts.subject} from ${facts.issuer}`;
  if (facts.chainError !== null) {
    return fail(
      id,
      `${what}: the chain does not verify (${facts.chainError})`,
      `if the server uses a private CA, put that CA's certificate (PEM) in ${caKey}; otherwise the server ` +
        "must send its full chain",
    );
  }
  if (facts.nameError !== null) {
    return fail(
      id,
      `${what}: ${facts.nameError}`,
      "use the host name the certificate names in the config's host, or have the certificate reissued " +
        "with this name in its subjectAltName",
    );
  }
  if (Number.isNaN(days)) return warn(id, `${what}: no expiry date`, "check the certificate");
  if (days < 0) {
    return fail(id, `${what}: expired ${facts.validTo.toISOString()}`, "renew the server's certificate");
  }
  if (days < EXPIRY_WARN_DAYS) {
    return warn(
      id,
      `${what}: expires in ${days} day(s) (${facts.validTo.toISOString()})`,
      "renew the server's certificate before it expires; the sync stops the day it does",
    );
  }
  return ok(id, `${what}: trusted, name matches, expires in ${days} day(s)`);
}
