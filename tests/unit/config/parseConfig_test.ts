/**
 * parseConfig: a valid config file gives the Config value (defaults resolved, accepted forms,
 * immutable); a bad one gets every problem reported at once with file:line, section and key (unknown
 * and misplaced keys, missing ones, bad values, host, filter, DN and proxy forms), never a secret.
 * Reading the file: ./loadConfig_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseConfig, type ReadTextFile } from "../../../src/config/parseConfig.ts";
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

Deno.test("config: attr_anchor — optional (the server's own when absent or empty); a bad name or the username attribute is one problem", () => {
  assert.equal(parse().ldap.attrAnchor, undefined);
  assert.equal(parse({ ldap: { attr_anchor: "" } }).ldap.attrAnchor, undefined);
  assert.equal(parse({ ldap: { attr_anchor: "employeeNumber" } }).ldap.attrAnchor, "employeeNumber");
  for (
    const [value, problem] of [
      ["entry uuid", "'entry uuid' is not a valid LDAP attribute name"],
      [
        "UID",
        "'UID' is attr_username: the anchor must be an attribute that never changes and is never reused " +
        "(e.g. entryUUID, objectGUID, nsUniqueId), or leave attr_anchor out to use the server's",
      ],
    ]
  ) {
    const over = { ldap: { attr_username: "uid", attr_anchor: value } };
    assert.deepEqual(problems(over), [
      `/etc/sync/c.cfg:${lineOf(text(over), "attr_anchor")}: [ldap] attr_anchor: ${problem}`,
    ]);
  }
});

Deno.test("config: referral_hosts (names, *.domain, addresses, networks); a bad entry is named, exit 2", () => {
  assert.deepEqual(parse().ldap.referralHosts, []);
  const c = parse({ ldap: { referral_hosts: "dc3.other.example, *.emea.example.com,10.1.2.3 , fd00::/8" } });
  assert.deepEqual(c.ldap.referralHosts, ["dc3.other.example", "*.emea.example.com", "10.1.2.3", "fd00::/8"]);
  const over: Sections = { ldap: { referral_hosts: "dc3.other.example, *.com, ldap_1" } };
  const at = `/etc/sync/c.cfg:${lineOf(text(over), "referral_hosts", "ldap")}:`;
  assert.deepEqual(problems(over), [
    `${at} [ldap] referral_hosts: entry 2 ('*.com'): a *.domain pattern needs a domain of at least two labels ` +
    "after '*.'",
    `${at} [ldap] referral_hosts: entry 3 ('ldap_1'): it is not a host name, a *.domain pattern, an IP address ` +
    "or a network (address/bits)",
  ]);
});

Deno.test("config: [sync] is optional; audit_log and metrics_file resolve beside the config file", () => {
  const defaults = { disabledUsers: "include", protectUsers: [], removeScope: "all", deleteAfterDays: 0 };
  assert.deepEqual(parse().sync, defaults);
  assert.deepEqual(
    parse({ sync: { audit_log: "audit.log", metrics_file: "/var/lib/node_exporter/sync.prom" } }).sync,
    {
      ...defaults,
      auditLog: join("/etc/sync", "audit.log"),
      metricsFile: "/var/lib/node_exporter/sync.prom",
    },
  );
  // Empty means absent, as for every optional key.
  assert.deepEqual(parse({ sync: { audit_log: "" } }).sync, defaults);
  const over = { sync: { metrics_file: "sync.metrics", audit_lg: "x" } };
  const t = text(over);
  assert.deepEqual(
    problems(over),
    [
      `/etc/sync/c.cfg:${
        lineOf(t, "metrics_file", "sync")
      }: [sync] metrics_file: 'sync.metrics' must end in .prom ` +
      "(node_exporter reads only those)",
      `/etc/sync/c.cfg:${
        lineOf(t, "audit_lg", "sync")
      }: [sync] unknown key 'audit_lg'; did you mean 'audit_log'?`,
    ].sort((a, b) => Number(a.split(":")[1]) - Number(b.split(":")[1])),
  );
});
