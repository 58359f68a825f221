/** Reading the cause of a refused certificate from Deno's fetch (rustls) texts, as measured. */
import assert from "node:assert/strict";
import { formatDate, problemFromFetchText } from "../../../src/tls/certificate.ts";

const PREFIX =
  "fetch failed: error sending request for url (https://127.0.0.1:4443/): client error (Connect): " +
  "invalid peer certificate: ";

Deno.test("problemFromFetchText: Deno 2.9.6's texts for each cause", () => {
  assert.deepEqual(
    problemFromFetchText(
      PREFIX + "certificate expired: verification time 1796225329 (UNIX), but certificate is not valid " +
        "after 1577923200 (218302129 seconds ago)",
      "h",
    ),
    { kind: "expired", notAfter: new Date("2020-01-02T00:00:00Z") },
  );
  assert.deepEqual(
    problemFromFetchText(
      PREFIX + "certificate not valid yet: verification time 1796225329 (UNIX), but certificate is not " +
        "valid before 4102358400 (2306133071 seconds in future)",
      "h",
    ),
    { kind: "not-yet-valid", notBefore: new Date("2099-12-31T00:00:00Z") },
  );
  assert.deepEqual(
    problemFromFetchText(
      PREFIX + 'certificate not valid for name "127.0.0.1"; certificate is only valid for ' +
        'DnsName("ldap.invalid") or DnsName("other.invalid")',
      "h",
    ),
    { kind: "name", host: "127.0.0.1", names: "DNS:ldap.invalid, DNS:other.invalid" },
  );
  assert.deepEqual(problemFromFetchText(PREFIX + "UnknownIssuer", "h"), { kind: "untrusted" });
  // Older, shorter texts.
  assert.deepEqual(problemFromFetchText(PREFIX + "Expired", "h"), { kind: "expired" });
  assert.deepEqual(problemFromFetchText(PREFIX + "NotValidForName", "api.example"), {
    kind: "name",
    host: "api.example",
  });
  assert.equal(problemFromFetchText("connection refused", "h"), undefined);
});

Deno.test("formatDate: UTC, to the second", () => {
  assert.equal(formatDate(new Date("2020-01-02T00:00:00.000Z")), "2020-01-02 00:00:00 UTC");
});
