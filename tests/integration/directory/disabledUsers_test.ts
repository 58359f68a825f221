/**
 * readDirectory's disabled accounts against a real slapd: the ppolicy overlay's permanent lock
 * (pwdAccountLockedTime 000001010000Z, operational: asked for by name) marks a user disabled, a
 * timed lockout does not; disabled_filter is evaluated by the server (a second, DN-only search).
 * 389-DS (nsAccountLock) and Samba AD (userAccountControl, accountExpires)
 * are proved in ./ds389_test.ts and ./activeDirectory_test.ts, which already run those servers.
 */
import assert from "node:assert/strict";
import type { ClientOptions, SearchOptions } from "ldapts";
import { type LdapClient, openLdapClient } from "../../../src/directory/ldapClient.ts";
import { readDirectory, type ReadOptions } from "../../../src/directory/readDirectory.ts";
import { DirectoryError } from "../../../src/errors.ts";
import { ldapConfigFor } from "../../support/config.ts";
import { memoryOutput } from "../../support/output.ts";
import { startSlapd, type UserSpec } from "../../support/slapd.ts";

const NO_FLAGS: ReadOptions = { ignoreReferral: false, localValidation: false };
const now = () => new Date("2026-03-01T12:00:00Z");

const USERS: UserSpec[] = [
  {
    uid: "locked",
    displayName: "Locked",
    mail: "l@example.com",
    extra: { pwdAccountLockedTime: "000001010000Z" },
  },
  // Locked out after wrong passwords: ends on its own (or at pwdLockoutDuration): not disabled.
  {
    uid: "lockedout",
    displayName: "Out",
    mail: "o@example.com",
    extra: { pwdAccountLockedTime: "20260301110000Z" },
  },
  { uid: "leaver", displayName: "Leaver", mail: "v@example.com", extra: { employeeType: "Leaver" } },
  { uid: "active", displayName: "Active", mail: "a@example.com", extra: { employeeType: "staff" } },
];

Deno.test("disabled users on slapd: ppolicy's permanent lock, a timed lockout, disabled_filter", async (t) => {
  const slapd = await startSlapd({ ppolicy: true, groups: 0, users: USERS });
  try {
    const cfg = ldapConfigFor(slapd);
    const disabledOf = async (options: ReadOptions) => {
      const read = await readDirectory(cfg, options, { output: memoryOutput(), now });
      return Object.fromEntries(read.users.map((u) => [u.username, u.disabled ?? null]));
    };

    await t.step(
      "the permanent lock is read (asked for by name: it is operational); a lockout is not",
      async () => {
        assert.deepEqual(await disabledOf(NO_FLAGS), {
          active: null,
          leaver: null,
          locked: "pwdAccountLockedTime: locked permanently",
          lockedout: null,
        });
      },
    );

    await t.step("disabled_filter: the server's own match (case rules included), DNs only", async () => {
      // employeeType matches ignoring case on the server (caseIgnoreMatch): "leaver" finds "Leaver".
      assert.deepEqual(await disabledOf({ ...NO_FLAGS, disabledFilter: "(employeeType=leaver)" }), {
        active: null,
        leaver: "disabled_filter",
        locked: "pwdAccountLockedTime: locked permanently", // the server's flag says more: kept
        lockedout: null,
      });
      // A filter that matches none of the users selected, and one naming an attribute slapd does not
      // know (undefined: matches nothing, RFC 4511 §4.5.1.7), disable no one.
      for (const f of ["(employeeType=contractor)", "(noSuchAttribute=x)"]) {
        const r = await disabledOf({ ...NO_FLAGS, disabledFilter: f });
        assert.deepEqual(Object.values(r).filter((x) => x === "disabled_filter"), [], f);
      }
    });

    await t.step("disabled_filter only marks users the sync's own filter selected", async () => {
      const narrow = ldapConfigFor(slapd, { filter: "(|(uid=active)(uid=locked))" });
      const read = await readDirectory(
        narrow,
        { ...NO_FLAGS, disabledFilter: "(objectClass=inetOrgPerson)" },
        {
          output: memoryOutput(),
          now,
        },
      );
      assert.deepEqual(read.users.map((u) => [u.username, u.disabled]), [
        ["active", "disabled_filter"],
        ["locked", "pwdAccountLockedTime: locked permanently"],
      ]);
    });

    await t.step(
      "the disabled_filter search failing fails the whole read (injected fault): no partial list",
      async () => {
        const searches: string[] = [];
        const connect = (options: ClientOptions): LdapClient => {
          const client = openLdapClient(options);
          return Object.assign(Object.create(client), {
            searchPaginated(base: string, o: SearchOptions) {
              searches.push(`${o.filter} ${JSON.stringify(o.attributes)}`);
              if (String(o.filter).includes("employeeType")) throw new Error("Connection closed");
              return client.searchPaginated(base, o);
            },
          });
        };
        const e = await readDirectory(cfg, { ...NO_FLAGS, disabledFilter: "(employeeType=leaver)" }, {
          output: memoryOutput(),
          now,
          connect,
        }).then(() => undefined, (e) => e);
        assert.ok(e instanceof DirectoryError, String(e));
        assert.deepEqual(searches, [
          // With the anchor (entryUUID: src/directory/anchor.ts) in the same search.
          '(objectClass=inetOrgPerson) ["uid","displayName","mail","entryUUID","pwdAccountLockedTime"]',
          '(&(objectClass=inetOrgPerson)(employeeType=leaver)) ["1.1"]',
        ]);
      },
    );
  } finally {
    await slapd.stop();
  }
});
