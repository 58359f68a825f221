/**
 * The relay's TLS identity for one run: a fresh P-256 key and a self-signed certificate for
 * 127.0.0.1, made in memory when the relay starts and never written anywhere. Our HTTP client
 * trusts exactly this certificate for the relay, so the relay's per-run secret travels inside TLS
 * (./proxyRelay.ts says why it must).
 *
 * The certificate is X.509 v3 (RFC 5280), DER-encoded here (ITU-T X.690): subject and issuer
 * CN=logintc-sync relay, subjectAltName IP 127.0.0.1, basicConstraints CA:FALSE, signed with
 * ecdsa-with-SHA256 (RFC 5758 §3.2). node:crypto makes the key and signature synchronously, so
 * the client can be set up without waiting.
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";

export interface RelayIdentity {
  certPem: string;
  keyPem: string;
}

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(content);
  return concat([Uint8Array.from([tag, ...length(body.length)]), body]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);

function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

/** A positive INTEGER from big-endian bytes (a leading zero when the top bit is set). */
function integer(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return tlv(0x02, b[0] & 0x80 ? concat([Uint8Array.of(0), b]) : b);
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(d: Date): Uint8Array {
  const iso = d.toISOString().replace(/[-:T]/g, "").replace(/\.\d{3}Z$/, "Z"); // YYYYMMDDHHMMSSZ
  const utc = d.getUTCFullYear() < 2050;
  return tlv(utc ? 0x17 : 0x18, new TextEncoder().encode(utc ? iso.slice(2) : iso));
}

const NAME = seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, new TextEncoder().encode("logintc-sync relay")))));
const ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

function pem(label: string, der: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...der)).replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

/** A new key and certificate, valid from a day before `now` to a year after. */
export function makeRelayIdentity(now: Date): RelayIdentity {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  const day = 86_400_000;
  const extensions = tlv(
    0xa3,
    seq(
      // basicConstraints, critical, CA:FALSE (an empty SEQUENCE).
      seq(oid("2.5.29.19"), tlv(0x01, Uint8Array.of(0xff)), tlv(0x04, seq())),
      // subjectAltName: iPAddress [7] 127.0.0.1.
      seq(oid("2.5.29.17"), tlv(0x04, seq(tlv(0x87, Uint8Array.of(127, 0, 0, 1))))),
    ),
  );
  const tbs = seq(
    tlv(0xa0, integer(Uint8Array.of(2))), // v3
    integer(concat([Uint8Array.of(0x40), new Uint8Array(randomBytes(15))])),
    ECDSA_SHA256,
    NAME,
    seq(time(new Date(now.getTime() - day)), time(new Date(now.getTime() + 365 * day))),
    NAME,
    spki,
    extensions,
  );
  // DER-encoded ECDSA-Sig-Value, as X.509 wants it (node's default dsaEncoding).
  const signature = new Uint8Array(sign("sha256", tbs, privateKey));
  const cert = seq(tbs, ECDSA_SHA256, tlv(0x03, concat([Uint8Array.of(0), signature])));
  return {
    certPem: pem("CERTIFICATE", cert),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  };
}
