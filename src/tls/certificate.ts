/**
 * Why a server's TLS certificate was refused, said precisely — one shape for LDAP (node:tls) and
 * LoginTC (fetch), and one switch on the cause (certificateSentences) for LDAP, HTTPS and --doctor,
 * so all three name the same causes the same way.
 *
 * Deno's node:tls reports an expired, a not-yet-valid and an unknown-CA certificate alike, as
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE (measured with Deno 2.9.6; tests/integration/tls/ldap_test.ts pins it),
 * so for LDAP and --doctor the certificates are read by the probe (./probe.ts) and diagnoseChain
 * decides. fetch (rustls) names the cause in its error text; problemFromFetchText reads it.
 */
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { escapeText } from "../output/escape.ts";
import { errorCode } from "../unknown.ts";

export type CertProblem =
  /** The server's certificate (or one in its chain: `subject`) expired. */
  | { kind: "expired"; notAfter?: Date; subject?: string }
  | { kind: "not-yet-valid"; notBefore?: Date; subject?: string }
  /** Valid, trusted maybe, but not for the name we connected to; `names` as the certificate lists them. */
  | { kind: "name"; host: string; names?: string }
  /** No trusted CA issued it (or the server does not send an intermediate). */
  | { kind: "untrusted"; issuer?: string; selfSigned?: boolean };

/** node:tls error codes of a certificate that failed verification (Node's X509 verify codes). */
export const CERT_FAILURE_CODES: ReadonlySet<string> = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
]);

/** True when `err` is node:tls refusing the peer's certificate (not the host name: that error says it). */
export function isCertificateFailure(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && CERT_FAILURE_CODES.has(code);
}

/**
 * The cause, from the certificates the server sent (leaf first, DER) and the name we connected to:
 * a date problem anywhere in the chain first (the certificate is unusable whoever issued it), then
 * the name, else the issuer is not trusted. Pure (`now` is passed in).
 */
export function diagnoseChain(
  chain: readonly Uint8Array[],
  host: string,
  now: Date,
): CertProblem | undefined {
  const certs = chain.map((der) => new X509Certificate(der));
  if (certs.length === 0) return undefined;
  for (const [i, c] of certs.entries()) {
    const subject = i === 0 ? undefined : c.subject.replaceAll("\n", ", ");
    const notBefore = new Date(c.validFrom);
    const notAfter = new Date(c.validTo);
    if (now < notBefore) return { kind: "not-yet-valid", notBefore, ...(subject ? { subject } : {}) };
    if (now > notAfter) return { kind: "expired", notAfter, ...(subject ? { subject } : {}) };
  }
  const leaf = certs[0];
  const matches = isIP(host) !== 0 ? leaf.checkIP(host) !== undefined : leaf.checkHost(host) !== undefined;
  if (!matches) {
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(leaf.subject)?.[1];
    return { kind: "name", host, names: leaf.subjectAltName ?? (cn !== undefined ? `CN=${cn}` : undefined) };
  }
  const top = certs[certs.length - 1];
  return {
    kind: "untrusted",
    issuer: top.issuer.replaceAll("\n", ", "),
    selfSigned: certs.length === 1 && leaf.issuer === leaf.subject,
  };
}

const unixDate = (s: string) => new Date(Number(s) * 1000);

/**
 * The cause from a fetch (rustls) error text, e.g. "invalid peer certificate: certificate expired:
 * verification time … (UNIX), but certificate is not valid after 1577923200 …", "certificate not
 * valid for name "x"; certificate is only valid for DnsName("a") or …", "UnknownIssuer" (texts of
 * Deno 2.9.6, pinned by tests/integration/tls/logintc_test.ts). Undefined when the text names none of them.
 */
export function problemFromFetchText(text: string, host: string): CertProblem | undefined {
  let m = /not valid after (\d+)/.exec(text);
  if (m || /\bExpired\b|certificate expired/.test(text)) {
    return m ? { kind: "expired", notAfter: unixDate(m[1]) } : { kind: "expired" };
  }
  m = /not valid before (\d+)/.exec(text);
  if (m || /NotValidYet|not valid yet/.test(text)) {
    return m ? { kind: "not-yet-valid", notBefore: unixDate(m[1]) } : { kind: "not-yet-valid" };
  }
  m = /not valid for name "([^"]*)"/.exec(text);
  if (m || /NotValidForName/.test(text)) {
    const listed = /only valid for (.*)$/m.exec(text)?.[1] ?? "";
    const items = [...listed.matchAll(/\b(DnsName|IpAddress)\("?([^")]*)"?\)/g)]
      .map(([, kind, v]) => `${kind === "DnsName" ? "DNS" : "IP"}:${v}`);
    const names = items.length > 0 ? items.join(", ") : listed.trim() || undefined;
    return { kind: "name", host: m?.[1] ?? host, ...(names ? { names } : {}) };
  }
  if (/UnknownIssuer|BadSignature|unknown ?ca/i.test(text)) return { kind: "untrusted" };
  return undefined;
}

/** "2020-01-02 00:00:00 UTC" */
export function formatDate(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

/**
 * What a service puts around a certificate problem: whose certificate it is, the request it was met
 * on, and what to change. A date or a name is not fixed by ca_file, so only `untrusted` points there.
 */
export interface CertificateWording {
  /** "LDAP host:636: the server's TLS certificate"; `subject` names a certificate up the chain. */
  whose(subject?: string): string;
  /** After the cause: e.g. " (GET /api/ping)", or "". */
  request: string;
  /** How the names the certificate holds are introduced: "the certificate is for", "it is for". */
  namesAre: string;
  /** What to do, per cause. */
  fix: { expired: string; notYetValid: string; name: string };
  /** Both parts for an issuer that is not trusted (they depend on ca_file and the error). */
  untrusted(issuer?: string): CertificateSentences;
}

/** A refused certificate said in two parts: what is wrong, and what to do about it. */
export interface CertificateSentences {
  what: string;
  fix: string;
}

/**
 * The one switch on a refused certificate's cause, for every service (LDAP, HTTPS, --doctor) with its
 * wording. Names from the certificate are shown escaped.
 */
export function certificateSentences(p: CertProblem, w: CertificateWording): CertificateSentences {
  switch (p.kind) {
    case "expired":
      return {
        what: `${w.whose(p.subject)} expired${p.notAfter ? ` on ${formatDate(p.notAfter)}` : ""}${w.request}`,
        fix: w.fix.expired,
      };
    case "not-yet-valid":
      return {
        what: `${w.whose(p.subject)} is not valid yet` +
          (p.notBefore ? ` (not before ${formatDate(p.notBefore)})` : "") + w.request,
        fix: w.fix.notYetValid,
      };
    case "name":
      return {
        what: `${w.whose()} is not valid for the name "${escapeText(p.host)}"` +
          (p.names ? ` (${w.namesAre}: ${escapeText(p.names)})` : "") + w.request,
        fix: w.fix.name,
      };
    case "untrusted":
      return w.untrusted(p.issuer);
  }
}

/** The refused certificate as one message (an error's): what is wrong, then what to do. */
export function certificateMessage(p: CertProblem, w: CertificateWording): string {
  const { what, fix } = certificateSentences(p, w);
  return `${what}. ${fix}`;
}
