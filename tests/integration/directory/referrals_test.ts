/**
 * Referrals followed by default, against two real slapd servers on loopback (tests/support/slapd.ts):
 * server A holds referral objects into server B's tree (and B into A's for loops). Continuation
 * references and referral results (LDAP result 10) are chased with the config's bind and encryption;
 * whatever cannot be chased fails the whole read, naming the URL and suggesting -i or the Global Catalog.
 */
import assert from "node:assert/strict";
import { readDirectory, type ReadOptions } from "../../../src/directory/readDirectory.ts";
import { MAX_REFERRAL_HOPS } from "../../../src/directory/referrals.ts";
import { DirectoryError } from "../../../src/errors.ts";
import type { DirectoryRead, LdapConfig } from "../../../src/types.ts";
import { deleteLdif, ouLdif, personLdif, referralLdif } from "../../support/ldif.ts";
import { memoryOutput } from "../../support/output.ts";
import { type Slapd, startSlapd } from "../../support/slapd.ts";
import { BASE_DN, PEOPLE_DN } from "../../support/slapdData.ts";

const FOLLOW: ReadOptions = { ignoreReferral: false, localValidation: false };
const IGNORE: ReadOptions = { ignoreReferral: true, localValidation: false };
const PASSWORD = "Shared$ecret-pw";

function config(s: Slapd, over: Partial<LdapConfig> = {}): LdapConfig {
  return {
    host: "127.0.0.1",
    port: s.port,
    encryption: "none",
    bindDn: s.bindDn,
    bindPassword: s.bindPassword,
    baseDn: PEOPLE_DN,
    filter: "(objectClass=inetOrgPerson)",
    attrUsername: "uid",
    attrName: "cn",
    attrEmail: "mail",
    attrAlias: {},
    normalizeAlias: [],
    ...over,
  };
}

const read = (cfg: LdapConfig, options = FOLLOW) =>
  readDirectory(cfg, options, { output: memoryOutput(), now: () => new Date() });
const names = (r: DirectoryRead) => r.users.map((u) => u.username);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The read must fail as a whole with a DirectoryError naming the URL and the two ways out. */
async function failsNaming(p: Promise<DirectoryRead>, url: string, ...more: RegExp[]): Promise<string> {
  let message = "";
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DirectoryError, `expected DirectoryError, got ${e}`);
    message = e.message;
    return true;
  });
  for (
    const re of [new RegExp(escape(url)), /-i \(--ignore-referral\)/, /3268/, /3269/, /nothing was synced/]
  ) {
    assert.match(message, re);
  }
  for (const re of more) assert.match(message, re);
  assert.ok(!message.includes(PASSWORD), "the bind password leaked");
  return message;
}

Deno.test("referrals between two slapd servers", async (t) => {
  const b = await startSlapd({
    syncPassword: PASSWORD,
    users: [{ uid: "bert", cn: "Bert" }, { uid: "bella", cn: "Bella" }, { uid: "shared", cn: "Shared" }],
    extraLdif: `dn: ou=staff,${BASE_DN}\nobjectClass: organizationalUnit\nou: staff`,
  });
  const a = await startSlapd({
    syncPassword: PASSWORD,
    users: [{ uid: "anna", cn: "Anna" }, { uid: "shared", cn: "Shared" }],
  });
  const at = (s: Slapd, dn: string, scheme = "ldap", port = s.port) => `${scheme}://127.0.0.1:${port}/${dn}`;
  try {
    await b.ldapModify(personLdif(`ou=staff,${BASE_DN}`, "stella"));
    // A's people: two references to the same server B, different subtrees — not a loop.
    await a.ldapModify(referralLdif(`ou=east,${PEOPLE_DN}`, at(b, PEOPLE_DN)));
    await a.ldapModify(referralLdif(`ou=west,${PEOPLE_DN}`, at(b, `ou=staff,${BASE_DN}`)));

    await t.step("continuation references: users of both servers, an entry on both once", async () => {
      const r = await read(config(a));
      assert.deepEqual(names(r), ["anna", "bella", "bert", "shared", "stella"]);
      assert.deepEqual(r.referralsFollowed.map((u) => u.replace(/\?\?sub$/, "")).sort(), [
        at(b, PEOPLE_DN),
        at(b, `ou=staff,${BASE_DN}`),
      ]);
      assert.deepEqual(r.referralsIgnored, []);
      assert.deepEqual(r.partitionsSkipped, []);
    });

    await t.step("-i keeps today's behaviour: references counted, not followed", async () => {
      const r = await read(config(a), IGNORE);
      assert.deepEqual(names(r), ["anna", "shared"]);
      assert.equal(r.referralsIgnored.length, 2);
      assert.deepEqual(r.referralsFollowed, []);
    });

    await t.step("base_dn on a referral object → referral result (LDAP result 10) is followed", async () => {
      const r = await read(config(a, { baseDn: `ou=east,${PEOPLE_DN}` }));
      assert.deepEqual(names(r), ["bella", "bert", "shared"]);
      assert.equal(r.referralsFollowed.length, 1);
      assert.match(r.referralsFollowed[0], new RegExp(`^${escape(at(b, PEOPLE_DN))}`));
    });

    await t.step("… and with -i it still aborts: base_dn itself is elsewhere", async () => {
      await assert.rejects(
        read(config(a, { baseDn: `ou=east,${PEOPLE_DN}` }), IGNORE),
        /not held by this server; it answered with a referral \(LDAP result 10\)/,
      );
    });

    await t.step("encryption = ssl: LDAPS to the referral's port, verified with ca_file", async () => {
      await a.ldapModify(ouLdif(`ou=tls,${BASE_DN}`));
      await a.ldapModify(referralLdif(`ou=b,ou=tls,${BASE_DN}`, at(b, PEOPLE_DN, "ldaps", b.ldapsPort)));
      const both = a.pki.caPem + b.pki.caPem;
      const ssl = { encryption: "ssl", port: a.ldapsPort, baseDn: `ou=tls,${BASE_DN}`, caPem: both } as const;
      const r = await read(config(a, ssl));
      assert.deepEqual(names(r), ["bella", "bert", "shared"]);
      // B's certificate is checked against ca_file: with only A's CA the chase fails, naming the URL.
      const url = at(b, PEOPLE_DN, "ldaps", b.ldapsPort);
      await failsNaming(read(config(a, { ...ssl, caPem: a.pki.caPem })), url, /not trusted/);
    });

    await t.step("the URL's scheme never chooses the encryption", async () => {
      // ldap:// URL naming B's LDAPS port, config ssl → LDAPS (works); ldaps:// URL naming B's plain
      // port, config startTLS → StartTLS on it (works): the config decides, never the URL.
      await a.ldapModify(ouLdif(`ou=mix,${BASE_DN}`));
      await a.ldapModify(referralLdif(`ou=b,ou=mix,${BASE_DN}`, at(b, PEOPLE_DN, "ldap", b.ldapsPort)));
      const caPem = a.pki.caPem + b.pki.caPem;
      const base = `ou=mix,${BASE_DN}`;
      const r = await read(config(a, { encryption: "ssl", port: a.ldapsPort, baseDn: base, caPem }));
      assert.deepEqual(names(r), ["bella", "bert", "shared"]);
      await a.ldapModify(deleteLdif(`ou=b,ou=mix,${BASE_DN}`));
      await a.ldapModify(referralLdif(`ou=b,ou=mix,${BASE_DN}`, at(b, PEOPLE_DN, "ldaps", b.port)));
      const s = await read(config(a, { encryption: "starttls", baseDn: base, caPem }));
      assert.deepEqual(names(s), ["bella", "bert", "shared"]);
    });

    await t.step("a loop along the chain fails the read", async () => {
      await a.ldapModify(ouLdif(`ou=loop,${BASE_DN}`));
      await b.ldapModify(ouLdif(`ou=loop,${BASE_DN}`));
      await a.ldapModify(referralLdif(`ou=toB,ou=loop,${BASE_DN}`, at(b, `ou=loop,${BASE_DN}`)));
      await b.ldapModify(referralLdif(`ou=toA,ou=loop,${BASE_DN}`, at(a, `ou=loop,${BASE_DN}`)));
      await failsNaming(
        read(config(a, { baseDn: `ou=loop,${BASE_DN}` })),
        at(a, `ou=loop,${BASE_DN}`),
        /referral loop/,
        /Reached from: 127\.0\.0\.1:\d+ base_dn "ou=loop,dc=example,dc=com" → ldap:\/\/127\.0\.0\.1/,
      );
    });

    await t.step(`more than ${MAX_REFERRAL_HOPS} referrals in a row fail the read (hop limit)`, async () => {
      // ou=hop0 on A → ou=hop1 on B → ou=hop2 on A → … : a chain without a loop.
      const last = MAX_REFERRAL_HOPS + 1;
      for (let i = 0; i <= last; i++) {
        const [here, there] = i % 2 === 0 ? [a, b] : [b, a];
        const dn = `ou=hop${i},${BASE_DN}`;
        await here.ldapModify(ouLdif(dn));
        await here.ldapModify(personLdif(dn, `hopper${i}`));
        if (i < last) {
          await here.ldapModify(referralLdif(`ou=next,${dn}`, at(there, `ou=hop${i + 1},${BASE_DN}`)));
        }
      }
      await failsNaming(
        read(config(a, { baseDn: `ou=hop0,${BASE_DN}` })),
        at(b, `ou=hop${last},${BASE_DN}`),
        new RegExp(`at most ${MAX_REFERRAL_HOPS} are followed \\(hop limit\\)`),
      );
      // Ten hops are fine: start one further down the chain.
      const r = await read(config(b, { baseDn: `ou=hop1,${BASE_DN}` }));
      assert.equal(r.users.length, MAX_REFERRAL_HOPS + 1);
      assert.equal(r.referralsFollowed.length, MAX_REFERRAL_HOPS);
    });

    await t.step("an unreachable target (connection refused) fails the read, naming the URL", async () => {
      const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const closed = (l.addr as Deno.NetAddr).port;
      l.close();
      await a.ldapModify(ouLdif(`ou=gone,${BASE_DN}`));
      await a.ldapModify(personLdif(`ou=gone,${BASE_DN}`, "kept"));
      await a.ldapModify(referralLdif(`ou=x,ou=gone,${BASE_DN}`, `ldap://127.0.0.1:${closed}/${PEOPLE_DN}`));
      const cfg = config(a, { baseDn: `ou=gone,${BASE_DN}` });
      await failsNaming(read(cfg), `ldap://127.0.0.1:${closed}/${PEOPLE_DN}`, /connection refused/);
      assert.deepEqual(names(await read(cfg, IGNORE)), ["kept"]);
    });
  } finally {
    await a.stop();
    await b.stop();
  }
});

Deno.test("a referral whose host does not resolve: clear failure; with -i the read succeeds", async () => {
  // The fixture's own ou=remote references ldap.no-such-host.invalid (RFC 6761 §6.4: never resolves),
  // trusted here through referral_hosts (by default a name is not trusted from an address).
  const s = await startSlapd({ syncPassword: PASSWORD, users: [{ uid: "ulla", cn: "Ulla" }] });
  try {
    const cfg = config(s, { baseDn: BASE_DN, referralHosts: ["ldap.no-such-host.invalid"] });
    const message = await failsNaming(read(cfg), s.referralUrl, /could not be resolved/);
    assert.doesNotMatch(message, /Check host in \[ldap\]/, "the host came from the referral, not [ldap]");
    const r = await read(cfg, IGNORE);
    assert.deepEqual(names(r), ["ulla"]);
    assert.deepEqual(r.referralsIgnored.map((u) => u.replace(/\?\?\w+$/, "")), [s.referralUrl]);
  } finally {
    await s.stop();
  }
});

Deno.test("a referral to a server that refuses the bind fails the read (the chase always binds)", async () => {
  const other = await startSlapd({ syncPassword: "a-different-pw", users: [{ uid: "olaf", cn: "Olaf" }] });
  const s = await startSlapd({ syncPassword: PASSWORD, users: [{ uid: "ulla", cn: "Ulla" }] });
  try {
    const url = `ldap://127.0.0.1:${other.port}/${PEOPLE_DN}`;
    await s.ldapModify(referralLdif(`ou=other,${PEOPLE_DN}`, url));
    await failsNaming(read(config(s)), url, /invalid credentials \(LDAP result 49\)/);
  } finally {
    await s.stop();
    await other.stop();
  }
});

Deno.test("a referral's certificate is checked against the referral's host name", async () => {
  const c = await startSlapd({ syncPassword: PASSWORD, san: "DNS:ldap.invalid", users: [{ uid: "carl" }] });
  const s = await startSlapd({ syncPassword: PASSWORD, users: [{ uid: "ulla", cn: "Ulla" }] });
  try {
    const url = `ldaps://127.0.0.1:${c.ldapsPort}/${PEOPLE_DN}`;
    await s.ldapModify(referralLdif(`ou=c,${PEOPLE_DN}`, url));
    const cfg = config(s, {
      encryption: "ssl",
      port: s.ldapsPort,
      caPem: s.pki.caPem + c.pki.caPem,
      referralHosts: ["localhost"],
    });
    await failsNaming(read(cfg), url, /not valid for the name "127\.0\.0\.1"/, /ldap\.invalid/);
    // By name: "localhost" is on s's own certificate, so a referral back to it by that name verifies.
    await s.ldapModify(deleteLdif(`ou=c,${PEOPLE_DN}`));
    await s.ldapModify(ouLdif(`ou=other,${BASE_DN}`));
    await s.ldapModify(personLdif(`ou=other,${BASE_DN}`, "otto"));
    await s.ldapModify(
      referralLdif(`ou=l,${PEOPLE_DN}`, `ldaps://localhost:${s.ldapsPort}/ou=other,${BASE_DN}`),
    );
    assert.deepEqual(names(await read(cfg)), ["otto", "ulla"]);
  } finally {
    await s.stop();
    await c.stop();
  }
});

/**
 * The attack of issue 21 (item 3): whoever may create a referral object in the directory names a server
 * of their own, and the chase bound there with bind_dn and bind_password (in clear with encryption none).
 * 127.0.1.5 is loopback too, but outside 127.0.0.1's /24: "another host" without name resolution.
 */
Deno.test("a referral to a host outside the trust never receives the bind; referral_hosts admits it", async (t) => {
  const OTHER = "127.0.1.5";
  // A capture where the referral points: what a hostile server would receive.
  const capture = Deno.listen({ hostname: OTHER, port: 0 });
  const capturePort = (capture.addr as Deno.NetAddr).port;
  const received: Uint8Array[] = [];
  const serving = (async () => {
    for await (const conn of capture) {
      const buf = new Uint8Array(4096);
      const n = await conn.read(buf).catch(() => null);
      if (n) received.push(buf.slice(0, n));
      conn.close();
    }
  })();
  const b = await startSlapd({
    syncPassword: PASSWORD,
    listenHost: OTHER,
    users: [{ uid: "bea", cn: "Bea" }],
  });
  const s = await startSlapd({ syncPassword: PASSWORD, users: [{ uid: "ulla", cn: "Ulla" }] });
  try {
    await t.step(
      "an untrusted host: the read fails before connecting, naming the URL and referral_hosts",
      async () => {
        const url = `ldap://${OTHER}:${capturePort}/${PEOPLE_DN}`;
        await s.ldapModify(referralLdif(`ou=evil,${PEOPLE_DN}`, url));
        const message = await failsNaming(read(config(s)), url);
        const sent = new TextDecoder().decode(Uint8Array.from(received.flatMap((b) => [...b])));
        assert.ok(!sent.includes(PASSWORD), "the bind password reached the referral's host");
        assert.deepEqual(received, [], "nothing was sent to the referral's host");
        assert.match(
          message,
          /Its server 127\.0\.1\.5 is not one the bind credentials may go to \(the \/24 of host in \[ldap\] \(127\.0\.0\.1\)\)/,
        );
        assert.match(message, /add it to referral_hosts in \[ldap\]/);
        // -i still ignores referrals: the rest of the read is used, nothing sent there either.
        assert.deepEqual(names(await read(config(s), IGNORE)), ["ulla"]);
        assert.deepEqual(received, []);
        await s.ldapModify(deleteLdif(`ou=evil,${PEOPLE_DN}`));
      },
    );

    await t.step(
      "a server of the directory on another host: followed once referral_hosts lists it",
      async () => {
        const url = `ldap://${OTHER}:${b.port}/${PEOPLE_DN}`;
        await s.ldapModify(referralLdif(`ou=b,${PEOPLE_DN}`, url));
        await failsNaming(read(config(s)), url, /referral_hosts/);
        for (const listed of [OTHER, "127.0.1.0/24", `${OTHER}, *.corp.example.com`]) {
          const r = await read(config(s, { referralHosts: listed.split(",").map((x) => x.trim()) }));
          assert.deepEqual(names(r), ["bea", "ulla"], listed);
          assert.deepEqual(r.referralsFollowed.map((u) => u.replace(/\?\?\w+$/, "")), [url]);
        }
      },
    );
  } finally {
    capture.close();
    await serving;
    await s.stop();
    await b.stop();
  }
});
