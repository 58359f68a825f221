/**
 * IP address literals: parsing to bytes and network membership. Pure. Used where a host is matched
 * against addresses or networks (NO_PROXY, trusted referral hosts).
 */

/** The address's bytes (4 for IPv4, 16 for IPv6), or undefined when `text` is not an IP literal. */
export function parseIp(text: string): Uint8Array | undefined {
  const t = text.replace(/^\[|\]$/g, "");
  const v4 = t.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.every((n, i) => n <= 255 && String(n) === v4[i + 1]) ? Uint8Array.from(parts) : undefined;
  }
  if (!t.includes(":") || !/^[0-9a-fA-F:.]+$/.test(t)) return undefined;
  let canonical: string;
  try {
    // The URL parser canonicalises an IPv6 literal (RFC 5952 form, embedded IPv4 as hex).
    canonical = new URL(`http://[${t}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head, tail] = canonical.includes("::") ? canonical.split("::") : [canonical, undefined];
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  });
  return bytes;
}

/** True when `addr` lies in the network `net`/`bits` (both the same family). */
export function inNetwork(addr: Uint8Array, net: Uint8Array, bits: number): boolean {
  if (addr.length !== net.length || bits < 0 || bits > addr.length * 8) return false;
  for (let i = 0; i < addr.length; i++) {
    const take = Math.max(0, Math.min(8, bits - 8 * i));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if ((addr[i] & mask) !== (net[i] & mask)) return false;
  }
  return true;
}

/** "a.b.c.d/n" or "v6/n" → the network; undefined when it is not one. */
export function parseCidr(text: string): { net: Uint8Array; bits: number } | undefined {
  const m = text.match(/^([^/]+)\/(\d{1,3})$/);
  if (!m) return undefined;
  const net = parseIp(m[1]);
  const bits = Number(m[2]);
  return net && bits <= net.length * 8 ? { net, bits } : undefined;
}
