/**
 * How a config problem shows a value that did not parse (src/config/problems.ts): quoted, unless it
 * could be a secret typed into the wrong key (issue 21, item 5).
 */
import assert from "node:assert/strict";
import { couldBeSecret, shownValue } from "../../../src/config/problems.ts";
import { API_KEY, PASSWORD, problems, PROXY_PASS } from "../../support/configText.ts";

Deno.test("shownValue: passwords and keys are not shown; host names, paths, DNs and attributes are", () => {
  for (const secret of [API_KEY, PASSWORD, PROXY_PASS, "Summer2024!", "c2VjcmV0LXRva2VuLTEyMzQ1Njc4OQ=="]) {
    assert.ok(couldBeSecret(secret), secret);
    assert.equal(
      shownValue(secret),
      `the value (${secret.length} characters, not shown: it could be a secret)`,
    );
  }
  for (
    const plain of [
      "ldap.example.com:65536",
      "ldap..example.com",
      "sAMAccountName",
      "/etc/sync/ca.pem",
      "none",
    ]
  ) {
    assert.ok(!couldBeSecret(plain), plain);
    assert.equal(shownValue(plain), `'${plain}'`);
  }
});

Deno.test("config: a secret in the wrong key is named by key and line, never quoted; one that parses elsewhere is redacted", () => {
  const found = problems({
    logintc: { host: API_KEY },
    ldap: { encryption: PASSWORD, attr_email: PASSWORD },
  });
  assert.ok(found.length >= 3, found.join("\n"));
  for (const p of found) {
    assert.ok(!p.includes(API_KEY) && !p.includes(PASSWORD), p);
    assert.match(p, /^\/etc\/sync\/c\.cfg:\d+: \[(logintc|ldap)\] (host|encryption|attr_email): /);
  }
  // A short, plain password (not password-like) pasted into another key as well: it is the
  // proxy_pass read from its own key, so it is redacted wherever a message would quote it.
  const pasted = problems({
    logintc: {
      proxy_host: "proxy.example.com",
      proxy_port: "3128",
      proxy_user: "sync",
      proxy_pass: "hunter22",
    },
    ldap: { encryption: "hunter22" },
  });
  assert.deepEqual(pasted, [
    "/etc/sync/c.cfg:11: [ldap] encryption: '********' is not one of none, ssl, startTLS",
  ]);
});
