/**
 * The anchor: an identifier a directory gives each entry, never changed (not by a rename or a move)
 * and never reused (not after a delete and re-create), so it tells two people apart where a username
 * cannot (docs/operations.md, "The ledger"). Each server has its own, an operational attribute that
 * must be asked for by name:
 * - Active Directory and Samba AD: objectGUID, 16 bytes ([MS-ADTS] §3.1.1.1.3), shown as GUID text
 *   with the first three groups little-endian, as AD's own tools show it ([MS-DTYP] §2.3.4);
 * - OpenLDAP, OpenDJ and ApacheDS: entryUUID (RFC 4530), UUID text;
 * - 389 Directory Server: nsUniqueId (its own unique id, text).
 * `attr_anchor` names another attribute (or overrides the choice); an unknown server without it has
 * none, and users are matched by username as before.
 */
import type { VendorId } from "./vendor.ts";

const BY_VENDOR: Record<VendorId, string | undefined> = {
  "active-directory": "objectGUID",
  samba: "objectGUID",
  openldap: "entryUUID",
  opendj: "entryUUID",
  apacheds: "entryUUID",
  "389-ds": "nsUniqueId",
  unknown: undefined,
};

/** Attributes whose values are 16-byte GUIDs, shown as GUID text (lowercase names). */
const GUID_ATTRIBUTES = new Set(["objectguid", "ms-ds-consistencyguid"]);

/** Where the attribute came from: attr_anchor, or the server's own. */
export interface AnchorChoice {
  attribute: string;
  from: "attr_anchor" | "server";
}

/** attr_anchor when set, else the server's own; undefined for an unknown server without attr_anchor. */
export function chooseAnchor(
  vendor: VendorId | undefined,
  attrAnchor: string | undefined,
): AnchorChoice | undefined {
  if (attrAnchor !== undefined) return { attribute: attrAnchor, from: "attr_anchor" };
  const attribute = BY_VENDOR[vendor ?? "unknown"];
  return attribute === undefined ? undefined : { attribute, from: "server" };
}

/** The search option that makes ldapts return these attributes' values as bytes (GUIDs). */
export function binaryAttributes(attribute: string): string[] {
  // ldapts compares the server's spelling exactly; AD and Samba answer in the schema's own.
  return GUID_ATTRIBUTES.has(attribute.toLowerCase()) ? [attribute, "objectGUID", "objectguid"] : [];
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** 16 bytes → `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, the first three groups little-endian ([MS-DTYP] §2.3.4). */
export function guidText(b: Uint8Array): string {
  const h = (i: number) => HEX[b[i]];
  return h(3) + h(2) + h(1) + h(0) + "-" + h(5) + h(4) + "-" + h(7) + h(6) + "-" + h(8) + h(9) + "-" +
    h(10) + h(11) + h(12) + h(13) + h(14) + h(15);
}

/**
 * One anchor value as text, or undefined when it cannot be one (absent, blank, a GUID that is not 16
 * bytes). A binary value of another attribute is shown as hex.
 */
export function anchorText(value: unknown, guid: boolean): string | undefined {
  if (value instanceof Uint8Array) {
    if (guid) return value.length === 16 ? guidText(value) : undefined;
    return value.length === 0 ? undefined : Array.from(value, (x) => HEX[x]).join("");
  }
  if (typeof value !== "string") return undefined;
  if (guid) {
    // ldapts decodes bytes that happen to be valid UTF-8 as text when the server's spelling of the
    // name was not the one asked for as binary: the bytes come back exactly by encoding again.
    const bytes = new TextEncoder().encode(value);
    return bytes.length === 16 ? guidText(bytes) : undefined;
  }
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Whether the attribute's values are GUIDs (objectGUID and its copies). */
export function isGuidAttribute(attribute: string): boolean {
  return GUID_ATTRIBUTES.has(attribute.toLowerCase());
}

/**
 * The one warning about users without an anchor (matched by username only), or undefined when every
 * user has one. Names the attribute and what to check; never a value.
 */
export function missingAnchorWarning(
  read: { users: readonly { anchor?: string }[]; anchorAttribute?: string },
  vendorName?: string,
): string | undefined {
  const total = read.users.length;
  if (total === 0) return undefined;
  if (read.anchorAttribute === undefined) {
    return `the directory server${vendorName ? ` (${vendorName})` : ""} has no anchor logintc-sync knows: ` +
      `${total} user(s) are matched by username only, so a reused username or a rename cannot be told from ` +
      "an ordinary change; set attr_anchor in [ldap] to an attribute that never changes and is never reused";
  }
  let missing = 0;
  for (const user of read.users) if (user.anchor === undefined) missing++;
  if (missing === 0) return undefined;
  return `${missing} of ${total} user(s) came back without ${read.anchorAttribute} (the anchor): they are ` +
    `matched by username only; check that bind_dn may read ${read.anchorAttribute}`;
}
