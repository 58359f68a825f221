/**
 * LDAP's StartTLS extended operation on the wire, for the connections that speak it without ldapts:
 * the certificate probe's (./tunnels.ts startTls), for --doctor and the look at a refused certificate.
 */

/**
 * The StartTLS request (RFC 4511 §4.14.1): LDAPMessage { messageID 1, ExtendedRequest
 * [APPLICATION 23] { requestName [0] "1.3.6.1.4.1.1466.20037" } }, BER-encoded (RFC 4511 §5.1).
 * Constant, and carries no credentials.
 */
const START_TLS_OID = new TextEncoder().encode("1.3.6.1.4.1.1466.20037");
export const START_TLS_REQUEST = new Uint8Array([
  0x30,
  0x1d,
  0x02,
  0x01,
  0x01,
  0x77,
  0x18,
  0x80,
  START_TLS_OID.length,
  ...START_TLS_OID,
]);

/** A BER length at `at`: [value, bytes it took], or undefined when not all there yet. */
function berLength(b: Uint8Array, at: number): [number, number] | undefined {
  if (at >= b.length) return undefined;
  if (b[at] < 0x80) return [b[at], 1];
  const n = b[at] & 0x7f;
  if (at + n >= b.length) return undefined;
  let v = 0;
  for (let i = 1; i <= n; i++) v = v * 256 + b[at + i];
  return [v, 1 + n];
}

/**
 * The resultCode of an ExtendedResponse message (RFC 4511 §4.12), or undefined while incomplete;
 * throws when the complete message is not one.
 */
export function extendedResultCode(b: Uint8Array): number | undefined {
  const outer = berLength(b, 1);
  if (b[0] !== 0x30 || !outer || b.length < 1 + outer[1] + outer[0]) return undefined;
  let at = 1 + outer[1];
  const idLen = berLength(b, at + 1);
  if (!idLen) return undefined;
  at += 1 + idLen[1] + idLen[0]; // messageID
  if (b[at] !== 0x78) throw new Error("the server did not answer with an extended response");
  const opLen = berLength(b, at + 1);
  if (!opLen) throw new Error("malformed extended response");
  at += 1 + opLen[1];
  if (b[at] !== 0x0a) throw new Error("malformed extended response");
  const codeLen = berLength(b, at + 1);
  if (!codeLen) throw new Error("malformed extended response");
  let code = 0;
  for (let i = 0; i < codeLen[0]; i++) code = code * 256 + b[at + 1 + codeLen[1] + i];
  return code;
}
