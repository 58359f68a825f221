/**
 * readDirectory against a real 389 Directory Server (tests/support/ds389.ts): it reads (paged,
 * Unicode), its RootDSE says 389, a locked user is read as disabled, and its limits and locked
 * accounts get 389's settings in the message (src/directory/vendor.ts), with the server's own text, and never another vendor's advice.
 * Its anchor (nsUniqueId) survives a rename and is new after a delete and re-create. One instance for
 * the file (~9 s to create); each step sets the sync account's limits it needs.
 */
import assert from "node:assert/strict";
import { Client } from "ldapts";
import { PAGE_SIZE, readDirectory, type ReadOptions } from "../../../src/directory/readDirectory.ts";
import { readVendor } from "../../../src/directory/rootDse.ts";
import { DirectoryError } from "../../../src/errors.ts";
import type { LdapConfig } from "../../../src/types.ts";
import { ldapConfigFor } from "../../support/config.ts";
import { type Ds389, startDs389 } from "../../support/ds389.ts";
import { memoryOutput } from "../../support/output.ts";

const NO_FLAGS: ReadOptions = { ignoreReferral: false, localValidation: false };
const USERS = 150;

function config(ds: Ds389): LdapConfig {
  return ldapConfigFor(ds);
}

async function failure(ds: Ds389): Promise<string> {
  const e = await readDirectory(config(ds), NO_FLAGS, { output: memoryOutput(), now: () => new Date() }).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(e instanceof DirectoryError, `expected a DirectoryError, got ${e}`);
  assert.ok(!e.message.includes(ds.bindPassword));
  return e.message;
}

/** Sets (or with value undefined, removes) one operational attribute of the sync account. */
function setOnSync(ds: Ds389, attr: string, value: string | undefined): Promise<void> {
  return ds.modify(
    [
      `dn: ${ds.bindDn}`,
      "changetype: modify",
      `replace: ${attr}`,
      ...(value === undefined ? [] : [`${attr}: ${value}`]),
    ]
      .join("\n") + "\n",
  );
}

Deno.test("389 Directory Server: read, vendor, and 389's own settings in limit and lock messages", async (t) => {
  // (389's 7-bit check plugin refuses non-ASCII uid values by default, so the Unicode is in the name.)
  const ds = await startDs389({
    generatedUsers: USERS,
    users: [{ uid: "jmueller", cn: "Jürgen Müller", displayName: "Jürgen Müller", mail: "jm@example.com" }],
  });
  try {
    await t.step("RootDSE: 389 Directory Server", async () => {
      const client = new Client({ url: ds.url, timeout: 5000 });
      try {
        const vendor = await readVendor(client);
        assert.equal(vendor.id, "389-ds");
        assert.equal(vendor.vendorName, "389 Project");
      } finally {
        await client.unbind().catch(() => {});
      }
    });

    await t.step("read: every user, paged, Unicode intact", async () => {
      const read = await readDirectory(config(ds), NO_FLAGS, {
        output: memoryOutput(),
        now: () => new Date(),
      });
      assert.equal(read.users.length, USERS + 1);
      assert.equal(read.users.find((u) => u.username === "jmueller")?.name, "Jürgen Müller");
    });

    await t.step(
      "per-page limit (nsPagedSizeLimit) below our page size → 389's setting, with the size",
      async () => {
        assert.ok(USERS > 100 && PAGE_SIZE > 100);
        await setOnSync(ds, "nsPagedSizeLimit", "100");
        try {
          const message = await failure(ds);
          assert.match(message, /LDAP result 4, sizeLimitExceeded/);
          assert.match(
            message,
            new RegExp(`set nsPagedSizeLimit on the entry "${ds.bindDn}" to at least ${PAGE_SIZE}`),
          );
          assert.doesNotMatch(message, /Active Directory|MaxPageSize|OpenLDAP|size\.prtotal/);
        } finally {
          await setOnSync(ds, "nsPagedSizeLimit", undefined);
        }
      },
    );

    await t.step(
      "look-through limit (nsLookThroughLimit) → adminLimitExceeded names it, not AD's",
      async () => {
        await setOnSync(ds, "nsLookThroughLimit", "50");
        try {
          const message = await failure(ds);
          assert.match(message, /LDAP result 11, adminLimitExceeded/);
          assert.match(
            message,
            /389 Directory Server answers this when a search looks at more entries than its look-through limit allows: raise nsLookThroughLimit/,
          );
          assert.doesNotMatch(message, /Active Directory|MaxResultSetSize/);
        } finally {
          await setOnSync(ds, "nsLookThroughLimit", undefined);
        }
      },
    );

    await t.step(
      "inactivated account (nsAccountLock) → result 53 with the server's text, no password hint",
      async () => {
        await setOnSync(ds, "nsAccountLock", "true");
        try {
          const message = await failure(ds);
          assert.match(message, /LDAP result 53/);
          assert.match(message, /Server said: Account inactivated\. Contact system administrator\./);
          assert.match(message, /nsAccountLock/);
          assert.doesNotMatch(message, /empty|bind_password/i);
        } finally {
          await setOnSync(ds, "nsAccountLock", undefined);
        }
      },
    );

    await t.step(
      "a locked user (nsAccountLock: true, any case) is read as disabled; unlocked, it is not",
      async () => {
        const dn = `uid=jmueller,${ds.peopleDn}`;
        const lock = (value: string | undefined) =>
          ds.modify(
            [
              `dn: ${dn}`,
              "changetype: modify",
              "replace: nsAccountLock",
              ...(value ? [`nsAccountLock: ${value}`] : []),
            ]
              .join("\n") + "\n",
          );
        const disabled = async () => {
          const read = await readDirectory(config(ds), NO_FLAGS, {
            output: memoryOutput(),
            now: () => new Date(),
          });
          return read.users.filter((u) => u.disabled !== undefined).map((u) => [u.username, u.disabled]);
        };
        await lock("TRUE");
        try {
          // Operational: 389 returns it only because the read asks for it by name.
          assert.deepEqual(await disabled(), [["jmueller", "nsAccountLock: true"]]);
          await lock("false");
          assert.deepEqual(await disabled(), []);
        } finally {
          await lock(undefined);
        }
        assert.deepEqual(await disabled(), []);
      },
    );

    await t.step("limits removed: reads again", async () => {
      const read = await readDirectory(config(ds), NO_FLAGS, {
        output: memoryOutput(),
        now: () => new Date(),
      });
      assert.equal(read.users.length, USERS + 1);
    });

    await t.step(
      "anchor: nsUniqueId, read with the users; kept by a rename, new after delete + add",
      async () => {
        const anchors = async () => {
          const read = await readDirectory(config(ds), NO_FLAGS, {
            output: memoryOutput(),
            now: () => new Date(),
          });
          assert.equal(read.anchorAttribute, "nsUniqueId");
          assert.equal(read.users.filter((u) => u.anchor === undefined).length, 0);
          return new Map(read.users.map((u) => [u.username, u.anchor!] as const));
        };
        const first = await anchors();
        // 389's own form: four groups of eight hex digits.
        assert.match(first.get("jmueller")!, /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
        assert.equal(new Set(first.values()).size, first.size);
        await ds.modify(
          `dn: uid=jmueller,${ds.peopleDn}\nchangetype: modrdn\nnewrdn: uid=jm2\ndeleteoldrdn: 1\n`,
        );
        const renamed = await anchors();
        assert.equal(renamed.get("jm2"), first.get("jmueller"));
        await ds.modify(`dn: uid=jm2,${ds.peopleDn}\nchangetype: delete\n`);
        await ds.modify(
          `dn: uid=jm2,${ds.peopleDn}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: jm2\ncn: J M\nsn: M\n` +
            "mail: jm2@example.com\n",
        );
        const again = await anchors();
        assert.ok(again.get("jm2") !== undefined && again.get("jm2") !== first.get("jmueller"));
      },
    );
  } finally {
    await ds.stop();
  }
});
