/**
 * The TLS link as an admin needs to see it: does the certificate pass — chain, name, dates — and
 * how many days until it expires. The certificates come from the TLS probe (src/tls/probe.ts: one
 * handshake with verification deferred, no data, closed at once), so the cause of a refusal is named
 * even where the sync's verified handshake would only fail; it is worded by the switch the sync's
 * own LDAP and HTTPS errors use (src/tls/certificate.ts certificateSentences).
 */
import { X509Certificate } from "node:crypto";
import {
  certificateSentences,
  type CertificateWording,
  type CertProblem,
  diagnoseChain,
  formatDate,
} from "../tls/certificate.ts";
import type { PeerCertificates } from "../tls/probe.ts";
import { escapeText } from "../output/escape.ts";
import type { DoctorCheck } from "../report/report.ts";
import { fail, ok, warn } from "./doctorCheck.ts";

/** Below this many days a certificate gets a warning: enough time to renew it calmly. */
export const EXPIRY_WARN_DAYS = 30;

/** What the checklist line says about the certificate the server sent. */
export interface TlsFacts {
  /** What the sync would refuse it for; undefined when it passes. */
  problem: CertProblem | undefined;
  /** Null when the chain verifies against the CAs given; else node:tls's reason code. */
  chainError: string | null;
  /** The leaf's subject and issuer, as "CN=…, O=…". */
  subject: string;
  issuer: string;
  validTo: Date;
  protocol: string | null;
}

const dn = (name: string) => name.replaceAll("\n", ", ");

/**
 * The facts of the probed certificates for `host` at `now`. diagnoseChain names a date or name
 * problem from the certificates themselves and "untrusted" by elimination; the handshake's own
 * verdict (chainError) says whether the chain is in fact untrusted. Pure.
 */
export function tlsFacts(peer: PeerCertificates, host: string, now: Date): TlsFacts {
  const leaf = new X509Certificate(peer.chain[0]);
  const found = diagnoseChain(peer.chain, host, now);
  return {
    problem: found?.kind === "untrusted" && peer.chainError === null ? undefined : found,
    chainError: peer.chainError,
    subject: dn(leaf.subject),
    issuer: dn(leaf.issuer),
    validTo: new Date(leaf.validTo),
    protocol: peer.protocol,
  };
}

/** --doctor's wording for the switch: the line names the certificate; the fix is its own line. */
function doctorWording(facts: TlsFacts, what: string, caKey: string): CertificateWording {
  return {
    whose: (subject?: string) =>
      subject ? `${what}: the certificate ${escapeText(subject)} in its chain` : what,
    request: "",
    namesAre: "it is for",
    fix: {
      expired: "renew the server's certificate (ca_file is not the problem; if the date looks wrong, " +
        "check this machine's clock)",
      notYetValid: "check this machine's clock, and the certificate's start date on the server",
      name:
        "use the host name the certificate names in the config's host, or have the certificate reissued " +
        "with this name in its subjectAltName",
    },
    untrusted: (issuer?: string) => ({
      what: `${what} is not trusted${facts.chainError ? ` (${facts.chainError})` : ""}` +
        (issuer && issuer !== facts.issuer ? `: its chain ends with one from ${escapeText(issuer)}` : ""),
      fix: `if the server uses a private CA, put that CA's certificate (PEM) in ${caKey}; otherwise the ` +
        "server must send its full chain",
    }),
  };
}

/**
 * The check line for the facts: FAIL for what the sync would refuse (worded by the shared switch),
 * warn under EXPIRY_WARN_DAYS, else ok. Pure: `now` is passed.
 */
export function tlsCheck(id: string, facts: TlsFacts, now: Date, caKey: string): DoctorCheck {
  const what = `${facts.protocol ? `${facts.protocol}, ` : ""}certificate ${escapeText(facts.subject)} from ${
    escapeText(facts.issuer)
  }`;
  if (facts.problem) {
    const s = certificateSentences(facts.problem, doctorWording(facts, what, caKey));
    return fail(id, s.what, s.fix);
  }
  const days = Math.floor((facts.validTo.getTime() - now.getTime()) / 86_400_000);
  if (Number.isNaN(days)) return warn(id, `${what}: no expiry date`, "check the certificate");
  if (days < EXPIRY_WARN_DAYS) {
    return warn(
      id,
      `${what}: expires in ${days} day(s) (${formatDate(facts.validTo)})`,
      "renew the server's certificate before it expires; the sync stops the day it does",
    );
  }
  return ok(id, `${what}: trusted, name matches, expires in ${days} day(s)`);
}
