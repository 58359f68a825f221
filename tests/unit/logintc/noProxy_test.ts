/** NO_PROXY matching (src/logintc/noProxy.ts): curl's rules. */
import assert from "node:assert/strict";
import { noProxyCovers } from "../../../src/logintc/noProxy.ts";

Deno.test("no_proxy: names cover themselves and below; addresses and networks; * covers all", () => {
  const yes = (list: string, host: string) => assert.ok(noProxyCovers(list, host), `${list} ∋ ${host}`);
  const no = (list: string, host: string) => assert.ok(!noProxyCovers(list, host), `${list} ∌ ${host}`);
  yes("example.com", "example.com");
  yes("example.com", "ldap.EXAMPLE.com");
  yes(".example.com", "a.b.example.com");
  yes(".example.com", "example.com");
  yes("other, example.com ,", "x.example.com");
  no("example.com", "myexample.com");
  no("ldap.example.com", "example.com");
  yes("*", "anything.example");
  yes("*", "10.0.0.1");
  yes("127.0.0.1", "127.0.0.1");
  no("127.0.0.1", "127.0.0.2");
  yes("10.0.0.0/8", "10.20.30.40");
  no("10.0.0.0/8", "11.0.0.1");
  yes("::1", "[::1]");
  yes("2001:db8::/32", "2001:db8:1::5");
  no("2001:db8::/32", "2001:db9::5");
  // No lookups: a name never covers an address, nor an address a name.
  no("localhost", "127.0.0.1");
  no("127.0.0.1", "localhost");
  no("", "example.com");
});
