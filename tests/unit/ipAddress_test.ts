/** IP literals (src/ipAddress.ts). */
import assert from "node:assert/strict";
import { inNetwork, parseCidr, parseIp } from "../../src/ipAddress.ts";

Deno.test("ipAddress: IPv4 and IPv6 literals to bytes; networks", () => {
  assert.deepEqual(parseIp("192.0.2.10"), Uint8Array.of(192, 0, 2, 10));
  assert.equal(parseIp("192.0.2.256"), undefined);
  assert.equal(parseIp("192.0.2.01"), undefined);
  assert.equal(parseIp("ldap.example.com"), undefined);
  assert.equal(parseIp("dead:beef"), undefined);
  assert.deepEqual(parseIp("[::1]"), Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
  assert.deepEqual(parseIp("2001:DB8::ff00:42:8329")?.slice(0, 4), Uint8Array.of(0x20, 0x01, 0x0d, 0xb8));
  assert.deepEqual(parseIp("::ffff:192.0.2.1")?.slice(12), Uint8Array.of(192, 0, 2, 1));
  const net = parseCidr("192.0.2.0/24")!;
  assert.ok(inNetwork(parseIp("192.0.2.200")!, net.net, net.bits));
  assert.ok(!inNetwork(parseIp("192.0.3.1")!, net.net, net.bits));
  assert.ok(!inNetwork(parseIp("::1")!, net.net, net.bits), "families never match");
  assert.ok(!inNetwork(parseIp("10.128.2.3")!, parseIp("10.0.0.0")!, 9));
  assert.ok(inNetwork(parseIp("10.127.2.3")!, parseIp("10.0.0.0")!, 9));
  assert.equal(parseCidr("192.0.2.0/33"), undefined);
  assert.equal(parseCidr("192.0.2.0"), undefined);
});
