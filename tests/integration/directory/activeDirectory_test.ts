/**
 * Active Directory behaviour, against a real Samba AD DC (tests/support/samba.ts): the bind name forms AD
 * accepts, "strong authentication required" on plain LDAP, AD's error text for a wrong password, memberOf
 * and in-chain group filters, the continuation references AD returns from the domain root (its partitions
 * without users: skipped and counted; -i: ignored), LDAPS / StartTLS / Global Catalog ports, and the
 * anchor (objectGUID as AD's own text; kept by a sAMAccountName change, new after a delete and re-create). One DC serves every step (provisioning
 * costs ~8 s).
 */
import assert from "node:assert/strict";
import { Attribute, BerWriter, Change, Client, Control } from "ldapts";
import { readDirectory, type ReadOptions } from "../../../src/directory/readDirectory.ts";
import { readVendor } from "../../../src/directory/rootDse.ts";
import { DirectoryError } from "../../../src/errors.ts";
import { memoryOutput } from "../../support/output.ts";
import type { LdapConfig } from "../../../src/types.ts";
import { startEmulator } from "../../../emulator/mod.ts";
import { runCli } from "../../support/cli.ts";
import { type SambaAd, startSambaAd } from "../../support/samba.ts";

const NO_FLAGS: ReadOptions = { ignoreReferral: false, localValidation: false };
const IGNORE_REFERRALS: ReadOptions = { ignoreReferral: true, localValidation: false };

function adConfig(ad: SambaAd, over: Partial<LdapConfig> = {}): LdapConfig {
  return {
    host: "127.0.0.1",
    port: 636,
    encryption: "ssl",
    bindDn: ad.adminUpn,
    bindPassword: ad.adminPassword,
    baseDn: "CN=Users,DC=example,DC=com",
    filter: `(&(objectCategory=person)(objectClass=user)(memberOf=${ad.syncGroupDn}))`,
    attrUsername: "sAMAccountName",
    attrName: "displayName",
    attrEmail: "mail",
    attrAlias: { alias1: "userPrincipalName" },
    attrPhone: "telephoneNumber",
    normalizeAlias: ["alias1"],
    caFile: ad.pki.caFile,
    caPem: ad.pki.caPem,
    ...over,
  };
}

const read = (cfg: LdapConfig, options = NO_FLAGS) =>
  readDirectory(cfg, options, { output: memoryOutput(), now: () => new Date() });

async function failure(cfg: LdapConfig, options = NO_FLAGS): Promise<string> {
  let message = "";
  await assert.rejects(read(cfg, options), (e: unknown) => {
    assert.ok(e instanceof DirectoryError, `expected DirectoryError, got ${e}`);
    message = e.message;
    return true;
  });
  assert.ok(!message.includes("Passw0rd!Lab"), `password leaked: ${message}`);
  return message;
}

Deno.test("Active Directory (Samba AD DC)", async (t) => {
  const ad = await startSambaAd();
  try {
    await t.step(
      "LDAPS with a UPN bind reads the group's members, mapped like AD admins expect",
      async () => {
        const result = await read(adConfig(ad));
        assert.deepEqual(result.users.map((u) => u.username), ["alice", "bob", "carol"]);
        const alice = result.users[0];
        assert.equal(alice.name, "Alice Anderson"); // samba-tool sets displayName from given name + surname
        assert.equal(alice.email, "alice@example.com");
        assert.equal(alice.phone, "+49 30 1111");
        assert.equal(alice.aliases.alias1, "alice"); // alice@example.com normalized
        assert.equal(result.users[2].email, undefined, "carol has no mail attribute");
        assert.deepEqual(result.referralsIgnored, []);
      },
    );

    await t.step("RootDSE: recognised as Samba AD (AD's capability OID, vendorName Samba)", async () => {
      const client = new Client({ url: "ldap://127.0.0.1:389", timeout: 5000 });
      try {
        const vendor = await readVendor(client);
        assert.equal(vendor.id, "samba", JSON.stringify(vendor));
      } finally {
        await client.unbind().catch(() => {});
      }
    });

    await t.step("DOMAIN\\user bind and StartTLS on 389 work too", async () => {
      const result = await read(
        adConfig(ad, { bindDn: "EXAMPLE\\Administrator", port: 389, encryption: "starttls" }),
      );
      assert.equal(result.users.length, 3);
    });

    await t.step("nested-group (in-chain) filter works", async () => {
      const filter = `(&(objectClass=user)(memberOf:1.2.840.113556.1.4.1941:=${ad.syncGroupDn}))`;
      const result = await read(adConfig(ad, { filter }));
      assert.deepEqual(result.users.map((u) => u.username), ["alice", "bob", "carol"]);
    });

    await t.step("plain LDAP is refused by AD: the message says to use ssl or startTLS", async () => {
      const message = await failure(adConfig(ad, { port: 389, encryption: "none" }));
      assert.match(message, /ssl|startTLS/i);
      assert.match(message, /127\.0\.0\.1:389/);
    });

    await t.step("wrong password: AD's reason code is shown", async () => {
      const message = await failure(adConfig(ad, { bindPassword: "wrong-Passw0rd" }));
      assert.match(message, /credentials/i);
      assert.match(message, /52e/);
      assert.ok(!message.includes("wrong-Passw0rd"));
    });

    await t.step(
      "from the domain root: the three partition references are skipped and counted, no -i needed",
      async () => {
        const result = await read(adConfig(ad, { baseDn: ad.baseDn }));
        assert.deepEqual(result.users.map((u) => u.username), ["alice", "bob", "carol"]);
        // Samba names the bare domain as host (ldaps://example.com/…), which does not resolve here:
        // had any been chased, the read would have failed.
        assert.deepEqual(result.partitionsSkipped.map((u) => u.replace(/^ldaps?:\/\/[^/]*\//, "")), [
          "CN=Configuration,DC=example,DC=com",
          "DC=DomainDnsZones,DC=example,DC=com",
          "DC=ForestDnsZones,DC=example,DC=com",
        ]);
        assert.deepEqual(result.referralsFollowed, []);
        assert.deepEqual(result.referralsIgnored, []);
      },
    );

    await t.step("with -i the references are ignored and counted, the users read", async () => {
      const result = await read(adConfig(ad, { baseDn: ad.baseDn }), IGNORE_REFERRALS);
      assert.deepEqual(result.users.map((u) => u.username), ["alice", "bob", "carol"]);
      assert.equal(result.referralsIgnored.length, 3);
      assert.ok(result.referralsIgnored.some((u) => u.includes("CN=Configuration")));
    });

    await t.step("the Global Catalog over TLS (3269) reads the domain root without references", async () => {
      const result = await read(adConfig(ad, { baseDn: ad.baseDn, port: 3269 }));
      assert.equal(result.users.length, 3);
      assert.deepEqual(result.referralsIgnored, []);
    });

    await t.step("a base DN that does not exist: AD's text is turned into a base_dn message", async () => {
      const message = await failure(adConfig(ad, { baseDn: "OU=Nowhere,DC=example,DC=com" }));
      assert.match(message, /base_dn/);
      assert.match(message, /OU=Nowhere/);
    });

    await t.step("the real CLI: -d against AD prints the original's exact users table", async () => {
      const emu = await startEmulator({ tls: { cert: ad.pki.serverCertPem, key: ad.pki.serverKeyPem } });
      const dir = await Deno.makeTempDir({ prefix: "logintc-ad-cli-" });
      try {
        const write = (path: string, baseDn: string) =>
          Deno.writeTextFile(
            path,
            [
              "[logintc]",
              `host = ${emu.host}`,
              `api_key = ${emu.apiKey}`,
              `domain_id = ${emu.domainId}`,
              `ca_file = ${ad.pki.caFile}`,
              "",
              "[LDAP]", // section and key names are case-insensitive
              "host = 127.0.0.1:636",
              "encryption = SSL",
              `ca_file = ${ad.pki.caFile}`,
              `bind_dn = ${ad.adminUpn}`,
              `bind_password = ${ad.adminPassword}`,
              `base_dn = ${baseDn}`,
              `filter = (memberof=${ad.syncGroupDn})`,
              "attr_username = sAMAccountName",
              "attr_name = displayName",
              "attr_email = mail",
              "",
            ].join("\r\n"), // as Notepad saves it
            { mode: 0o600 },
          );
        const config = `${dir}/config.cfg`;
        await write(config, "CN=Users,DC=example,DC=com");
        const r = await runCli(["-d", "-e", "helpdesk@example.com", config]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, "");
        assert.ok(!r.stdout.includes(ad.adminPassword));
        assert.equal(
          r.stdout.split("\n").slice(0, 9).join("\n"),
          [
            "Fetching users...",
            "Fetched 3 user(s)",
            "+----------+----------------+----------------------+",
            "| Username | Name           | Email                |",
            "+----------+----------------+----------------------+",
            "| alice    | Alice Anderson | alice@example.com    |",
            "| bob      | Bob Brown      | bob@example.com      |",
            "| carol    | Carol Clark    | helpdesk@example.com |",
            "+----------+----------------+----------------------+",
          ].join("\n"),
        );
        assert.match(r.stdout, /^Plan: 3 to create, 0 to update, 3 to add to domain, 0 to remove$/m);
        assert.ok(emu.requests.every((q) => q.method === "GET"), "a dry run only reads LoginTC");

        // base_dn at the domain root, as AD admins usually set it: works without -i, says what it skipped.
        const root = `${dir}/root.cfg`;
        await write(root, ad.baseDn);
        const rr = await runCli(["-d", "-e", "helpdesk@example.com", root]);
        assert.equal(rr.code, 0, rr.stderr);
        const lines = rr.stdout.split("\n");
        const skipped = lines.indexOf(
          "Skipped 3 reference(s) to AD partitions without users (DomainDnsZones, ForestDnsZones, Configuration)",
        );
        assert.equal(skipped, 9, rr.stdout); // right after the 3-user table
        assert.match(lines[skipped + 1], /^Plan: 3 to create/);

        // --doctor against AD at the domain root: the vendor from the RootDSE, paged results, the
        // filter's matches and the partition references counted, reads only.
        const before = emu.requests.length;
        const doc = await runCli(["--doctor", "-e", "helpdesk@example.com", root]);
        assert.equal(doc.code, 0, doc.stdout);
        assert.match(doc.stdout, /^ok +ldap\.bind +bound as /m);
        assert.match(doc.stdout, /^ok +ldap\.rootdse +Samba AD.*; paged results supported$/m);
        assert.match(doc.stdout, /^ok +ldap\.filter +3 entries match .*, and 3 referral\(s\)$/m);
        assert.match(doc.stdout, /^ok +ldap\.sample +3 of 3 sampled user\(s\) complete$/m);
        assert.match(
          doc.stdout,
          /^ok +ldap\.anchor +objectGUID \(the anchor of Samba AD\): read on 3 of 3 sampled user\(s\)$/m,
        );
        assert.ok(emu.requests.slice(before).every((q) => q.method === "GET"), "--doctor only reads LoginTC");
      } finally {
        await emu.close();
        await Deno.remove(dir, { recursive: true });
      }
    });

    // Last: it disables bob and expires carol for good.
    await t.step(
      "disabled accounts: userAccountControl 514, accountExpires in the past; the CLI's plan",
      async () => {
        const admin = new Client({
          url: "ldaps://127.0.0.1:636",
          tlsOptions: { ca: [ad.pki.caPem] },
          timeout: 5000,
        });
        /** accountExpires for a date: 100-ns intervals since 1601-01-01 UTC. */
        const filetime = (iso: string) =>
          (BigInt(Date.parse(iso)) * 10_000n + 116_444_736_000_000_000n).toString();
        const dnOf = new Map((await read(adConfig(ad))).users.map((u) => [u.username, u.dn]));
        try {
          await admin.bind(ad.adminUpn, ad.adminPassword);
          const set = (user: string, type: string, value: string) =>
            admin.modify(dnOf.get(user)!, [
              new Change({ operation: "replace", modification: new Attribute({ type, values: [value] }) }),
            ]);
          await set("bob", "userAccountControl", "514"); // NORMAL_ACCOUNT | ACCOUNTDISABLE
          await set("carol", "accountExpires", filetime("2026-01-01T00:00:00Z"));
          await set("alice", "accountExpires", filetime("2099-01-01T00:00:00Z"));
        } finally {
          await admin.unbind().catch(() => {});
        }
        const disabled = async (at: string) => {
          const r = await readDirectory(adConfig(ad), NO_FLAGS, {
            output: memoryOutput(),
            now: () => new Date(at),
          });
          return Object.fromEntries(r.users.map((u) => [u.username, u.disabled ?? null]));
        };
        assert.deepEqual(await disabled("2026-03-01T00:00:00Z"), {
          alice: null,
          bob: "userAccountControl: account disabled",
          carol: "accountExpires: expired 2026-01-01",
        });
        // The clock decides accountExpires: the day before, carol was not expired yet.
        assert.equal((await disabled("2025-12-31T23:59:59Z")).carol, null);
        // disabled_filter with AD's bitwise matching rule, evaluated by the DC itself; alice only by it.
        const r = await readDirectory(
          adConfig(ad),
          { ...NO_FLAGS, disabledFilter: "(|(userAccountControl:1.2.840.113556.1.4.803:=2)(sn=Anderson))" },
          { output: memoryOutput(), now: () => new Date("2026-03-01T00:00:00Z") },
        );
        assert.deepEqual(r.users.map((u) => [u.username, u.disabled]), [
          ["alice", "disabled_filter"],
          ["bob", "userAccountControl: account disabled"],
          ["carol", "accountExpires: expired 2026-01-01"],
        ]);

        // The real CLI (real clock): include (no [sync]) counts them; exclude revokes their tokens.
        const emu = await startEmulator({ tls: { cert: ad.pki.serverCertPem, key: ad.pki.serverKeyPem } });
        const dir = await Deno.makeTempDir({ prefix: "logintc-ad-disabled-" });
        try {
          for (
            const [u, name] of [["alice", "Alice Anderson"], ["bob", "Bob Brown"], ["carol", "Carol Clark"]]
          ) {
            emu.seedUser({ username: u, name, email: `${u}@example.com`, token: "active" });
          }
          const write = async (name: string, sync: string[]) => {
            const path = `${dir}/${name}`;
            await Deno.writeTextFile(
              path,
              [
                "[logintc]",
                `host = ${emu.host}`,
                `api_key = ${emu.apiKey}`,
                `domain_id = ${emu.domainId}`,
                `ca_file = ${ad.pki.caFile}`,
                "[ldap]",
                "host = 127.0.0.1:636",
                "encryption = ssl",
                `ca_file = ${ad.pki.caFile}`,
                `bind_dn = ${ad.adminUpn}`,
                `bind_password = ${ad.adminPassword}`,
                "base_dn = CN=Users,DC=example,DC=com",
                `filter = (memberof=${ad.syncGroupDn})`,
                "attr_username = sAMAccountName",
                "attr_name = displayName",
                "attr_email = mail",
                ...sync,
                "",
              ].join("\n"),
              { mode: 0o600 },
            );
            return path;
          };
          const include = await write("include.cfg", []);
          const exclude = await write("exclude.cfg", ["[sync]", "disabled_users = exclude"]);
          const args = ["-m", "remove", "-r", "2"];
          const counted =
            "2 user(s) are disabled in the directory and keep their tokens (disabled_users = include): " +
            "bob (userAccountControl: account disabled), carol (accountExpires: expired 2026-01-01).";

          const dry = await runCli(["-d", ...args, include]);
          assert.equal(dry.code, 0, dry.stderr);
          assert.ok(dry.stdout.split("\n").includes(counted), dry.stdout);
          assert.match(dry.stdout, /^Nothing to do: LoginTC is in sync with the directory\.$/m);

          const plan = await runCli(["-d", ...args, exclude]);
          assert.equal(plan.code, 0, plan.stderr);
          assert.match(plan.stdout, /^Plan: 0 to create, 0 to update, 0 to add to domain, 2 to remove$/m);
          assert.match(
            plan.stdout,
            /^\| bob +\| remove from domain \| disabled in the directory \(userAccountControl: account disabled\); token revoked +\|$/m,
          );
          assert.match(
            plan.stdout,
            /^\| carol +\| remove from domain \| disabled in the directory \(accountExpires: expired 2026-01-01\); token revoked +\|$/m,
          );
          const sync = await runCli([...args, exclude]);
          assert.equal(sync.code, 0, sync.stdout + sync.stderr);
          assert.deepEqual(emu.members().map((u) => u.username), ["alice"]);
          const after = await runCli(["-d", ...args, exclude]);
          assert.equal(after.code, 0, after.stderr);
          assert.match(after.stdout, /^Nothing to do: LoginTC is in sync with the directory\.$/m);
          assert.match(
            after.stdout,
            /^2 user\(s\) are disabled in the directory and are treated as not in it/m,
          );

          // --doctor counts them, with the setting's consequence.
          const doc = await runCli(["--doctor", include]);
          assert.match(
            doc.stdout,
            /^warn +ldap\.disabled +2 user\(s\) are disabled in the directory and keep their tokens \(disabled_users = include; checked: userAccountControl ACCOUNTDISABLE \(0x2\), accountExpires\)$/m,
          );
          assert.match(doc.stdout, /^ +bob: userAccountControl: account disabled$/m);
          const docEx = await runCli(["--doctor", exclude]);
          assert.match(
            docEx.stdout,
            /^ok +ldap\.disabled +2 user\(s\) are disabled in the directory and are treated as not in it/m,
          );
        } finally {
          await emu.close();
          await Deno.remove(dir, { recursive: true });
        }
      },
    );

    // After the disabled accounts' step: it renames and re-creates users the steps above read.
    await t.step(
      "anchor: objectGUID as AD shows it; kept by a sAMAccountName change, new after delete + re-create",
      async () => {
        const admin = new Client({
          url: "ldaps://127.0.0.1:636",
          tlsOptions: { ca: [ad.pki.caPem] },
          timeout: 5000,
        });
        try {
          await admin.bind(ad.adminUpn, ad.adminPassword);
          const cfg = adConfig(ad, {
            filter:
              "(&(objectCategory=person)(objectClass=user)(|(sAMAccountName=ali*)(sAMAccountName=bob)))",
          });
          const anchors = async () => {
            const r = await read(cfg);
            assert.equal(r.anchorAttribute, "objectGUID");
            return new Map(r.users.map((u) => [u.username, u.anchor] as const));
          };
          const first = await anchors();
          // The server's own text for each GUID: the extended DN control ([MS-ADTS] §3.1.1.3.4.1.5, flag 1:
          // "standard string format") puts <GUID=…> in front of each entry's DN.
          const shown = await admin.search(
            cfg.baseDn,
            { filter: cfg.filter, attributes: ["sAMAccountName"] },
            new ExtendedDn(),
          );
          const byServer = new Map(shown.searchEntries.map((e) => [
            String(e.sAMAccountName),
            /^<GUID=([0-9a-f-]{36})>/i.exec(e.dn)?.[1]?.toLowerCase(),
          ]));
          assert.deepEqual([...first.keys()], ["alice", "bob"]);
          for (const [name, anchor] of first) assert.equal(anchor, byServer.get(name), name);

          const alice = shown.searchEntries.find((e) => String(e.sAMAccountName) === "alice")!.dn.replace(
            /^(<[^>]*>;)*/,
            "",
          );
          await admin.modify(
            alice,
            new Change({
              operation: "replace",
              modification: new Attribute({ type: "sAMAccountName", values: ["alicia"] }),
            }),
          );
          const renamed = await anchors();
          assert.equal(renamed.get("alicia"), first.get("alice"));
          assert.equal(renamed.has("alice"), false);

          await admin.del("CN=Bob Brown,CN=Users,DC=example,DC=com");
          await admin.add("CN=Bob Again,CN=Users,DC=example,DC=com", {
            objectClass: ["top", "person", "organizationalPerson", "user"],
            sAMAccountName: "bob",
            mail: "bob2@example.com",
          });
          const recreated = await anchors();
          assert.match(
            recreated.get("bob") ?? "",
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
          );
          assert.notEqual(recreated.get("bob"), first.get("bob"));
        } finally {
          await admin.unbind().catch(() => {});
        }
      },
    );
  } finally {
    await ad.stop();
  }
});

/** The extended DN control ([MS-ADTS] §3.1.1.3.4.1.5) asking for the standard string form (flag 1). */
class ExtendedDn extends Control {
  constructor() {
    super("1.2.840.113556.1.4.529");
  }
  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    value.startSequence();
    value.writeInt(1);
    value.endSequence();
    writer.writeBuffer(value.buffer, 4);
  }
}
