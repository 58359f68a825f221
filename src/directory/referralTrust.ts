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
import { normHost, parseReferralHost, type ReferralHostRule } from "../config/referralHosts.ts";
import { inNetwork, parseIp } from "../ipAddress.ts";

export interface ReferralTrust {
  /** True when the bind credentials may go to `host` (a name or an IP address, as the URL gives it). */
  allows(host: string): boolean;
  /** What is trusted, for messages: "the DNS domain corp.example.com of host in [ldap]" & co. */
  describe: string;
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
  const labels = normHost(host).split(".");
  return labels.length >= 3 ? labels.slice(1).join(".") : undefined;
}

/** `listed`: the referral_hosts entries, as the config checked them (parseReferralHost). */
export function referralTrust(configuredHost: string, listed: readonly string[]): ReferralTrust {
  const own = normHost(configuredHost);
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
      const name = normHost(host);
      const address = parseIp(name);
      return rules.some((r) => matches(r, name, address));
    },
    describe,
  };
}
