/**
 * The anchor (src/directory/anchor.ts, read by src/directory/mapUser.ts): which attribute per server,
 * objectGUID's bytes as AD shows them, and what counts as no anchor.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { anchorText, chooseAnchor, guidText, missingAnchorWarning } from "../../../src/directory/anchor.ts";
import { mapEntry } from "../../../src/directory/mapUser.ts";

Deno.test("anchor: the server's own attribute, or attr_anchor; none for an unknown server", () => {
  assert.deepEqual(chooseAnchor("active-directory", undefined), { attribute: "objectGUID", from: "server" });
  assert.deepEqual(chooseAnchor("samba", undefined), { attribute: "objectGUID", from: "server" });
  for (const v of ["openldap", "opendj", "apacheds"] as const) {
    assert.deepEqual(chooseAnchor(v, undefined), { attribute: "entryUUID", from: "server" });
  }
  assert.deepEqual(chooseAnchor("389-ds", undefined), { attribute: "nsUniqueId", from: "server" });
  assert.equal(chooseAnchor("unknown", undefined), undefined);
  assert.equal(chooseAnchor(undefined, undefined), undefined);
  assert.deepEqual(chooseAnchor("openldap", "employeeNumber"), {
    attribute: "employeeNumber",
    from: "attr_anchor",
  });
  assert.deepEqual(chooseAnchor("unknown", "uniqueIdentifier"), {
    attribute: "uniqueIdentifier",
    from: "attr_anchor",
  });
});

Deno.test("anchor: objectGUID's 16 bytes as AD shows them — the first three groups little-endian", () => {
  // [MS-DTYP] §2.3.4.2's example GUID {6B29FC40-CA47-1067-B31D-00DD010662DA}, as stored on the wire.
  const bytes = new Uint8Array([
    0x40,
    0xfc,
    0x29,
    0x6b,
    0x47,
    0xca,
    0x67,
    0x10,
    0xb3,
    0x1d,
    0x00,
    0xdd,
    0x01,
    0x06,
    0x62,
    0xda,
  ]);
  assert.equal(guidText(bytes), "6b29fc40-ca47-1067-b31d-00dd010662da");
  assert.equal(anchorText(bytes, true), "6b29fc40-ca47-1067-b31d-00dd010662da");
  // ldapts decoded bytes that happen to be UTF-8 (the server spelt the name otherwise): the same text.
  const ascii = new TextEncoder().encode("ABCDEFGHIJKLMNOP");
  assert.equal(anchorText(new TextDecoder().decode(ascii), true), guidText(ascii));
  // Not 16 bytes: not a GUID, so no anchor.
  assert.equal(anchorText(new Uint8Array(15), true), undefined);
  assert.equal(anchorText("short", true), undefined);
});

Deno.test("anchor: text values trimmed; blank, absent or odd shapes are no anchor; other binary as hex", () => {
  assert.equal(anchorText(" 4a1e-uuid ", false), "4a1e-uuid");
  assert.equal(anchorText("  ", false), undefined);
  assert.equal(anchorText(undefined, false), undefined);
  assert.equal(anchorText(42, false), undefined);
  assert.equal(anchorText(new Uint8Array([0xff, 0x00, 0x0a]), false), "ff000a");
  assert.equal(anchorText(new Uint8Array([]), false), undefined);
});

Deno.test("anchor: mapEntry reads it case-insensitively, first value; absent → none", () => {
  const cfg = {
    attrUsername: "uid",
    attrName: "cn",
    attrEmail: "mail",
    attrAlias: {},
    normalizeAlias: [],
  };
  const anchor = { attribute: "entryUUID", guid: false };
  const map = (entry: Record<string, unknown>) => {
    const m = mapEntry({ dn: "uid=a,o=x", uid: "a", ...entry }, cfg, {}, anchor);
    assert.equal(m.kind, "user");
    return m.kind === "user" ? m.user.anchor : "";
  };
  assert.equal(map({ entryUUID: "u-1" }), "u-1");
  assert.equal(map({ entryuuid: ["u-2", "u-3"] }), "u-2");
  assert.equal(map({ entryUUID: [] }), undefined);
  assert.equal(map({}), undefined);
  const guid = mapEntry(
    { dn: "cn=a", sAMAccountName: "a", objectGUID: Buffer.from(new Uint8Array(16).fill(1)) },
    {
      ...cfg,
      attrUsername: "sAMAccountName",
    },
    {},
    { attribute: "objectGUID", guid: true },
  );
  assert.equal(guid.kind === "user" && guid.user.anchor, "01010101-0101-0101-0101-010101010101");
  // Without an anchor attribute, no key at all (plain data, stable equality).
  const none = mapEntry({ dn: "uid=a,o=x", uid: "a", entryUUID: "u-1" }, cfg, {});
  assert.ok(none.kind === "user" && !("anchor" in none.user));
});

Deno.test("anchor: one warning that counts users without it, naming the attribute; none when all have it", () => {
  assert.equal(missingAnchorWarning({ users: [{ anchor: "a" }], anchorAttribute: "entryUUID" }), undefined);
  assert.equal(missingAnchorWarning({ users: [], anchorAttribute: undefined }), undefined);
  assert.equal(
    missingAnchorWarning({ users: [{ anchor: "a" }, {}, {}], anchorAttribute: "nsUniqueId" }),
    "2 of 3 user(s) came back without nsUniqueId (the anchor): they are matched by username only; check that " +
      "bind_dn may read nsUniqueId",
  );
  assert.equal(
    missingAnchorWarning({ users: [{}, {}] }),
    "the directory server has no anchor logintc-sync knows: 2 user(s) are matched by username only, so a reused " +
      "username or a rename cannot be told from an ordinary change; set attr_anchor in [ldap] to an attribute " +
      "that never changes and is never reused",
  );
});
