/** The [ldap] section: which directory, how to bind, what to read. */
import { ALIAS_SLOTS, type AliasSlot, type Encryption, type LdapConfig } from "../types.ts";
import { bindNameProblem, dnProblem } from "./dn.ts";
import { checkFilter, isAttributeName } from "./filter.ts";
import type { IniEntry } from "./ini.ts";
import { parseHostPort } from "./host.ts";
import { shownValue } from "./problems.ts";
import { parseReferralHost } from "./referralHosts.ts";
import { readSecret, type SecretIo } from "./secrets.ts";
import { FIELD_ATTRIBUTES } from "./schema.ts";
import type { SectionReader } from "./section.ts";

type FieldAttributes = { [K in keyof typeof FIELD_ATTRIBUTES as (typeof FIELD_ATTRIBUTES)[K]]?: string };

const ENCRYPTIONS: Record<string, Encryption> = { none: "none", ssl: "ssl", starttls: "starttls" };

/**
 * The port for a host (or referral URL) without one: ldap:// and ldaps:// well-known ports (RFC 4516 §2;
 * IANA: ldaps 636). StartTLS runs on 389. The encryption decides, never a URL's scheme.
 */
export function defaultLdapPort(encryption: Encryption): number {
  return encryption === "ssl" ? 636 : 389;
}

export function readLdapSection(s: SectionReader, io: SecretIo): LdapConfig {
  const host = s.required("host");
  let hostName = "";
  let port: number | undefined;
  if (host) {
    const parsed = parseHostPort(host.value);
    if ("problem" in parsed) s.problem(host, parsed.problem);
    else [hostName, port] = [parsed.host, parsed.port];
  }

  const enc = s.required("encryption");
  const encryption = enc ? ENCRYPTIONS[enc.value.toLowerCase()] : undefined;
  if (enc && !encryption) s.problem(enc, `${shownValue(enc.value)} is not one of none, ssl, startTLS`);

  const bindDn = s.required("bind_dn");
  const bindProblem = bindDn && bindNameProblem(bindDn.value);
  if (bindDn && bindProblem) s.problem(bindDn, bindProblem);

  // Required and non-empty: a DN with an empty password is an "unauthenticated bind"
  // (RFC 4513 §5.1.2) that many servers treat as anonymous, reading a partial directory.
  const bindPassword = readSecret(s, "bind_password", true, io);

  const baseDn = s.required("base_dn");
  const baseProblem = baseDn && dnProblem(baseDn.value);
  if (baseDn && baseProblem) s.problem(baseDn, `not a valid DN: ${baseProblem}`);

  const filterEntry = s.required("filter");
  let filter = "";
  if (filterEntry) {
    const checked = checkFilter(filterEntry.value);
    if ("problem" in checked) s.problem(filterEntry, `not a valid LDAP filter: ${checked.problem}`);
    else filter = checked.filter;
  }

  const attr = (key: string, required: boolean) => {
    const entry = required ? s.required(key) : s.optional(key);
    if (entry && !isAttributeName(entry.value)) {
      s.problem(entry, `${shownValue(entry.value)} is not a valid LDAP attribute name`);
    }
    return entry?.value;
  };
  const attrAlias = Object.fromEntries(
    ALIAS_SLOTS.map((slot) => [slot, attr(`attr_${slot}`, false)]),
  ) as Record<
    AliasSlot,
    string | undefined
  >;

  // attr_anchor names what tells people apart when usernames move; the username itself cannot.
  const anchor = s.optional("attr_anchor");
  let attrAnchor = attr("attr_anchor", false);
  const username = s.optional("attr_username")?.value;
  if (
    anchor && attrAnchor !== undefined && username !== undefined &&
    attrAnchor.toLowerCase() === username.toLowerCase()
  ) {
    s.problem(
      anchor,
      `'${anchor.value}' is attr_username: the anchor must be an attribute that never changes and is never ` +
        `reused (e.g. entryUUID, objectGUID, nsUniqueId), or leave attr_anchor out to use the server's`,
    );
    attrAnchor = undefined;
  }

  return {
    host: hostName,
    port: port ?? defaultLdapPort(encryption ?? "none"),
    encryption: encryption ?? "none",
    bindDn: bindDn?.value ?? "",
    bindPassword: bindPassword?.value ?? "",
    baseDn: baseDn?.value ?? "",
    filter,
    attrUsername: attr("attr_username", true) ?? "",
    attrName: attr("attr_name", true) ?? "",
    attrEmail: attr("attr_email", true) ?? "",
    attrAlias,
    ...Object.fromEntries(
      Object.entries(FIELD_ATTRIBUTES).map(([key, property]) => [property, attr(key, false)]),
    ) as FieldAttributes,
    normalizeAlias: readNormalizeAlias(s, s.optional("normalize_alias"), attrAlias),
    ...(attrAnchor !== undefined ? { attrAnchor } : {}),
    referralHosts: readReferralHosts(s, s.optional("referral_hosts")),
    ...s.ca(),
  };
}

/** `dc3.other.example, *.emea.example.com, 10.2.0.0/16`: hosts referrals may also lead to. */
function readReferralHosts(s: SectionReader, entry: IniEntry | undefined): string[] {
  if (!entry) return [];
  const hosts: string[] = [];
  for (const [i, raw] of entry.value.split(",").entries()) {
    const rule = parseReferralHost(raw);
    if ("problem" in rule) {
      s.problem(entry, `entry ${i + 1} ('${raw.trim()}'): ${rule.problem}`);
    } else hosts.push(raw.trim());
  }
  return hosts;
}

/** `alias1,alias3`: which aliases to normalize; each must name a configured attr_aliasN. */
function readNormalizeAlias(
  s: SectionReader,
  entry: IniEntry | undefined,
  attrAlias: Record<AliasSlot, string | undefined>,
): AliasSlot[] {
  if (!entry) return [];
  const seen = new Set<AliasSlot>();
  for (const raw of entry.value.split(",")) {
    const item = raw.trim().toLowerCase();
    const slot = ALIAS_SLOTS.find((x) => x === item);
    if (!slot) {
      s.problem(entry, `${shownValue(raw.trim())} is not one of ${ALIAS_SLOTS.join(", ")}`);
    } else if (seen.has(slot)) {
      s.problem(entry, `'${slot}' is listed twice`);
    } else {
      seen.add(slot);
      if (attrAlias[slot] === undefined) s.problem(entry, `'${slot}' needs attr_${slot} to be set`);
    }
  }
  return ALIAS_SLOTS.filter((x) => seen.has(x));
}
