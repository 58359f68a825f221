/**
 * LDAP result codes (RFC 4511 §4.1.9 and Appendix A) → messages that say what to change, with the
 * server's own text quoted and the vendor's setting named (src/directory/vendor.ts).
 */
import { DirectoryError } from "../errors.ts";
import { type ErrorContext, phaseName, q, where } from "./errorContext.ts";
import { adviceFor } from "./vendor.ts";

const GLOBAL_CATALOG_HINT =
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

export function fromResultCode(code: number, message: string, ctx: ErrorContext): DirectoryError {
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
