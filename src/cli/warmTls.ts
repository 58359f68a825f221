/**
 * Deno's native TLS stack sets itself up the first time a process needs it: about 30 ms of CPU on
 * the first handshake, the same through node:tls (LDAPS, StartTLS) as through fetch (LoginTC), and
 * none on the second (docs/development.md, "The LDAPS start"). A WebCrypto P-256 key generation
 * triggers the same set-up and runs on a background thread, so started early it is done while the
 * main thread loads the LDAP and HTTP modules and reads the config. Nothing waits for it; a failure
 * only means the first handshake pays as before.
 */
export function warmTls(): Promise<void> {
  return crypto.subtle
    .generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"])
    .then(() => {}, () => {});
}
