/** referral_hosts entries (src/config/referralHosts.ts). */
import assert from "node:assert/strict";
import { parseReferralHost } from "../../../src/config/referralHosts.ts";

Deno.test("referral_hosts entries: what is refused", () => {
  for (const bad of ["", "*", "*.com", "a b", "host_name", "10.0.0.0/33", "-x.example", "*.*.example.com"]) {
    assert.ok("problem" in parseReferralHost(bad), bad);
  }
  assert.deepEqual(parseReferralHost(" DC9.Example.com "), { kind: "name", name: "dc9.example.com" });
});
