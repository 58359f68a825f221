/**
 * Which hosts a referral may send the bind credentials to. A referral names any server its author likes
 * (whoever may create a referral object, e.g. a delegated OU administrator in Active Directory), and
 * following it means binding there with bind_dn and bind_password: so a referral is followed only to a
 * host the administrator trusts (docs/configuration.md, "Referrals"). Pure: names and addresses are
 * compared as written, no lookups are made.
 *
 * Trusted:
 * - the configured host itself;
 * - a name configured: every name in its DNS domain, defined as the host minus its first label
 *   (`dc1.corp.example.com` → `corp.example.com`: `dc2.emea.corp.example.com` is in it,
 *   `ldap.other.example` is not), when that domain has at least two labels (`ldap.example` trusts no
 *   other name: `example` would be a whole top-level domain);
 * - an IP address configured: the addresses of the same /24 (IPv4) or /64 (IPv6);
 * - whatever `referral_hosts` in [ldap] lists: names, `*.domain` patterns (any name below the domain),
 *   IP addresses and networks (`address/bits`).
 */
import { inNetwork, parseCidr, parseIp } from "../ipAddress.ts";

export type ReferralHostRule =
  | { kind: "name"; name: string }
  | { kind: "below"; domain: string }
  | { kind: "network"; net: Uint8Array; bits: number };

export interface ReferralTrust {
  /** True when the bind credentials may go to `host` (a name or an IP address, as the URL gives it). */
  allows(host: string): boolean;
  /** What is trusted, for messages: "the DNS domain corp.example.com of host in [ldap]" & co. */
  describe: string;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function normName(host: string): string {
  return host.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
}

function isName(text: string): boolean {
  const labels = text.split(".");
  return text.length <= 253 && labels.every((l) => LABEL.test(l)) && !/^[0-9.]+$/.test(text);
}

/** One `referral_hosts` entry, or a problem (without quoting the entry: the caller names the key). */
export function parseReferralHost(entry: string): ReferralHostRule | { problem: string } {
  const text = normName(entry.trim());
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

function matches(rule: ReferralHostRule, name: string, address: Uint8Array | undefined): boolean {
  switch (rule.kind) {
    case "name":
      return !address && name === rule.name;
    case "below":
      return !address && name.endsWith(`.${rule.domain}`);
    case "network":
      return !!address && inNetwork(address, rule.net, rule.bits);
  }
}

/** The DNS domain of a configured host name (it minus its first label), if it has two labels or more. */
export function dnsDomainOf(host: string): string | undefined {
  const labels = normName(host).split(".");
  return labels.length >= 3 ? labels.slice(1).join(".") : undefined;
}

/** `listed`: the referral_hosts entries, as the config checked them (parseReferralHost). */
export function referralTrust(configuredHost: string, listed: readonly string[]): ReferralTrust {
  const own = normName(configuredHost);
  const ownAddress = parseIp(own);
  const rules: ReferralHostRule[] = [];
  let describe: string;
  if (ownAddress) {
    const bits = ownAddress.length === 4 ? 24 : 64;
    rules.push({ kind: "network", net: ownAddress, bits });
    describe = `the /${bits} of host in [ldap] (${own})`;
  } else {
    rules.push({ kind: "name", name: own });
    const domain = dnsDomainOf(own);
    if (domain) rules.push({ kind: "name", name: domain }, { kind: "below", domain });
    describe = domain ? `the DNS domain of host in [ldap] (${domain})` : `host in [ldap] (${own}) alone`;
  }
  for (const entry of listed) {
    const rule = parseReferralHost(entry);
    if (!("problem" in rule)) rules.push(rule);
  }
  if (listed.length > 0) describe += " and referral_hosts in [ldap]";
  return {
    allows(host) {
      const name = normName(host);
      const address = parseIp(name);
      return rules.some((r) => matches(r, name, address));
    },
    describe,
  };
}
