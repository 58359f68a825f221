/**
 * The pure parts of referral chasing: parsing referral URLs (RFC 4516), recognising Active Directory's
 * partitions without users by DN, and the chaser's choices (DN and scope from the URL, port from the
 * config's encryption, loops, -i) with a recording search in place of a server.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { DirectoryError } from "../../../src/errors.ts";
import {
  ReferralResult,
  type SearchTarget,
  searchWithReferrals,
  targetKey,
} from "../../../src/directory/referrals.ts";
import { isAdPartition, parseReferralUrl } from "../../../src/directory/referralUrl.ts";
import { type ReferralTrust, referralTrust } from "../../../src/directory/referralTrust.ts";
import { hasUnsafe } from "../../../src/output/escape.ts";

Deno.test("referral URLs: host, port, DN (percent-decoded) and scope as slapd, Samba and AD write them", () => {
  const cases: [string, unknown][] = [
    ["ldap://127.0.0.1:3389/ou=east,dc=acme,dc=test??sub", {
      host: "127.0.0.1",
      port: 3389,
      dn: "ou=east,dc=acme,dc=test",
      scope: "sub",
    }],
    ["ldap://127.0.0.1:3389/ou=east,dc=acme,dc=test??base", {
      host: "127.0.0.1",
      port: 3389,
      dn: "ou=east,dc=acme,dc=test",
      scope: "base",
    }],
    ["ldaps://example.com/CN=Configuration,DC=example,DC=com", {
      host: "example.com",
      port: undefined,
      dn: "CN=Configuration,DC=example,DC=com",
      scope: undefined,
    }],
    ["ldap://DomainDnsZones.example.com/DC=DomainDnsZones,DC=example,DC=com", {
      host: "DomainDnsZones.example.com",
      port: undefined,
      dn: "DC=DomainDnsZones,DC=example,DC=com",
      scope: undefined,
    }],
    ["ldap://[::1]:389/ou=J%C3%BCrgen%20M,dc=x?cn?one", {
      host: "::1",
      port: 389,
      dn: "ou=Jürgen M,dc=x",
      scope: "one",
    }],
    ["LDAP://h", { host: "h", port: undefined, dn: undefined, scope: undefined }],
  ];
  for (const [url, want] of cases) assert.deepEqual(parseReferralUrl(url), { ok: true, url: want }, url);
});

Deno.test("referral URLs that are not followed say why", () => {
  const cases: [string, RegExp][] = [
    ["ldapi://%2Frun%2Fslapd/dc=x", /not an ldap:\/\/ or ldaps:\/\/ URL/],
    ["http://h/dc=x", /not an ldap:\/\/ or ldaps:\/\/ URL/],
    ["ldap:///dc=x", /names no server/],
    ["ldap://h:0/dc=x", /host or port/],
    ["ldap://h:99999/dc=x", /host or port/],
    ["ldap://h/dc=x??subtree", /scope "subtree"/],
    ["ldap://h/dc=x??sub?(objectClass=*)", /its own search filter/],
    ["ldap://h/dc=x????!e-bindname=cn=x", /critical extension/],
    ["ldap://h/dc=%zz", /percent-encoding/],
    ["not a url", /not a valid LDAP URL/],
  ];
  for (const [url, problem] of cases) {
    const r = parseReferralUrl(url);
    assert.equal(r.ok, false, url);
    if (!r.ok) assert.match(r.problem, problem, url);
  }
});

Deno.test("AD partitions without users are recognised by DN, case-insensitively, directly below DC= parts", () => {
  for (
    const dn of [
      "DC=DomainDnsZones,DC=example,DC=com",
      "dc=forestdnszones,dc=example,dc=com",
      "CN=Configuration,DC=example,DC=com",
      "cn = configuration , dc = corp , dc = example , dc = com",
    ]
  ) assert.ok(isAdPartition(dn), dn);
  for (
    const dn of [
      "DC=child,DC=example,DC=com", // a child domain: followed
      "CN=Users,DC=example,DC=com",
      "CN=Configuration,OU=Apps,DC=example,DC=com", // a container of that name elsewhere
      "CN=Configuration", // no domain below it
      "OU=DomainDnsZones,DC=example,DC=com",
    ]
  ) assert.ok(!isAdPartition(dn), dn);
});

Deno.test("parseReferralUrl never throws", () => {
  fc.assert(fc.property(fc.string(), (s: string) => {
    parseReferralUrl(s);
    parseReferralUrl(`ldap://h/${s}`);
  }));
});

/** Runs the chaser over a map of target key → what that search returns (URLs or a ReferralResult). */
async function chase(
  answers: Record<string, string[] | ReferralResult>,
  ignoreReferral = false,
  port = 389,
  trust: ReferralTrust = { allows: () => true, describe: "any host (these tests are about the chase)" },
) {
  const searched: SearchTarget[] = [];
  const primary: SearchTarget = { host: "a", port: 389, dn: "dc=x", scope: "sub", chain: [], via: [] };
  const summary = await searchWithReferrals(primary, {
    search: (t) => {
      searched.push(t);
      const answer = answers[targetKey(t)] ?? [];
      return answer instanceof ReferralResult ? Promise.reject(answer) : Promise.resolve(answer);
    },
    defaultPort: port,
    ignoreReferral,
    trust,
  });
  return { summary, searched: searched.map(targetKey) };
}

Deno.test("chaser: the URL's DN and scope, else the referring search's; port from the config's encryption", async () => {
  const { summary, searched } = await chase(
    {
      "a:389/dc=x?sub": [
        "ldap://b/ou=one,dc=x??one",
        "ldaps://c/ou=two,dc=x",
        "ldap://b:1389/ou=3,dc=x??base",
      ],
    },
    false,
    636,
  );
  assert.deepEqual(searched, [
    "a:389/dc=x?sub",
    "b:636/ou=one,dc=x?one",
    "c:636/ou=two,dc=x?sub",
    "b:1389/ou=3,dc=x?base",
  ]);
  assert.equal(summary.followed.length, 3);
});

Deno.test("chaser: the same target twice is searched once; partitions counted; -i only counts", async () => {
  const refs = [
    "ldap://b/ou=p,dc=x??sub",
    "ldap://B/OU=P,DC=X??sub",
    "ldaps://x.com/CN=Configuration,DC=x,DC=com",
    "ldap://DomainDnsZones.x.com/DC=DomainDnsZones,DC=x,DC=com",
  ];
  const { summary, searched } = await chase({ "a:389/dc=x?sub": refs });
  assert.deepEqual(searched, ["a:389/dc=x?sub", "b:389/ou=p,dc=x?sub"]);
  assert.deepEqual(summary.partitions, refs.slice(2));
  const ignored = await chase({ "a:389/dc=x?sub": refs }, true);
  assert.deepEqual(ignored.searched, ["a:389/dc=x?sub"]);
  assert.deepEqual(ignored.summary.ignored, refs);
  assert.deepEqual(ignored.summary.followed, []);
});

Deno.test("chaser: a referral result is followed to its URL (DN absent → the same DN); without URLs it fails", async () => {
  const { searched } = await chase({ "a:389/dc=x?sub": new ReferralResult(["ldap://b"]) });
  assert.deepEqual(searched, ["a:389/dc=x?sub", "b:389/dc=x?sub"]);
  for (const urls of [undefined, []]) {
    await assert.rejects(
      chase({ "a:389/dc=x?sub": new ReferralResult(urls) }),
      (e: unknown) => e instanceof DirectoryError && /without saying where/.test(e.message),
    );
  }
});

Deno.test("chaser: under -i a referral result is never taken for an empty read", async () => {
  await assert.rejects(
    chase({ "a:389/dc=x?sub": new ReferralResult(["ldap://b"]) }, true),
    /held by another server \(LDAP result 10\); with -i/,
  );
});

Deno.test("chaser: a loop is a target already on the chain, not merely the same server", async () => {
  // a → b → a/other is fine; a → b → a/dc=x (the start) is a loop.
  const fine = await chase({
    "a:389/dc=x?sub": ["ldap://b/ou=b,dc=x"],
    "b:389/ou=b,dc=x?sub": ["ldap://a/ou=other,dc=x"],
  });
  assert.equal(fine.searched.length, 3);
  await assert.rejects(
    chase({ "a:389/dc=x?sub": ["ldap://b/ou=b,dc=x"], "b:389/ou=b,dc=x?sub": ["ldap://a/DC=X??sub"] }),
    /"ldap:\/\/a\/DC=X\?\?sub" could not be followed[\s\S]*referral loop/,
  );
});

Deno.test("chaser: a URL from the directory is shown escaped in the message", async () => {
  const url = "ldap://evil/ou=\x1b]0;owned\x07x,dc=x??sub?(uid=\x1b[2J)";
  await assert.rejects(chase({ "a:389/dc=x?sub": [url] }), (e: unknown) => {
    assert.ok(e instanceof DirectoryError);
    assert.ok(!hasUnsafe(e.message.replaceAll("\n", " ")), "no raw control character");
    assert.match(e.message, /ou=\\x1b\]0;owned\\x07x/);
    assert.match(e.message, /its own search filter/);
    return true;
  });
});

Deno.test("chaser: a referral to an untrusted host fails the read before anything is searched there", async () => {
  const searched: string[] = [];
  const trust = referralTrust("a.corp.example.com", []);
  await assert.rejects(
    searchWithReferrals(
      { host: "a.corp.example.com", port: 389, dn: "dc=x", scope: "sub", chain: [], via: [] },
      {
        search: (t) => {
          searched.push(t.host);
          return Promise.resolve(
            t.host === "a.corp.example.com"
              ? ["ldap://b.emea.corp.example.com/ou=1,dc=x", "ldap://evil.example/ou=2,dc=x"]
              : [],
          );
        },
        defaultPort: 389,
        ignoreReferral: false,
        trust,
      },
    ),
    (e: unknown) => {
      assert.ok(e instanceof DirectoryError);
      assert.match(e.message, /^LDAP referral "ldap:\/\/evil\.example\/ou=2,dc=x" could not be followed/);
      assert.match(
        e.message,
        /Its server evil\.example is not one the bind credentials may go to \(the DNS domain/,
      );
      assert.match(e.message, /add it to referral_hosts in \[ldap\]/);
      assert.match(e.message, /-i \(--ignore-referral\)/);
      return true;
    },
  );
  assert.deepEqual(searched, ["a.corp.example.com"], "evil.example was never searched (nor bound to)");
});
