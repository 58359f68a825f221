/**
 * A valid config file gives the Config value: defaults resolved, accepted forms, immutable.
 * A bad one's problems: ./parseConfigProblems_test.ts; reading the file: ./loadConfig_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ReadTextFile } from "../../../src/config/parseConfig.ts";
import { API_KEY, lineOf, parse, PASSWORD, problems, PROXY_PASS, text } from "../../support/configText.ts";

Deno.test("config: a valid file gives the Config type with defaults resolved", () => {
  const c = parse();
  assert.equal(c.path, "/etc/sync/c.cfg");
  assert.deepEqual(c.logintc, {
    host: "cloud.logintc.com",
    apiKey: API_KEY,
    domainId: "9120580e94f134cb7c9f27cd1e43dbc82980e152",
    proxy: undefined,
  });
  assert.equal(c.ldap.host, "ldap.example.com");
  assert.equal(c.ldap.port, 389);
  assert.equal(c.ldap.encryption, "starttls");
  assert.equal(c.ldap.bindPassword, PASSWORD);
  assert.deepEqual(c.ldap.attrAlias, { alias1: undefined, alias2: undefined, alias3: undefined });
  assert.deepEqual(c.ldap.normalizeAlias, []);
});

Deno.test("config: LDAP port defaults by encryption; an explicit port wins; IPv6 keeps brackets", () => {
  assert.equal(parse({ ldap: { encryption: "SSL" } }).ldap.port, 636);
  assert.equal(parse({ ldap: { encryption: "none" } }).ldap.port, 389);
  const c = parse({ ldap: { host: "[2001:db8::1]:3269", encryption: "ssl" } });
  assert.deepEqual([c.ldap.host, c.ldap.port], ["[2001:db8::1]", 3269]);
  assert.equal(parse({ ldap: { host: "10.0.0.5:3268" } }).ldap.port, 3268);
});

Deno.test("config: uppercase domain_id is accepted and lowercased", () => {
  assert.equal(
    parse({ logintc: { domain_id: "9120580E94F134CB7C9F27CD1E43DBC82980E152" } }).logintc.domainId,
    "9120580e94f134cb7c9f27cd1e43dbc82980e152",
  );
});

Deno.test("config: AD bind names and RFC 4514 escapes are accepted", () => {
  for (const bind of ["sync@example.com", "EXAMPLE\\sync", "CN=Doe\\, John+UID=jd,OU=IT,DC=example,DC=com"]) {
    assert.equal(parse({ ldap: { bind_dn: bind } }).ldap.bindDn, bind);
  }
  const base = "ou=Sales \\2C EMEA, dc=example, dc=com";
  assert.equal(parse({ ldap: { base_dn: base } }).ldap.baseDn, base);
});

Deno.test("config: filters — AD memberOf, escapes, extensible match; a bare item is wrapped", () => {
  for (
    const f of [
      "(memberof=CN=2FA_Users,CN=Users,DC=example,DC=com)",
      "(&(objectCategory=person)(!(cn=a\\28b\\29))(|(uid=a*)(mail=*)))",
      "(memberOf:1.2.840.113556.1.4.1941:=CN=g,DC=example,DC=com)",
    ]
  ) assert.equal(parse({ ldap: { filter: f } }).ldap.filter, f);
  assert.equal(parse({ ldap: { filter: "uid=jdoe" } }).ldap.filter, "(uid=jdoe)");
});

Deno.test("config: aliases, phone and normalize_alias", () => {
  const c = parse({
    ldap: {
      attr_alias1: "mail",
      attr_alias3: "givenName",
      attr_phone: "telephoneNumber",
      normalize_alias: "ALIAS3, alias1",
    },
  });
  assert.deepEqual(c.ldap.attrAlias, { alias1: "mail", alias2: undefined, alias3: "givenName" });
  assert.equal(c.ldap.attrPhone, "telephoneNumber");
  assert.deepEqual(c.ldap.normalizeAlias, ["alias1", "alias3"]);
});

Deno.test("config: proxy with credentials; empty optional values count as absent", () => {
  const c = parse({
    logintc: { proxy_host: "proxy.example.com", proxy_port: "3128", proxy_user: "u", proxy_pass: PROXY_PASS },
    ldap: { attr_phone: "", ca_file: "" },
  });
  assert.deepEqual(c.logintc.proxy, { host: "proxy.example.com", port: 3128, user: "u", pass: PROXY_PASS });
  assert.equal(c.ldap.attrPhone, undefined);
  assert.equal(parse({ logintc: { proxy_host: "", proxy_port: "" } }).logintc.proxy, undefined);
});

Deno.test("config: ca_file is resolved against the config file's directory and must hold a certificate", () => {
  const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  // The config is /etc/sync/c.cfg: a relative ca_file lives in /etc/sync, joined by the OS's path
  // rules (on Windows that is \etc\sync\ca.pem, and "/abs/ca.pem" is absolute there too).
  const inConfigDir = (name: string) => join("/etc/sync", name);
  const files: ReadTextFile = (p) => {
    if (p === inConfigDir("ca.pem") || p === "/abs/ca.pem") return pem;
    if (p === inConfigDir("key.pem")) return "-----BEGIN PRIVATE KEY-----\n";
    throw new Deno.errors.NotFound(p);
  };
  const reads: string[] = [];
  const c = parse(
    { logintc: { ca_file: "/abs/ca.pem" }, ldap: { ca_file: "ca.pem" } },
    (p) => (reads.push(p), files(p)),
  );
  assert.equal(c.logintc.caFile, "/abs/ca.pem");
  assert.equal(c.ldap.caFile, inConfigDir("ca.pem"));
  // Read here, once per section; the config carries the text, so nothing reads the file again.
  assert.equal(c.logintc.caPem, pem);
  assert.equal(c.ldap.caPem, pem);
  assert.deepEqual(reads, ["/abs/ca.pem", inConfigDir("ca.pem")]);
  const t = text({ ldap: { ca_file: "key.pem" }, logintc: { ca_file: "missing.pem" } });
  assert.deepEqual(problems({ ldap: { ca_file: "key.pem" }, logintc: { ca_file: "missing.pem" } }, files), [
    `/etc/sync/c.cfg:${lineOf(t, "ca_file", "logintc")}: [logintc] ca_file: cannot read '${
      inConfigDir("missing.pem")
    }': no such file`,
    `/etc/sync/c.cfg:${lineOf(t, "ca_file")}: [ldap] ca_file: '${
      inConfigDir("key.pem")
    }' contains no PEM certificate (-----BEGIN CERTIFICATE-----)`,
  ]);
});

Deno.test("config: the loaded value is immutable, all the way down", () => {
  const c = parse({ ldap: { attr_alias1: "uid", normalize_alias: "alias1" } });
  for (const o of [c, c.logintc, c.ldap, c.ldap.attrAlias, c.ldap.normalizeAlias]) {
    assert.ok(Object.isFrozen(o), JSON.stringify(o));
  }
  assert.throws(() => {
    (c.ldap as { filter: string }).filter = "(uid=*)";
  }, TypeError);
});
