/**
 * `referral_hosts` in [ldap]: the servers referrals may lead to besides the configured host's DNS domain
 * (src/directory/referralTrust.ts decides; docs/configuration.md, "Referrals"). Entries are names,
 * `*.domain` patterns (any name below a domain of two labels or more), IP addresses and networks
 * (`address/bits`). Pure.
 */
import { parseCidr, parseIp } from "../ipAddress.ts";

export type ReferralHostRule =
  | { kind: "name"; name: string }
  | { kind: "below"; domain: string }
  | { kind: "network"; net: Uint8Array; bits: number };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function normHost(host: string): string {
  return host.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
}

function isName(text: string): boolean {
  const labels = text.split(".");
  return text.length <= 253 && labels.every((l) => LABEL.test(l)) && !/^[0-9.]+$/.test(text);
}

/** One `referral_hosts` entry, or a problem (without quoting the entry: the caller names the key). */
export function parseReferralHost(entry: string): ReferralHostRule | { problem: string } {
  const text = normHost(entry.trim());
  if (text === "") return { problem: "an entry is empty" };
  const cidr = parseCidr(text);
  if (cidr) return { kind: "network", ...cidr };
  const ip = parseIp(text);
  if (ip) return { kind: "network", net: ip, bits: ip.length * 8 };
  if (text.startsWith("*.")) {
    const domain = text.slice(2);
    return isName(domain) && domain.includes(".")
      ? { kind: "below", domain }
      : { problem: "a *.domain pattern needs a domain of at least two labels after '*.'" };
  }
  if (isName(text)) return { kind: "name", name: text };
  return { problem: "it is not a host name, a *.domain pattern, an IP address or a network (address/bits)" };
}
