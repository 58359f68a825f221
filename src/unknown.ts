/**
 * Reading values typed `unknown`: whatever a `catch` received (its message, the code a library
 * attached to it) and parsed JSON. Each reader accepts anything and never throws.
 */

/** The message of an Error; anything else as text. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A string `code`: Node's system and TLS errors (`ECONNREFUSED`, `CERT_HAS_EXPIRED`). */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** A numeric `code`: an LDAP result code, as ldapts's errors carry it (RFC 4511 §4.1.9). */
export function resultCode(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === "number" ? code : undefined;
}

/** A JSON object with keys, as opposed to null, an array or a scalar. */
export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
