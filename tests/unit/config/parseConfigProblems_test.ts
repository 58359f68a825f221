/**
 * A bad config file: every problem reported at once with file:line, section and key (unknown and
 * misplaced keys, missing ones, bad values, host, filter, DN and proxy forms), never a secret.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../../src/config/parseConfig.ts";
import {
  API_KEY,
  lineOf,
  noFiles,
  parse,
  PASSWORD,
  problems,
  PROXY_PASS,
  type Sections,
  text,
} from "../../support/configText.ts";

Deno.test("config: unknown sections and keys get a suggestion; keys in the wrong section are pointed home", () => {
  const over = { ldap: { bind_passwd: "x", host_name: "y", proxy_host: "p" }, ldp: { a: "b" } };
  const t = text(over);
  assert.deepEqual(problems(over), [
    `/etc/sync/c.cfg:${
      lineOf(t, "bind_passwd")
    }: [ldap] unknown key 'bind_passwd'; did you mean 'bind_password'?`,
    `/etc/sync/c.cfg:${lineOf(t, "host_name")}: [ldap] unknown key 'host_name'`,
    `/etc/sync/c.cfg:${lineOf(t, "proxy_host")}: [ldap] unknown key 'proxy_host'; it belongs in [logintc]`,
    `/etc/sync/c.cfg:${t.split("\n").indexOf("[ldp]") + 1}: unknown section [ldp]; did you mean [ldap]?`,
  ]);
});

Deno.test("config: missing keys name the section (at its header line); a missing section is file-level", () => {
  assert.deepEqual(problems({ ldap: { encryption: null, filter: null } }), [
    "/etc/sync/c.cfg:5: [ldap] missing required key 'encryption'",
    "/etc/sync/c.cfg:5: [ldap] missing required key 'filter'",
  ]);
  const t = "[logintc]\nhost = h\napi_key = " + API_KEY + "\ndomain_id = " + "a".repeat(40) + "\n";
  assert.throws(() => parseConfig(t, "c.cfg", noFiles), { problems: ["c.cfg: missing section [ldap]"] });
  assert.deepEqual(problems({ ldap: { bind_password: "" } }), [
    `/etc/sync/c.cfg:${lineOf(text(), "bind_password")}: [ldap] bind_password: has no value`,
  ]);
});

Deno.test("config: each bad value is reported with file:line, section and key — all at once", () => {
  const over: Sections = {
    logintc: { host: "https://cloud.logintc.com", domain_id: "xyz" },
    ldap: {
      host: "ldap.example.com:0",
      encryption: "tls",
      bind_dn: "Manager",
      base_dn: "ou=People,,dc=com",
      filter: "(objectClass=person",
      attr_email: "e mail",
      normalize_alias: "alias1,alias1,alias4",
    },
  };
  const t = text(over);
  const at = (k: string, s = "ldap") => `/etc/sync/c.cfg:${lineOf(t, k, s)}:`;
  assert.deepEqual(problems(over), [
    `${
      at("host", "logintc")
    } [logintc] host: 'https://cloud.logintc.com' must be a host name or IP address, without a scheme or path`,
    `${
      at("domain_id", "logintc")
    } [logintc] domain_id: must be exactly 40 hexadecimal characters (0-9, a-f); the value has 3 characters`,
    `${at("host")} [ldap] host: 'ldap.example.com:0': the port must be a number from 1 to 65535`,
    `${at("encryption")} [ldap] encryption: 'tls' is not one of none, ssl, startTLS`,
    `${
      at("bind_dn")
    } [ldap] bind_dn: expected a DN such as cn=Manager,dc=example,dc=com, user@example.com or EXAMPLE\\user`,
    `${
      at("base_dn")
    } [ldap] base_dn: not a valid DN: expected an attribute name such as 'cn' or 'dc' at character 11`,
    `${at("attr_email")} [ldap] attr_email: 'e mail' is not a valid LDAP attribute name`,
    `${at("filter")} [ldap] filter: not a valid LDAP filter: missing ')' at the end`,
    `${at("normalize_alias")} [ldap] normalize_alias: 'alias1' needs attr_alias1 to be set`,
    `${at("normalize_alias")} [ldap] normalize_alias: 'alias1' is listed twice`,
    `${at("normalize_alias")} [ldap] normalize_alias: 'alias4' is not one of alias1, alias2, alias3`,
  ]);
});

Deno.test("config: host forms", () => {
  const bad = (host: string) => problems({ ldap: { host } })[0]?.replace(/^.*host: /, "");
  assert.equal(bad("::1"), "'::1': write an IPv6 address in brackets, e.g. [::1]:636");
  assert.equal(bad("256.1.1.1"), "'256.1.1.1': not a valid IPv4 address");
  assert.equal(
    bad("ldap.example.com:65536"),
    "'ldap.example.com:65536': the port must be a number from 1 to 65535",
  );
  assert.equal(bad("bad host"), "'bad host': not a valid host name (letters, digits, '-' and '.' only)");
  assert.equal(bad("[zz::1]"), "'[zz::1]' is not a valid IPv6 address");
  for (const ok of ["127.0.0.1", "dc1", "dc_1.example.com:3269", "[::1]", "[fe80::1%eth0]:389"]) {
    assert.equal(parse({ ldap: { host: ok } }).ldap.host, ok.replace(/:\d+$/, ""), ok);
  }
});

Deno.test("config: filter and DN problems", () => {
  const filter = (f: string) =>
    problems({ ldap: { filter: f } })[0]?.replace(/^.*filter: not a valid LDAP filter: /, "");
  assert.equal(
    filter("(a=b)(c=d)"),
    "unexpected text after the closing ')' at character 6; combine filters with (&...)",
  );
  assert.equal(filter("(cn=a(b)"), "'(' in a value must be written \\28 at character 6");
  assert.equal(filter("(cn=a\\zz)"), "'\\' must start two hex digits such as \\28 or \\5C at character 6");
  assert.equal(filter("( uid=x)"), "' uid' is not a valid attribute name in '( uid=x)'");
  assert.equal(filter("(&)"), "'&' needs at least one filter in parentheses at character 3");
  assert.equal(filter("&(a=b)"), "must be enclosed in parentheses, e.g. (&(objectClass=person)(uid=*))");
  const dn = (d: string) =>
    problems({ ldap: { base_dn: d } })[0]?.replace(/^.*base_dn: not a valid DN: /, "");
  assert.equal(dn("ou=a;dc=b"), "';' must be escaped as '\\;' at character 5");
  assert.equal(dn("ou=a,"), "the DN ends with ','");
  assert.equal(
    dn("ou=a\\q"),
    "invalid escape '\\q' at character 5 (use \\, \\+ \\\" \\\\ or two hex digits like \\2C)",
  );
  assert.equal(dn("ou"), "expected '=' after 'ou' at character 3");
});

Deno.test("config: proxy rules", () => {
  const msgs = (logintc: Record<string, string>) =>
    problems({ logintc }).map((p) => p.replace(/^[^ ]* /, ""));
  assert.deepEqual(msgs({ proxy_port: "3128", proxy_user: "u" }), [
    "[logintc] proxy_port: is set but proxy_host is not",
    "[logintc] proxy_user: is set but proxy_host is not",
  ]);
  assert.deepEqual(msgs({ proxy_host: "p.example.com" }), ["[logintc] proxy_host: requires proxy_port"]);
  assert.deepEqual(msgs({ proxy_host: "p:3128", proxy_port: "3128" }), [
    "[logintc] proxy_host: give the port in proxy_port, not in proxy_host",
  ]);
  assert.deepEqual(msgs({ proxy_host: "p", proxy_port: "99999", proxy_pass: PROXY_PASS }), [
    "[logintc] proxy_port: '99999' is not a port number from 1 to 65535",
    "[logintc] proxy_pass: is set but proxy_user is not",
  ]);
});

Deno.test("config: no secret value ever appears in a problem", () => {
  const key63 = API_KEY.slice(1);
  const badKey = API_KEY.slice(0, 63) + "!";
  const all = [
    ...problems({ logintc: { api_key: key63 } }),
    ...problems({ logintc: { api_key: badKey } }),
    ...problems({ logintc: { proxy_pass: PROXY_PASS, proxy_port: "x" }, ldap: { bind_dn: "??" } }),
    ...problems({ ldap: { bind_password: PASSWORD, encryption: "x", api_key: API_KEY } }),
    ...problems({ logintc: { domain_id: API_KEY } }), // swapped lines
  ];
  assert.ok(
    all.some((p) =>
      p.includes("api_key: must be exactly 64 letters and digits; the value has 63 characters")
    ),
  );
  assert.ok(all.some((p) => p.includes("the value contains a character that is not a letter or digit")));
  for (const p of all) {
    for (const secret of [key63, badKey, PROXY_PASS, PASSWORD, "Secret"]) assert.ok(!p.includes(secret), p);
  }
});
