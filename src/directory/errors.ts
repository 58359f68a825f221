/**
 * The one table that turns what ldapts / node:tls / the OS throw into DirectoryErrors an admin can act on.
 * Messages name host:port, base_dn, filter or ca_file as relevant; never the bind password, never a stack.
 * Here: LDAP result codes, refused certificates (by their cause, through src/tls/certificate.ts), the
 * OS's and the library's failures. Referrals that cannot be followed: ./referralErrors.ts.
 */
import { DirectoryError } from "../errors.ts";
import { escapeText } from "../output/escape.ts";
import {
  CERT_FAILURE_CODES,
  certificateMessage,
  type CertificateWording,
  type CertProblem,
} from "../tls/certificate.ts";
import type { Encryption } from "../types.ts";
import { errorCode, resultCode } from "../unknown.ts";
import { adviceFor, type Vendor } from "./vendor.ts";

export type Phase = "connect" | "starttls" | "rootdse" | "bind" | "search";

/** How a phase is named in messages. */
function phaseName(phase: Phase): string {
  return phase === "rootdse" ? "first request (reading the RootDSE)" : phase;
}

export interface ErrorContext {
  host: string;
  port: number;
  encryption: Encryption;
  phase: Phase;
  bindDn: string;
  baseDn: string;
  filter: string;
  caFile?: string;
  /** The server, when its RootDSE was read (src/directory/rootDse.ts): vendor-specific advice. */
  vendor?: Vendor;
  /** What a diagnostic look found wrong with a refused TLS certificate (src/directory/peerCertificate.ts). */
  certificate?: CertProblem;
  /** Entries per page of the paged search, named in size-limit advice. */
  pageSize?: number;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
}

/**
 * Values in these messages (the server's own text, certificate names, and the config's DNs)
 * are shown terminal-safe: a directory's diagnostic text is data like any entry's (src/output/escape.ts).
 */
const q = escapeText;

/** The context with its config values terminal-safe, taken once on entry to each builder. */
function shown(ctx: ErrorContext): ErrorContext {
  return {
    ...ctx,
    host: q(ctx.host),
    bindDn: q(ctx.bindDn),
    baseDn: q(ctx.baseDn),
    filter: q(ctx.filter),
    caFile: ctx.caFile === undefined ? undefined : q(ctx.caFile),
  };
}

function where(ctx: ErrorContext): string {
  return `${ctx.host}:${ctx.port}`;
}

/** Also the way out of a referral that cannot be followed (./referralErrors.ts). */
export const GLOBAL_CATALOG_HINT =
  "For Active Directory, the Global Catalog returns the whole forest without referrals: " +
  "host = <dc>:3268 (encryption none/startTLS) or <dc>:3269 (encryption ssl).";

/** Active Directory puts the real reason for a failed bind into "data NNN" (hex) of the diagnostic text. */
const AD_BIND_DATA: Record<string, string> = {
  "525": "user not found",
  "52e": "wrong password or unknown user",
  "530": "logon not permitted at this time",
  "531": "logon not permitted from this workstation",
  "532": "password expired",
  "533": "account disabled",
  "701": "account expired",
  "773": "user must change the password",
  "775": "account locked out",
};

/** The server's diagnostic text from an ldapts ResultCodeError message ("<text> Code: 0x31"). */
function diagnostic(message: string): string {
  return message.replace(/\s*Code: 0x[0-9a-f]+\s*$/i, "").trim();
}

function withDiagnostic(text: string, message: string): string {
  const d = diagnostic(message);
  return d ? `${text} Server said: ${q(d)}` : text;
}

/** " Server said: <its text>." (escaped), or "" when the server sent no text (OpenLDAP often does not). */
function said(message: string): string {
  const d = diagnostic(message);
  return d ? ` Server said: ${q(d)}${/[.!]$/.test(d) ? "" : "."}` : "";
}

/**
 * LDAP result codes (RFC 4511 §4.1.9 and Appendix A) → messages that say what to change, with the
 * server's own text quoted and the vendor's setting named (src/directory/vendor.ts).
 */
function fromResultCode(code: number, message: string, ctx: ErrorContext): DirectoryError {
  const at = where(ctx);
  // The vendor's settings, from the RootDSE read before the bind (src/directory/vendor.ts).
  const advice = adviceFor(ctx.vendor);
  switch (code) {
    case 49: {
      const data = /data ([0-9a-f]{3,4})/i.exec(message)?.[1]?.toLowerCase();
      const ad = data !== undefined
        ? ` Active Directory says: data ${data} = ${
          AD_BIND_DATA[data] ?? "see Microsoft's list of LDAP bind sub-codes"
        }.`
        : "";
      return new DirectoryError(
        `LDAP ${at}: bind as "${ctx.bindDn}" failed: invalid credentials (LDAP result 49).${ad} ` +
          "Check bind_dn and bind_password in [ldap].",
      );
    }
    case 8:
    case 13:
      return new DirectoryError(
        `LDAP ${at}: the server requires an encrypted connection (LDAP result ${code}, ` +
          `${
            code === 8 ? "strongAuthRequired" : "confidentialityRequired"
          }) but encryption = ${ctx.encryption}. ` +
          "Set encryption = ssl (LDAPS, usually port 636) or encryption = startTLS in [ldap].",
      );
    case 32:
      return new DirectoryError(
        `LDAP ${at}: base_dn "${ctx.baseDn}" does not exist (LDAP result 32, noSuchObject), or bind_dn ` +
          `"${ctx.bindDn}" may not see it. Check base_dn in [ldap].`,
      );
    case 34:
      return ctx.phase === "bind"
        ? new DirectoryError(
          `LDAP ${at}: bind_dn "${ctx.bindDn}" is not a valid DN (LDAP result 34, invalidDNSyntax).`,
        )
        : new DirectoryError(
          `LDAP ${at}: base_dn "${ctx.baseDn}" is not a valid DN (LDAP result 34, invalidDNSyntax).`,
        );
    case 4:
      return new DirectoryError(
        `LDAP ${at}: the server stopped the search of "${ctx.baseDn}" at its size limit for bind_dn ` +
          `"${ctx.bindDn}" (LDAP result 4, sizeLimitExceeded), although the search is paged. Nothing was synced.` +
          said(message) + " " + advice.sizeLimit({ bindDn: ctx.bindDn, pageSize: ctx.pageSize }),
      );
    case 10:
      // Reached with -i only (without it the referral is followed, src/directory/referrals.ts). The base
      // itself lives elsewhere: there are no entries to keep, so -i cannot apply (it would turn the read
      // into an empty one, which a later sync would take as "everyone was removed").
      return new DirectoryError(
        `LDAP ${at}: base_dn "${ctx.baseDn}" is not held by this server; it answered with a referral ` +
          "(LDAP result 10). Run without -i to follow it, point host at the server that holds base_dn, " +
          "or change base_dn. " + GLOBAL_CATALOG_HINT,
      );
    case 12:
      return new DirectoryError(
        `LDAP ${at}: the server rejected the Simple Paged Results control (LDAP result 12, ` +
          "unavailableCriticalExtension); paging (RFC 2696) is required to read large directories safely.",
      );
    case 50:
      return new DirectoryError(withDiagnostic(
        `LDAP ${at}: bind_dn "${ctx.bindDn}" may not ${
          ctx.phase === "bind" ? "bind" : `search "${ctx.baseDn}"`
        } ` +
          "(LDAP result 50, insufficientAccessRights). Grant it read access.",
        message,
      ));
    case 53: {
      // The config never has an empty bind_password (src/config/schema.ts), so the server's own
      // text is the reason; for a known "account inactivated/locked" text, say what to do about it.
      const locked = ctx.phase === "bind" && advice.lockedAccount?.text.test(diagnostic(message));
      const text =
        `LDAP ${at}: the server is unwilling to perform the ${phaseName(ctx.phase)} (LDAP result 53, ` +
        `unwillingToPerform)${ctx.phase === "bind" ? ` for bind_dn "${ctx.bindDn}"` : ""}.` + said(message);
      return new DirectoryError(
        locked
          ? `${text} ${advice.lockedAccount!.advice}`
          : ctx.phase === "bind"
          ? `${text} The account may be disabled or locked; check it on the server.`
          : text,
      );
    }
    case 3:
      return new DirectoryError(
        `LDAP ${at}: the server's time limit ended the search of "${ctx.baseDn}" (LDAP result 3, timeLimitExceeded).` +
          said(message) + " " + advice.timeLimit,
      );
    case 11:
      return new DirectoryError(
        `LDAP ${at}: an administrative limit was exceeded (LDAP result 11, adminLimitExceeded) while searching ` +
          `"${ctx.baseDn}".` + said(message) + " " + advice.adminLimit,
      );
    case 51:
    case 52:
      return new DirectoryError(
        `LDAP ${at}: the server is ${
          code === 51 ? "busy" : "unavailable"
        } (LDAP result ${code}); try again later.`,
      );
    default:
      return new DirectoryError(
        withDiagnostic(`LDAP ${at}: the ${phaseName(ctx.phase)} failed with LDAP result ${code}.`, message),
      );
  }
}

/** The names a certificate is valid for: node:tls attaches the peer cert to ERR_TLS_CERT_ALTNAME_INVALID. */
function certNames(err: unknown, message: string): string | undefined {
  const cert = (err as { cert?: { subjectaltname?: unknown; subject?: { CN?: unknown } } })?.cert;
  if (typeof cert?.subjectaltname === "string" && cert.subjectaltname) return cert.subjectaltname;
  if (typeof cert?.subject?.CN === "string") return `CN=${cert.subject.CN}`;
  return /altnames:\s*(.*\S)\s*$/i.exec(message)?.[1];
}

/**
 * A refused certificate, by its cause: from the diagnostic look (ctx.certificate,
 * src/directory/peerCertificate.ts) when node:tls's code does not say it. `host` is the configured
 * name, unescaped (the message escapes it); undefined when `code` is no certificate failure.
 */
function tlsError(
  code: string,
  message: string,
  ctx: ErrorContext,
  host: string,
  err: unknown,
): DirectoryError | undefined {
  const at = where(ctx);
  const wording: CertificateWording = {
    whose: (subject?: string) =>
      `LDAP ${at}: ${
        subject ? `the certificate "${q(subject)}" in the server's TLS chain` : "the server's TLS certificate"
      }`,
    request: "",
    namesAre: "the certificate is for",
    fix: {
      expired: "Renew it on the LDAP server (ca_file is not the problem; if the date looks wrong, check " +
        "this machine's clock).",
      notYetValid: "Check this machine's clock and the certificate's start date on the LDAP server.",
      name: "Set host in [ldap] to a name the certificate lists.",
    },
    untrusted: (issuer?: string) => {
      const by = issuer ? `It was issued by "${q(issuer)}", which` : "It";
      return {
        what: `LDAP ${at}: the server's TLS certificate is not trusted (${code})`,
        fix: ctx.caFile
          ? `${by} is not signed by a CA in ca_file "${ctx.caFile}" nor by one in the system store; ` +
            "put the CA that issued the LDAP server's certificate (and any intermediate) into ca_file."
          : `${
            issuer ? `${by} is not a CA this machine trusts. ` : ""
          }Set ca_file in [ldap] to a PEM file with ` +
            "the CA that issued the LDAP server's certificate (or add that CA to the system trust store).",
      };
    },
  };
  const say = (p: CertProblem) => new DirectoryError(certificateMessage(p, wording));
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return say({ kind: "name", host, names: certNames(err, message) });
  }
  if (!CERT_FAILURE_CODES.has(code)) return undefined;
  const p = ctx.certificate;
  if (p) return say(p.kind === "name" ? { ...p, host } : p);
  // No diagnostic look (the server went away): what the code alone says.
  if (code === "CERT_HAS_EXPIRED") return say({ kind: "expired" });
  if (code === "CERT_NOT_YET_VALID") return say({ kind: "not-yet-valid" });
  return say({ kind: "untrusted" });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function firstLine(s: string): string {
  return s.split("\n")[0].trim();
}

function fromSystemError(
  code: string,
  message: string,
  ctx: ErrorContext,
  host: string,
  err: unknown,
): DirectoryError | undefined {
  const at = where(ctx);
  const tls = tlsError(code, message, ctx, host, err);
  if (tls) return tls;
  switch (code) {
    case "ECONNREFUSED":
      return new DirectoryError(
        `LDAP ${at}: connection refused. Is the LDAP server running and is the port right ` +
          "(389 for none/startTLS, 636 for ssl)?",
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return new DirectoryError(
        `LDAP ${at}: host "${ctx.host}" could not be resolved (${code}). Check host in [ldap].`,
      );
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new DirectoryError(
        `LDAP ${at}: host unreachable (${code}). Check host and the network/firewall.`,
      );
    case "ETIMEDOUT":
      return new DirectoryError(
        `LDAP ${at}: the connection timed out (${code}). Check host, port and firewall.`,
      );
    case "ECONNRESET":
    case "EPIPE":
      return new DirectoryError(
        `LDAP ${at}: the server closed the connection (${code}) during ${phaseName(ctx.phase)}. ` +
          "Check that encryption matches the port (ssl ↔ 636, none/startTLS ↔ 389).",
      );
  }
  return undefined;
}

/** Any error thrown while reading → a DirectoryError with an actionable message. */
export function translateLdapError(err: unknown, context: ErrorContext): DirectoryError {
  if (err instanceof DirectoryError) return err;
  const ctx = shown(context);
  const e = err as { message?: unknown; name?: unknown };
  const message = typeof e?.message === "string" ? e.message : String(err);
  const result = resultCode(err);
  if (result !== undefined) return fromResultCode(result, message, ctx);
  const system = errorCode(err);
  if (system !== undefined) {
    const known = fromSystemError(system, message, ctx, context.host, err);
    if (known) return known;
  }
  const at = where(ctx);
  if (/^Connection timeout$/.test(message) || /TLS handshake timed out/.test(message)) {
    return new DirectoryError(
      `LDAP ${at}: no ${ctx.phase === "starttls" ? "StartTLS handshake" : "connection"} within ` +
        `${seconds(ctx.connectTimeoutMs)} (connect timeout). Check host, port and firewall.`,
    );
  }
  if (/Operation timed out/.test(message)) {
    return new DirectoryError(
      `LDAP ${at}: the server did not answer the ${phaseName(ctx.phase)} within ${
        seconds(ctx.operationTimeoutMs)
      } ` +
        "(operation timeout). Is this an LDAP port, and is the server healthy?",
    );
  }
  if (/Connection closed before message response|Socket error/.test(message)) {
    return new DirectoryError(
      `LDAP ${at}: the server closed the connection during ${phaseName(ctx.phase)}. ` +
        "Check that encryption matches the port (ssl ↔ 636, none/startTLS ↔ 389).",
    );
  }
  const name = typeof e?.name === "string" ? e.name : "Error";
  const code = system !== undefined ? ` ${system}` : "";
  return new DirectoryError(
    `LDAP ${at}: the ${phaseName(ctx.phase)} failed: ${q(name)}${q(code)}: ${q(firstLine(message))}`,
  );
}
