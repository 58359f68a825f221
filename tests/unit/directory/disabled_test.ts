/**
 * Disabled accounts per server: AD/Samba userAccountControl bit 0x2 and accountExpires (100-ns ticks
 * since 1601, 0 and 2^63-1 = never, compared with the given clock), 389-DS nsAccountLock, OpenLDAP
 * ppolicy's permanent lock only (a timed lockout is not disabled); unreadable values are not disabled.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { disabledAttributes, disabledReason } from "../../../src/directory/disabled.ts";
import type { VendorId } from "../../../src/directory/vendor.ts";

const NOW = new Date("2026-03-01T12:00:00Z");
const entry = (attrs: Record<string, unknown>) => ({ dn: "cn=x,dc=example,dc=com", ...attrs });
/** accountExpires for a date: 100-ns intervals since 1601-01-01 UTC. */
const ticks = (d: Date) => (BigInt(d.getTime()) * 10_000n + 116_444_736_000_000_000n).toString();

Deno.test("disabled: the attributes asked for follow the server", () => {
  assert.deepEqual(disabledAttributes("active-directory"), ["userAccountControl", "accountExpires"]);
  assert.deepEqual(disabledAttributes("samba"), ["userAccountControl", "accountExpires"]);
  assert.deepEqual(disabledAttributes("389-ds"), ["nsAccountLock"]);
  assert.deepEqual(disabledAttributes("openldap"), ["pwdAccountLockedTime"]);
  for (const v of ["opendj", "apacheds", "unknown"] as VendorId[]) {
    assert.deepEqual(disabledAttributes(v), []);
  }
});

Deno.test("disabled: AD userAccountControl — bit 0x2 only (514 yes, 512 and lockout 528 no)", () => {
  for (const vendor of ["active-directory", "samba"] as const) {
    const of = (uac: string) => disabledReason(entry({ userAccountControl: uac }), vendor, NOW);
    assert.equal(of("514"), "userAccountControl: account disabled");
    assert.equal(of("66050"), "userAccountControl: account disabled"); // + DONT_EXPIRE_PASSWORD
    assert.equal(of("512"), undefined);
    assert.equal(of("528"), undefined); // NORMAL_ACCOUNT + LOCKOUT (0x10): a lockout, not disabled
    assert.equal(of("-2147483646"), "userAccountControl: account disabled"); // top bit set, signed
    assert.equal(of("x2"), undefined);
    // The server's spelling of the name, and several values (the first counts), as ldapts gives them.
    assert.equal(
      disabledReason(entry({ useraccountcontrol: ["514", "512"] }), vendor, NOW),
      "userAccountControl: account disabled",
    );
    assert.equal(disabledReason(entry({}), vendor, NOW), undefined);
  }
});

Deno.test("disabled: AD accountExpires — past is disabled, future and the two 'never' values are not", () => {
  const of = (v: string) =>
    disabledReason(entry({ userAccountControl: "512", accountExpires: v }), "samba", NOW);
  assert.equal(of(ticks(new Date("2026-02-28T00:00:00Z"))), "accountExpires: expired 2026-02-28");
  assert.equal(of(ticks(NOW)), "accountExpires: expired 2026-03-01"); // at the instant: expired
  assert.equal(of(ticks(new Date(NOW.getTime() + 1))), undefined);
  assert.equal(of(ticks(new Date("2030-01-01T00:00:00Z"))), undefined);
  assert.equal(of("0"), undefined);
  assert.equal(of("9223372036854775807"), undefined);
  assert.equal(of("1"), "accountExpires: expired"); // 1601: expired, no date worth showing
  for (const junk of ["", "-5", "soon", "99999999999999999999"]) assert.equal(of(junk), undefined, junk);
  // The clock decides: the same value is fine yesterday and expired tomorrow.
  const v = ticks(new Date("2026-03-01T00:00:00Z"));
  assert.equal(
    disabledReason(entry({ accountExpires: v }), "active-directory", new Date("2026-02-28")),
    undefined,
  );
  assert.match(disabledReason(entry({ accountExpires: v }), "active-directory", NOW) ?? "", /expired/);
});

Deno.test("disabled: accountExpires against the clock, for any value (property)", () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: 0x7FFF_FFFF_FFFF_FFFEn }), (t) => {
      const nowTicks = BigInt(NOW.getTime()) * 10_000n + 116_444_736_000_000_000n;
      const reason = disabledReason(entry({ accountExpires: t.toString() }), "active-directory", NOW);
      assert.equal(reason !== undefined, t <= nowTicks);
    }),
  );
});

Deno.test("disabled: 389-DS nsAccountLock true in any case; anything else is not", () => {
  const of = (v: unknown) => disabledReason(entry({ nsAccountLock: v }), "389-ds", NOW);
  for (const v of ["true", "TRUE", "True", [" true "]]) assert.equal(of(v), "nsAccountLock: true");
  for (const v of ["false", "", "yes", []]) assert.equal(of(v), undefined);
  assert.equal(disabledReason(entry({ nsaccountlock: "true" }), "389-ds", NOW), "nsAccountLock: true");
});

Deno.test("disabled: OpenLDAP ppolicy — only the permanent lock 000001010000Z; a timed lockout is not", () => {
  const of = (v: string) => disabledReason(entry({ pwdAccountLockedTime: v }), "openldap", NOW);
  assert.equal(of("000001010000Z"), "pwdAccountLockedTime: locked permanently");
  assert.equal(of("20260301110000Z"), undefined);
  assert.equal(of("000001010000"), undefined);
});

Deno.test("disabled: a server's rule never applies to another (no cross-vendor guessing)", () => {
  const all = entry({
    userAccountControl: "514",
    nsAccountLock: "true",
    pwdAccountLockedTime: "000001010000Z",
  });
  assert.equal(disabledReason(all, "openldap", NOW), "pwdAccountLockedTime: locked permanently");
  assert.equal(disabledReason(all, "389-ds", NOW), "nsAccountLock: true");
  for (const v of ["opendj", "apacheds", "unknown"] as VendorId[]) {
    assert.equal(disabledReason(all, v, NOW), undefined);
  }
});
