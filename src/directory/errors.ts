/**
 * The one table that turns what ldapts / node:tls / the OS throw into DirectoryErrors an admin can act on.
 * Messages name host:port, base_dn, filter or ca_file as relevant; never the bind password, never a stack.
 * LDAP result codes are worded in resultErrors.ts, refused certificates in tlsErrors.ts; the OS and
 * library failures here.
 */
import { DirectoryError } from "../errors.ts";
import { errorCode, resultCode } from "../unknown.ts";
import { type ErrorContext, phaseName, q, shown, where } from "./errorContext.ts";
import { fromResultCode } from "./resultErrors.ts";
import { tlsError } from "./tlsErrors.ts";

export type { ErrorContext, Phase } from "./errorContext.ts";

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
  err: unknown,
): DirectoryError | undefined {
  const at = where(ctx);
  const tls = tlsError(code, message, {
    at,
    host: ctx.host,
    caFile: ctx.caFile,
    certificate: ctx.certificate,
  }, err);
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
    const known = fromSystemError(system, message, ctx, err);
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
