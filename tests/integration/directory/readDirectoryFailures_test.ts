/**
 * readDirectory against real slapd instances when the link fails: TLS (LDAPS, StartTLS, trust,
 * hostname), bind, port, base_dn, a size limit, a silent server. Each must throw a DirectoryError with
 * an actionable message, never a partial list, never the password.
 */
import assert from "node:assert/strict";
import type { LdapConfig } from "../../../src/types.ts";
import { startSlapd } from "../../support/slapd.ts";
import { config, NO_FLAGS, PASSWORD, read, rejects } from "../../support/directoryReading.ts";

Deno.test("readDirectory against slapd: TLS, bind, port and base_dn", async (t) => {
  const s = await startSlapd({
    syncPassword: PASSWORD,
    users: [
      { uid: "jürgen", cn: "Jürgen Müller", displayName: "Jürgen Müller", mail: "jm@example.com" },
      { uid: "gul", cn: "Gül Öztürk", displayName: "Gül Öztürk 山田", mail: "gul@example.com" },
    ],
  });
  try {
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
