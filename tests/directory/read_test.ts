/**
 * readDirectory against real slapd instances (tests/support/slapd.ts): mapping of real entries, paging
 * past the server's size limit, referrals, TLS (LDAPS, StartTLS, trust, hostname), and every failure path
 * — each must throw a DirectoryError with an actionable message, never a partial list, never the password.
 */
import assert from "node:assert/strict";
import { readDirectory, type ReadOptions } from "../../src/directory/readDirectory.ts";
import { DirectoryError } from "../../src/errors.ts";
import { memoryOutput } from "../support/output.ts";
import type { DirectoryRead, LdapConfig } from "../../src/types.ts";
import { ldapConfigFor } from "../support/config.ts";
import { Client } from "ldapts";
import { type Slapd, startSlapd } from "../support/slapd.ts";

const PASSWORD = "Very$ecret-pw";
const NO_FLAGS: ReadOptions = { ignoreReferral: false, localValidation: false };

const COLLIDE_LDIF = `dn: ou=collide,dc=example,dc=com
objectClass: organizationalUnit
ou: collide

dn: cn=J Doe 1,ou=collide,dc=example,dc=com
objectClass: inetOrgPerson
uid: jdoe
cn: J Doe 1
sn: Doe

dn: cn=J Doe 2,ou=collide,dc=example,dc=com
objectClass: inetOrgPerson
uid: JDoe
cn: J Doe 2
sn: Doe`;

/** An [ldap] config as loaded (a ca_file read), for this file's slapd. */
function config(s: Slapd, over: Partial<LdapConfig> = {}): LdapConfig {
  return ldapConfigFor(s, over);
}

function read(cfg: LdapConfig, options: ReadOptions = NO_FLAGS, timeouts: { op?: number } = {}) {
  return readDirectory(cfg, options, { output: memoryOutput(), operationTimeoutMs: timeouts.op });
}

/** The read must reject (so no partial list escapes) with a DirectoryError matching every pattern. */
async function rejects(p: Promise<DirectoryRead>, ...patterns: RegExp[]): Promise<string> {
  let message = "";
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DirectoryError, `expected DirectoryError, got ${e}`);
    message = e.message;
    for (const re of patterns) assert.match(e.message, re);
    assert.ok(!e.message.includes(PASSWORD), "the bind password leaked into the message");
    assert.doesNotMatch(e.message, /\n\s+at /, "a stack trace leaked into the message");
    return true;
  });
  return message;
}

Deno.test("readDirectory against slapd", async (t) => {
  const s = await startSlapd({
    syncPassword: PASSWORD,
    generatedUsers: 1200, // > the server's size limit of 500 for the sync account: only paging reads all
    users: [
      { uid: "jürgen", cn: "Jürgen Müller", displayName: "Jürgen Müller", mail: "jm@example.com" },
      { uid: "gul", cn: "Gül Öztürk", displayName: "Gül Öztürk 山田", mail: "gul@example.com" },
      { uid: "nomail", cn: "No Mail" },
      {
        uid: "multi",
        cn: "Multi",
        displayName: "Multi Mail",
        mail: ["first@example.com", "second@example.com"],
      },
      { rdn: "cn=No Uid", cn: "No Uid", mail: "nouid@example.com" },
      {
        uid: "blank",
        cn: "Blank",
        displayName: "Blank",
        mail: "blank@example.com",
        extra: { employeeNumber: " " },
      },
    ],
    extraLdif: COLLIDE_LDIF,
  });
  try {
    const few = "(|(uid=jürgen)(uid=gul)(uid=nomail)(uid=multi)(uid=blank)(cn=No Uid))";

    await t.step(
      "maps non-ASCII, multi-valued (first value), missing attributes, skips entries without uid",
      async () => {
        const r = await read(
          config(s, { filter: few, attrAlias: { alias1: "employeeNumber", alias2: "mail" } }),
        );
        assert.deepEqual(r.users.map((u) => u.username), ["blank", "gul", "jürgen", "multi", "nomail"]);
        const by = Object.fromEntries(r.users.map((u) => [u.username, u]));
        assert.equal(by["jürgen"].name, "Jürgen Müller");
        assert.equal(by["gul"].name, "Gül Öztürk 山田");
        assert.equal(by["multi"].email, "first@example.com");
        assert.equal(by["nomail"].name, undefined);
        assert.equal(by["nomail"].email, undefined);
        assert.equal(by["blank"].aliases.alias1, ""); // " " clears
        assert.equal(by["nomail"].aliases.alias1, undefined); // absent: leave alone
        assert.equal(by["multi"].aliases.alias2, "first@example.com");
        assert.equal(by["jürgen"].dn, "uid=jürgen,ou=people,dc=example,dc=com");
        assert.deepEqual(r.skippedNoUsername, ["cn=No Uid,ou=people,dc=example,dc=com"]);
        assert.deepEqual(r.referralsIgnored, []);
      },
    );

    await t.step("-n/-e defaults fill missing name and email", async () => {
      const r = await read(config(s, { filter: "(uid=nomail)" }), {
        ...NO_FLAGS,
        defaultName: "Someone",
        defaultEmail: "it@example.com",
      });
      assert.equal(r.users[0].name, "Someone");
      assert.equal(r.users[0].email, "it@example.com");
    });

    await t.step("-a fails on missing data, naming user and DN; passes with defaults", async () => {
      await rejects(
        read(config(s, { filter: few }), { ...NO_FLAGS, localValidation: true }),
        /Local validation \(-a\) failed: 1 user\(s\)/,
        /nomail: missing name \(displayName\) and email \(mail\) \(uid=nomail,ou=people,dc=example,dc=com\)/,
      );
      const r = await read(config(s, { filter: few }), {
        ...NO_FLAGS,
        localValidation: true,
        defaultName: "N",
        defaultEmail: "e@example.com",
      });
      assert.equal(r.users.length, 5);
    });

    await t.step("pages past the server's size limit (1200+ users, limit 500)", async () => {
      const r = await read(config(s, { filter: "(uid=user*)" }));
      assert.equal(r.users.length, 1200);
      assert.equal(r.users[0].username, "user000001");
      assert.equal(r.users[1199].username, "user001200");
      assert.equal(new Set(r.users.map((u) => u.username)).size, 1200);
      // The same search unpaged hits the server's limit: the read above only worked because it paged.
      const plain = new Client({ url: s.url });
      try {
        await plain.bind(s.bindDn, s.bindPassword);
        await assert.rejects(plain.search(s.peopleDn, { filter: "(uid=user*)", attributes: ["uid"] }), {
          code: 4,
        });
      } finally {
        await plain.unbind();
      }
    });

    await t.step("case-colliding usernames abort", async () => {
      await rejects(
        read(config(s, { baseDn: "ou=collide,dc=example,dc=com" })),
        /collide ignoring case/,
        /JDoe \(cn=J Doe 2,ou=collide,dc=example,dc=com\), jdoe \(cn=J Doe 1,ou=collide,dc=example,dc=com\)/,
      );
    });

    await t.step(
      "a reference that cannot be followed aborts, naming the URL; -i ignores, counts it",
      async () => {
        // The fixture's ou=remote refers to a host that never resolves (tests/directory/referrals_test.ts
        // covers following referrals).
        const cfg = config(s, { baseDn: s.baseDn, filter: "(|(uid=jürgen)(objectClass=referral))" });
        await rejects(
          read(cfg),
          /could not be followed/,
          new RegExp(s.referralUrl.replaceAll(".", "\\.").replaceAll("/", "\\/")),
          /-i \(--ignore-referral\)/,
          /3268/,
        );
        const r = await read(cfg, { ...NO_FLAGS, ignoreReferral: true });
        assert.deepEqual(r.users.map((u) => u.username), ["jürgen"]);
        assert.equal(r.referralsIgnored.length, 1);
        assert.match(r.referralsIgnored[0], /ou=remote,dc=other,dc=com/);
      },
    );

    await t.step("base_dn below a referral object → referral result, aborts even with -i", async () => {
      await rejects(
        read(config(s, { baseDn: s.referralDn }), { ...NO_FLAGS, ignoreReferral: true }),
        /not held by this server; it answered with a referral \(LDAP result 10\)/,
        /3269/,
      );
    });

    await t.step("LDAPS with the per-run CA via ca_file", async () => {
      const r = await read(
        config(s, { encryption: "ssl", port: s.ldapsPort, caFile: s.pki.caFile, filter: "(uid=jürgen)" }),
      );
      assert.equal(r.users[0].name, "Jürgen Müller");
    });

    await t.step("StartTLS with ca_file, to the IP and to localhost", async () => {
      for (const host of ["127.0.0.1", "localhost"]) {
        const r = await read(
          config(s, { host, encryption: "starttls", caFile: s.pki.caFile, filter: "(uid=gul)" }),
        );
        assert.equal(r.users[0].username, "gul");
      }
    });

    await t.step("untrusted server certificate → message mentions ca_file (LDAPS and StartTLS)", async () => {
      const cases: Partial<LdapConfig>[] = [
        { encryption: "ssl", port: s.ldapsPort, caFile: s.pki.otherCaFile },
        { encryption: "ssl", port: s.ldapsPort },
        { encryption: "starttls", caFile: s.pki.otherCaFile },
        { encryption: "starttls" },
      ];
      for (const c of cases) {
        const msg = await rejects(read(config(s, c)), /TLS certificate is not trusted/, /ca_file/);
        if (c.caFile) assert.ok(msg.includes(c.caFile), msg);
      }
    });

    await t.step("wrong password", async () => {
      await rejects(
        read(config(s, { bindPassword: PASSWORD + "x" })),
        /bind as "cn=sync,ou=system,dc=example,dc=com" failed: invalid credentials \(LDAP result 49\)/,
        /bind_password/,
      );
    });

    await t.step("closed port → connection refused naming host:port", async () => {
      const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (l.addr as Deno.NetAddr).port;
      l.close();
      await rejects(read(config(s, { port })), new RegExp(`127\\.0\\.0\\.1:${port}: connection refused`));
    });

    await t.step("bad, malformed base_dn; bad filter", async () => {
      await rejects(
        read(config(s, { baseDn: "ou=nowhere,dc=example,dc=com" })),
        /base_dn "ou=nowhere,dc=example,dc=com" does not exist \(LDAP result 32/,
      );
      await rejects(
        read(config(s, { baseDn: "not a dn" })),
        /base_dn "not a dn" is not a valid DN \(LDAP result 34/,
      );
    });

    await t.step("plain connection where the server wants TLS: ldaps port with encryption none", async () => {
      await rejects(
        read(config(s, { port: s.ldapsPort }), NO_FLAGS, { op: 2000 }),
        new RegExp(`:${s.ldapsPort}`),
      );
    });
  } finally {
    await s.stop();
  }
});

Deno.test("paged total limited for the sync account → size limit message", async () => {
  const s = await startSlapd({ syncPassword: PASSWORD, generatedUsers: 700, groups: 0, syncPagedTotal: 600 });
  try {
    const message = await rejects(
      read(config(s)),
      /size limit for bind_dn "cn=sync,ou=system,dc=example,dc=com" \(LDAP result 4, sizeLimitExceeded\)/,
      // slapd's RootDSE says OpenLDAP: its setting, not Active Directory's (src/directory/vendor.ts).
      /OpenLDAP: `limits dn\.exact="cn=sync,ou=system,dc=example,dc=com" size\.prtotal=unlimited`/,
    );
    assert.doesNotMatch(message, /Active Directory|MaxPageSize/);
  } finally {
    await s.stop();
  }
});

Deno.test("hostname mismatch: certificate only for ldap.invalid", async () => {
  const s = await startSlapd({ syncPassword: PASSWORD, san: "DNS:ldap.invalid" });
  try {
    for (
      const c of [{ encryption: "ssl", port: s.ldapsPort }, { encryption: "starttls" }] as Partial<
        LdapConfig
      >[]
    ) {
      await rejects(
        read(config(s, { ...c, caFile: s.pki.caFile })),
        /not valid for the name "127\.0\.0\.1"/,
        /ldap\.invalid/,
      );
    }
  } finally {
    await s.stop();
  }
});

Deno.test("a server that accepts but never answers → operation timeout", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of listener) held.push(c);
  })();
  try {
    const cfg: LdapConfig = {
      host: "127.0.0.1",
      port,
      encryption: "none",
      bindDn: "cn=sync,dc=x",
      bindPassword: PASSWORD,
      baseDn: "dc=x",
      filter: "(uid=*)",
      attrUsername: "uid",
      attrName: "cn",
      attrEmail: "mail",
      attrAlias: {},
      normalizeAlias: [],
    };
    const started = Date.now();
    await rejects(
      read(cfg, NO_FLAGS, { op: 300 }),
      new RegExp(
        `127\\.0\\.0\\.1:${port}: the server did not answer the bind within 300 ms \\(operation timeout\\)`,
      ),
    );
    assert.ok(Date.now() - started < 5000);
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const c of held) c.close();
  }
});
