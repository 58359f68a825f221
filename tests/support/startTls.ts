/**
 * A server's answer to StartTLS, as bytes: LDAPMessage { messageID 1, ExtendedResponse
 * [APPLICATION 24] { resultCode, matchedDN "", diagnosticMessage "" } } (RFC 4511 §4.12, §4.14.2).
 * `longLength`: the outer length in BER's long form (0x81 0x0c), which a server may send too.
 */
export function startTlsAnswer(resultCode: number, longLength = false): Uint8Array {
  const outer = longLength ? [0x81, 0x0c] : [0x0c];
  const messageId = [0x02, 0x01, 0x01];
  const response = [0x78, 0x07, 0x0a, 0x01, resultCode, 0x04, 0x00, 0x04, 0x00];
  return new Uint8Array([0x30, ...outer, ...messageId, ...response]);
}
