/**
 * Which CAs the LDAP TLS connection trusts: the operating system's store, Deno's default roots (the
 * Mozilla bundle plus NODE_EXTRA_CA_CERTS), and the PEM certificates of `ca_file`.
 *
 * Why explicit: ldapts passes `ca` to node:tls, and an explicit `ca` REPLACES the default roots
 * (docs/development.md, "ldapts under Deno"). So we always build the full list ourselves;
 * otherwise adding a private CA would silently drop the public and system roots. Verification is never disabled.
 */
import tls from "node:tls";

type CaSource = "default" | "system";
type GetCaCertificates = (source: CaSource) => string[];

/** The PEM blocks of a file's text, in order (a ca_file may hold a chain or several CAs). */
export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function storeCertificates(source: CaSource): string[] {
  const get = (tls as unknown as { getCACertificates?: GetCaCertificates }).getCACertificates;
  if (typeof get !== "function") return source === "default" ? [...tls.rootCertificates] : [];
  try {
    return get(source);
  } catch {
    // No readable OS store (e.g. a minimal container): the other sources still apply.
    return [];
  }
}

/** The CA list for tls.connect: default + system roots + ca_file, deduplicated. */
export function trustedCas(caFilePems: readonly string[]): string[] {
  return [...new Set([...storeCertificates("default"), ...storeCertificates("system"), ...caFilePems])];
}
