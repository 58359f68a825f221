/** Where referrals may send the bind credentials (src/directory/referralTrust.ts). */
import assert from "node:assert/strict";
import { dnsDomainOf, referralTrust } from "../../../src/directory/referralTrust.ts";

Deno.test("referral trust: the configured host's DNS domain, by default", () => {
  const t = referralTrust("dc1.corp.example.com", []);
  for (
    const h of [
      "dc1.corp.example.com",
      "DC2.Corp.Example.com.",
      "dc2.emea.corp.example.com",
      "corp.example.com",
    ]
  ) {
    assert.ok(t.allows(h), h);
  }
  for (
    const h of ["ldap.other.example", "example.com", "corp.example.com.evil", "xcorp.example.com", "10.0.0.1"]
  ) {
    assert.ok(!t.allows(h), h);
  }
  assert.equal(t.describe, "the DNS domain of host in [ldap] (corp.example.com)");
  // A domain of one label would be a whole top-level domain: only the host itself.
  assert.equal(dnsDomainOf("ldap.example"), undefined);
  const short = referralTrust("ldap.example", []);
  assert.ok(short.allows("LDAP.example") && !short.allows("other.example"));
  assert.ok(
    !referralTrust("localhost", []).allows("127.0.0.1"),
    "no lookups: a name never covers an address",
  );
});

Deno.test("referral trust: an address's /24 (IPv4) or /64 (IPv6)", () => {
  const v4 = referralTrust("192.0.2.10", []);
  assert.ok(v4.allows("192.0.2.250") && !v4.allows("192.0.3.10") && !v4.allows("dc.example.com"));
  assert.equal(v4.describe, "the /24 of host in [ldap] (192.0.2.10)");
  const v6 = referralTrust("2001:db8:1:2::10", []);
  assert.ok(v6.allows("[2001:db8:1:2:ffff::1]") && !v6.allows("2001:db8:1:3::10"));
});

Deno.test("referral trust: referral_hosts adds names, *.domain patterns, addresses and networks", () => {
  const t = referralTrust("dc1.corp.example.com", [
    "dc9.other.example",
    "*.emea.example.net",
    "10.1.2.3",
    "fd00::/8",
  ]);
  for (
    const h of ["dc9.other.example", "a.emea.example.net", "a.b.emea.example.net", "10.1.2.3", "fd12::1"]
  ) {
    assert.ok(t.allows(h), h);
  }
  for (const h of ["other.example", "emea.example.net", "10.1.2.4", "fe80::1"]) assert.ok(!t.allows(h), h);
  assert.match(t.describe, /and referral_hosts in \[ldap\]$/);
});
