/**
 * The anchor against a real OpenLDAP (src/directory/anchor.ts through readDirectory): chosen from the
 * RootDSE (entryUUID), read in the same search, kept by a rename (modrdn), new after a delete and
 * re-create of the same uid; attr_anchor names another attribute, and entries without it have none.
 * 389 Directory Server and Samba AD: ./ds389_test.ts and ./activeDirectory_test.ts.
 */
import assert from "node:assert/strict";
import { startSlapd } from "../../support/slapd.ts";
import { config, PASSWORD, read } from "../../support/directoryReading.ts";
import { missingAnchorWarning } from "../../../src/directory/anchor.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

Deno.test("anchor against slapd: entryUUID, kept by modrdn, new after delete + add; attr_anchor", async (t) => {
  const s = await startSlapd({
    syncPassword: PASSWORD,
    users: [
      { uid: "alice", cn: "Alice", mail: "alice@example.com", extra: { employeeNumber: "E100" } },
      { uid: "bob", cn: "Bob", mail: "bob@example.com", extra: { employeeNumber: "E200" } },
      { uid: "carol", cn: "Carol", mail: "carol@example.com" },
    ],
  });
  try {
    const anchors = async () => {
      const r = await read(config(s));
      assert.equal(r.anchorAttribute, "entryUUID");
      assert.equal(r.anchorFrom, "server");
      return Object.fromEntries(r.users.map((u) => [u.username, u.anchor]));
    };
    const first = await anchors();

    await t.step("every entry has an entryUUID, read with the users, all different", () => {
      assert.deepEqual(Object.keys(first), ["alice", "bob", "carol"]);
      for (const a of Object.values(first)) assert.match(a ?? "", UUID);
      assert.equal(new Set(Object.values(first)).size, 3);
    });

    await t.step("a rename (modrdn uid=alice → uid=alicia) keeps the entryUUID", async () => {
      await s.ldapModify(
        `dn: uid=alice,${s.peopleDn}\nchangetype: modrdn\nnewrdn: uid=alicia\ndeleteoldrdn: 1\n`,
      );
      const after = await anchors();
      assert.equal(after.alice, undefined);
      assert.equal(after.alicia, first.alice);
    });

    await t.step("delete and add again with the same uid: a new entryUUID", async () => {
      await s.ldapModify(`dn: uid=bob,${s.peopleDn}\nchangetype: delete\n`);
      await s.ldapModify(
        `dn: uid=bob,${s.peopleDn}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: bob\ncn: Bob Two\n` +
          `sn: Two\nmail: bob2@example.com\n`,
      );
      const after = await anchors();
      assert.match(after.bob ?? "", UUID);
      assert.notEqual(after.bob, first.bob);
      assert.equal(after.carol, first.carol);
    });

    await t.step(
      "attr_anchor names another attribute; entries without it have none, and are counted",
      async () => {
        const r = await read(config(s, { attrAnchor: "employeeNumber" }));
        assert.equal(r.anchorAttribute, "employeeNumber");
        assert.equal(r.anchorFrom, "attr_anchor");
        assert.deepEqual(r.users.map((u) => [u.username, u.anchor]), [
          ["alicia", "E100"],
          ["bob", undefined],
          ["carol", undefined],
        ]);
        assert.equal(
          missingAnchorWarning(r),
          "2 of 3 user(s) came back without employeeNumber (the anchor): they are matched by username only; " +
            "check that bind_dn may read employeeNumber",
        );
      },
    );
  } finally {
    await s.stop();
  }
});
