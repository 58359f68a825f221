/**
 * LDAP entry → DirectoryUser. Pure.
 *
 * Rules (docs/configuration.md, "Reading the directory"):
 * - Attribute names match case-insensitively: ldapts returns the server's spelling (`displayname`, `mail`…).
 * - ldapts gives single values as string, several as string[], requested-but-absent as []; everything is
 *   normalised with toArray(). A multi-valued attribute contributes its FIRST value (the server's order),
 *   as the original tool did; the rest are ignored.
 * - username: first value of attr_username, trimmed; an entry without one is not synced (its DN is reported).
 * - name / email: first value, trimmed; when absent or blank, the -n / -e default (if given).
 * - aliases: attribute configured but absent on the entry → undefined (LoginTC alias left alone);
 *   present but blank ("" or spaces) → "" (clear the alias, as the original guide documents);
 *   else the value, normalized for the slots listed in normalize_alias.
 * - phone: first value of attr_phone, trimmed; absent or blank → undefined (phones are only ever added).
 * - anchor: the first value of the anchor attribute as text (./anchor.ts); absent or unusable → undefined
 *   (the user is then matched by username only).
 */
import { ALIAS_SLOTS, type AliasValue, type DirectoryUser, type LdapConfig } from "../types.ts";
import { anchorText } from "./anchor.ts";

/**
 * The aliases of every user without one: one shared, frozen object rather than an empty object per
 * user (a 100k read kept 100k of them; docs/development.md, "Performance").
 */
const NO_ALIASES: DirectoryUser["aliases"] = Object.freeze({});

/** An entry as ldapts returns it: `dn` plus attribute values. */
export type RawEntry = { dn: string } & Record<string, unknown>;

export type MappingConfig = Pick<
  LdapConfig,
  "attrUsername" | "attrName" | "attrEmail" | "attrAlias" | "attrPhone" | "normalizeAlias"
>;

export interface MappingDefaults {
  defaultName?: string;
  defaultEmail?: string;
}

/** The anchor attribute read this run (./anchor.ts), and whether its values are GUIDs. */
export interface AnchorMapping {
  attribute: string;
  guid: boolean;
}

export type MapResult = { kind: "user"; user: DirectoryUser } | { kind: "noUsername"; dn: string };

/** One attribute value → string (binary values decoded as UTF-8). */
function valueText(v: unknown): string {
  return typeof v === "string" ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
}

/** Any attribute value shape → string[]. */
export function toArray(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(valueText);
}

/** toArray(value)[0] without building the array: only the first value is ever used. */
function firstOf(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length ? valueText(value[0]) : undefined;
  return value === undefined || value === null ? undefined : valueText(value);
}

/**
 * The first value of `name` on the entry, matched case-insensitively; undefined when the entry has no
 * such attribute or it has no values.
 */
export function firstValue(entry: RawEntry, name: string): string | undefined {
  return firstOf(rawValue(entry, name));
}

/** The value(s) of `name` as ldapts gave them, matched case-insensitively; undefined when absent. */
function rawValue(entry: RawEntry, name: string): unknown {
  // Fast path: servers usually answer in the spelling we asked for, and lowercasing every key of
  // every entry is a noticeable share of a large read (docs/development.md, "Performance").
  if (name !== "dn" && Object.hasOwn(entry, name)) return entry[name];
  const wanted = name.toLowerCase();
  for (const key of Object.keys(entry)) {
    if (key !== "dn" && key.toLowerCase() === wanted) return entry[key];
  }
  return undefined;
}

/** First value, trimmed; undefined when absent or blank. */
function firstNonBlank(entry: RawEntry, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const v = firstValue(entry, name)?.trim();
  return v ? v : undefined;
}

/** normalize_alias: trim, lowercase, drop a leading `DOMAIN\` and a trailing `@domain`. */
export function normalizeAlias(value: string): string {
  let v = value.trim().toLowerCase();
  const backslash = v.indexOf("\\");
  if (backslash >= 0) v = v.slice(backslash + 1);
  const at = v.lastIndexOf("@");
  if (at >= 0) v = v.slice(0, at);
  return v.trim();
}

function aliasValue(entry: RawEntry, attr: string | undefined, normalize: boolean): AliasValue {
  if (attr === undefined) return undefined;
  const first = firstValue(entry, attr);
  if (first === undefined) return undefined; // absent: leave the LoginTC alias alone
  if (first.trim() === "") return ""; // "" or " ": clear it
  return normalize ? normalizeAlias(first) : first;
}

/** The attributes to request: exactly the mapped ones (and the anchor), deduplicated case-insensitively. */
export function requestedAttributes(cfg: MappingConfig, anchor?: string): string[] {
  const names = [
    cfg.attrUsername,
    cfg.attrName,
    cfg.attrEmail,
    ...ALIAS_SLOTS.map((s) => cfg.attrAlias[s]),
    cfg.attrPhone,
    anchor,
  ];
  const seen = new Map<string, string>();
  for (const n of names) if (n !== undefined && !seen.has(n.toLowerCase())) seen.set(n.toLowerCase(), n);
  return [...seen.values()];
}

export function mapEntry(
  entry: RawEntry,
  cfg: MappingConfig,
  defaults: MappingDefaults,
  anchor?: AnchorMapping,
): MapResult {
  const username = firstNonBlank(entry, cfg.attrUsername);
  if (username === undefined) return { kind: "noUsername", dn: entry.dn };
  let aliases: DirectoryUser["aliases"] = NO_ALIASES;
  for (const slot of ALIAS_SLOTS) {
    const attr = cfg.attrAlias[slot];
    const value = aliasValue(entry, attr, cfg.normalizeAlias.includes(slot));
    if (value === undefined) continue;
    if (aliases === NO_ALIASES) aliases = {};
    aliases[slot] = value;
  }
  // Optional fields are omitted rather than set to undefined: plain data, stable deep-equality.
  const user: DirectoryUser = { dn: entry.dn, username, aliases };
  const name = firstNonBlank(entry, cfg.attrName) ?? defaults.defaultName;
  const email = firstNonBlank(entry, cfg.attrEmail) ?? defaults.defaultEmail;
  const phone = firstNonBlank(entry, cfg.attrPhone);
  if (name !== undefined) user.name = name;
  if (email !== undefined) user.email = email;
  if (phone !== undefined) user.phone = phone;
  if (anchor !== undefined) {
    const raw = rawValue(entry, anchor.attribute);
    const text = anchorText(Array.isArray(raw) ? raw[0] : raw, anchor.guid);
    if (text !== undefined) user.anchor = text;
  }
  return { kind: "user", user };
}
