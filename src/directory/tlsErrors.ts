/**
 * The LDAP messages for a refused TLS certificate, naming the real cause: expired or not yet valid
 * (with the date), a host name the certificate does not hold (with the names it holds), or an issuer
 * that is not trusted (→ ca_file). The cause comes from a diagnostic look at the certificate
 * (src/directory/peerCertificate.ts) when node:tls's code does not say it.
 */
import { DirectoryError } from "../errors.ts";
import { escapeText } from "../output/escape.ts";
import { CERT_FAILURE_CODES, type CertProblem, formatDate } from "../tls/certificate.ts";

/** What these messages need to know; values already shown-safe by the caller (errors.ts). */
export interface TlsErrorContext {
  /** "host:port" as shown. */
  at: string;
  host: string;
  caFile?: string;
  certificate?: CertProblem;
}

const q = escapeText;

/** The names a certificate is valid for: node:tls attaches the peer cert to ERR_TLS_CERT_ALTNAME_INVALID. */
function certNames(err: unknown, message: string): string | undefined {
  const cert = (err as { cert?: { subjectaltname?: unknown; subject?: { CN?: unknown } } })?.cert;
  if (typeof cert?.subjectaltname === "string" && cert.subjectaltname) return cert.subjectaltname;
  if (typeof cert?.subject?.CN === "string") return `CN=${cert.subject.CN}`;
  return /altnames:\s*(.*\S)\s*$/i.exec(message)?.[1];
}

function nameError(ctx: TlsErrorContext, names: string | undefined): DirectoryError {
  return new DirectoryError(
    `LDAP ${ctx.at}: the server's TLS certificate is not valid for the name "${ctx.host}"` +
      (names ? ` (the certificate is for: ${q(names)})` : "") +
      ". Set host in [ldap] to a name the certificate lists.",
  );
}

function untrusted(ctx: TlsErrorContext, code: string, issuer?: string): DirectoryError {
  const by = issuer ? ` It was issued by "${q(issuer)}", which` : " It";
  return new DirectoryError(
    `LDAP ${ctx.at}: the server's TLS certificate is not trusted (${code}).` +
      (ctx.caFile
        ? `${by} is not signed by a CA in ca_file "${ctx.caFile}" nor by one in the system store; ` +
          "put the CA that issued the LDAP server's certificate (and any intermediate) into ca_file."
        : `${
          issuer ? `${by} is not a CA this machine trusts.` : ""
        } Set ca_file in [ldap] to a PEM file with ` +
          "the CA that issued the LDAP server's certificate (or add that CA to the system trust store)."),
  );
}

/** The certificate's own problem, as found by the diagnostic look. */
function fromProblem(ctx: TlsErrorContext, code: string, p: CertProblem): DirectoryError {
  const whose = (subject?: string) =>
    subject ? `the certificate "${q(subject)}" in the server's TLS chain` : "the server's TLS certificate";
  switch (p.kind) {
    case "expired":
      return new DirectoryError(
        `LDAP ${ctx.at}: ${whose(p.subject)} expired${p.notAfter ? ` on ${formatDate(p.notAfter)}` : ""}. ` +
          "Renew it on the LDAP server (ca_file is not the problem; if the date looks wrong, check this " +
          "machine's clock).",
      );
    case "not-yet-valid":
      return new DirectoryError(
        `LDAP ${ctx.at}: ${whose(p.subject)} is not valid yet` +
          (p.notBefore ? ` (not before ${formatDate(p.notBefore)})` : "") +
          ". Check this machine's clock and the certificate's start date on the LDAP server.",
      );
    case "name":
      return nameError(ctx, p.names);
    case "untrusted":
      return untrusted(ctx, code, p.issuer);
  }
}

/** A DirectoryError for a TLS certificate failure, or undefined when `code` is not one. */
export function tlsError(
  code: string,
  message: string,
  ctx: TlsErrorContext,
  err: unknown,
): DirectoryError | undefined {
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return nameError(ctx, certNames(err, message));
  if (!CERT_FAILURE_CODES.has(code)) return undefined;
  if (ctx.certificate) return fromProblem(ctx, code, ctx.certificate);
  // No diagnostic look (the server went away): what the code alone says.
  if (code === "CERT_HAS_EXPIRED") return fromProblem(ctx, code, { kind: "expired" });
  if (code === "CERT_NOT_YET_VALID") return fromProblem(ctx, code, { kind: "not-yet-valid" });
  return untrusted(ctx, code);
}
