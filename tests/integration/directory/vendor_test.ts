/**
 * Vendor detection from the RootDSE (src/directory/vendor.ts) and the advice it selects in the LDAP
 * messages (src/directory/errors.ts): the right product's setting, the server's own text quoted.
 */
import assert from "node:assert/strict";
import { translateLdapError } from "../../../src/directory/errors.ts";
import { readVendor } from "../../../src/directory/rootDse.ts";
import {
  AD_CAPABILITY_OID,
  detectVendor,
  type RootDse,
  type VendorId,
} from "../../../src/directory/vendor.ts";
import { startSlapd } from "../../support/slapd.ts";
import { Client } from "ldapts";

const SAMPLES: [string, RootDse, VendorId][] = [
  [
    "Active Directory",
    { supportedCapabilities: [AD_CAPABILITY_OID, "1.2.840.113556.1.4.1670"] },
    "active-directory",
  ],
  [
    "Samba AD",
    { supportedCapabilities: [AD_CAPABILITY_OID], vendorName: "Samba Team (https://www.samba.org)" },
    "samba",
  ],
  [
    "389 Directory Server",
    { vendorName: "389 Project", vendorVersion: "389-Directory/2.3.1 B2023.052.0000" },
    "389-ds",
  ],
  ["Red Hat Directory Server", { vendorVersion: "Red Hat-Directory/11.5" }, "389-ds"],
  ["OpenLDAP (objectClass, any case)", { objectclass: ["top", "OpenLDAProotDSE"] }, "openldap"],
  ["OpenLDAP (configContext)", { configContext: "cn=config" }, "openldap"],
  ["OpenDJ", { vendorName: "ForgeRock AS.", vendorVersion: "OpenDJ Server 4.4.11" }, "opendj"],
  ["ApacheDS", { vendorName: "Apache Software Foundation", vendorVersion: "2.0.0.AM27" }, "apacheds"],
  ["nothing readable", {}, "unknown"],
  ["something else", { vendorName: "Acme LDAP" }, "unknown"],
];

Deno.test("detectVendor: each vendor from its RootDSE", () => {
  for (const [name, dse, id] of SAMPLES) assert.equal(detectVendor(dse).id, id, name);
  assert.deepEqual(detectVendor({ vendorName: "389 Project", vendorVersion: "389-Directory/2.3.1" }), {
    id: "389-ds",
    name: "389 Directory Server",
    vendorName: "389 Project",
    vendorVersion: "389-Directory/2.3.1",
  });
});

const ctx = {
  host: "ldap.example.com",
  port: 389,
  encryption: "none" as const,
  phase: "search" as const,
  bindDn: "cn=sync,dc=example,dc=com",
  baseDn: "dc=example,dc=com",
  filter: "(uid=*)",
  connectTimeoutMs: 1000,
  operationTimeoutMs: 1000,
};
const ds389 = detectVendor({ vendorName: "389 Project" });
const ad = detectVendor({ supportedCapabilities: [AD_CAPABILITY_OID] });
const openldap = detectVendor({ objectClass: ["OpenLDAProotDSE"] });

Deno.test("size limit: 389 names nsPagedSizeLimit/nsSizeLimit, not AD's or OpenLDAP's settings", () => {
  const e = translateLdapError({ code: 4, message: " Code: 0x4" }, { ...ctx, vendor: ds389, pageSize: 500 });
  assert.match(e.message, /set nsPagedSizeLimit on the entry "cn=sync,dc=example,dc=com" to at least 500/);
  assert.match(e.message, /nsSizeLimit/);
  assert.doesNotMatch(e.message, /MaxPageSize|size\.prtotal/);
  const o = translateLdapError({ code: 4, message: " Code: 0x4" }, { ...ctx, vendor: openldap });
  assert.match(o.message, /size\.prtotal=unlimited/);
  assert.doesNotMatch(o.message, /MaxPageSize|nsSizeLimit/);
  // Unknown: the two most common products are named, as before.
  const u = translateLdapError({ code: 4, message: " Code: 0x4" }, ctx);
  assert.match(u.message, /size\.prtotal=unlimited.*MaxPageSize/);
});

Deno.test("adminLimitExceeded: nsLookThroughLimit on 389, MaxResultSetSize on AD, server's text quoted", () => {
  const e = translateLdapError(
    { code: 11, message: "Administrative limit exceeded Code: 0xb" },
    { ...ctx, vendor: ds389 },
  );
  assert.match(
    e.message,
    /Server said: Administrative limit exceeded\. 389 Directory Server answers .*nsLookThroughLimit/,
  );
  assert.doesNotMatch(e.message, /Active Directory|MaxResultSetSize/);
  const a = translateLdapError({ code: 11, message: " Code: 0xb" }, { ...ctx, vendor: ad });
  assert.match(a.message, /Active Directory: check MaxResultSetSize/);
  assert.doesNotMatch(a.message, /nsLookThroughLimit/);
});

Deno.test("result 53 at bind: an inactivated 389 account gets its advice, never an empty-password hint", () => {
  const bind = { ...ctx, phase: "bind" as const };
  const msg = "Account inactivated. Contact system administrator. Code: 0x35";
  const e = translateLdapError({ code: 53, message: msg }, { ...bind, vendor: ds389 });
  assert.match(e.message, /Server said: Account inactivated\. Contact system administrator\./);
  assert.match(e.message, /nsAccountLock/);
  assert.doesNotMatch(e.message, /empty/i);
  // Another vendor, or another text: the server's text and a neutral hint.
  const o = translateLdapError({ code: 53, message: "unauthenticated bind disallowed Code: 0x35" }, bind);
  assert.match(o.message, /Server said: unauthenticated bind disallowed\./);
  assert.doesNotMatch(o.message, /empty|nsAccountLock/);
});

Deno.test("readVendor: slapd's RootDSE says OpenLDAP", async () => {
  const s = await startSlapd({ groups: 0 });
  const client = new Client({ url: s.url, timeout: 5000 });
  try {
    assert.equal((await readVendor(client)).id, "openldap");
  } finally {
    await client.unbind().catch(() => {});
    await s.stop();
  }
});
