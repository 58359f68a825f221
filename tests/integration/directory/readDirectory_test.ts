/**
 * readDirectory against real slapd instances (tests/support/slapd.ts): mapping of real entries, the
 * -n/-e/-a options, paging past the server's size limit, colliding usernames, referrals. TLS and
 * connection failures: ./readDirectoryFailures_test.ts.
 */
import assert from "node:assert/strict";
import { Client } from "ldapts";
import { startSlapd } from "../../support/slapd.ts";
import { config, NO_FLAGS, PASSWORD, read, rejects } from "../../support/directoryReading.ts";

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
        assert.deepEqual(r.withoutUsername, ["cn=No Uid,ou=people,dc=example,dc=com"]);
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
        // The fixture's ou=remote refers to a host that never resolves (tests/integration/directory/referrals_test.ts
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
  } finally {
    await s.stop();
  }
});
