/** The relay's heads (src/logintc/tunnelIo.ts) and RFC 7617 credentials (src/logintc/proxy.ts). */
import assert from "node:assert/strict";
import { basicCredentials } from "../../../src/logintc/proxy.ts";
import { parseConnectLine, proxyAuthorization } from "../../../src/logintc/tunnelIo.ts";

Deno.test("relay: CONNECT line parsing and RFC 7617 credentials", () => {
  assert.deepEqual(parseConnectLine("CONNECT Cloud.LoginTC.com:443 HTTP/1.1"), {
    host: "cloud.logintc.com",
    port: 443,
  });
  assert.deepEqual(parseConnectLine("CONNECT [::1]:8443 HTTP/1.1"), { host: "::1", port: 8443 });
  assert.equal(parseConnectLine("GET / HTTP/1.1"), undefined);
  assert.equal(parseConnectLine("CONNECT host HTTP/1.1"), undefined);
  assert.equal(basicCredentials("proxyuser", "proxypass"), "cHJveHl1c2VyOnByb3h5cGFzcw=="); // RFC 7617 §2
  assert.equal(basicCredentials("ü", "é"), btoa("\xc3\xbc:\xc3\xa9"));
});

Deno.test("relay: the Proxy-Authorization of a head, whatever the case of its name", () => {
  const head = (h: string) => `CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n${h}`;
  assert.equal(proxyAuthorization(head("Proxy-Authorization: Basic abc")), "Basic abc");
  assert.equal(proxyAuthorization(head("proxy-authorization:\tBasic abc  ")), "Basic abc");
  assert.equal(proxyAuthorization(head("X-Proxy-Authorization: Basic abc")), undefined);
  assert.equal(proxyAuthorization("Proxy-Authorization: Basic abc"), undefined, "not the request line");
});
