/**
 * The directory a test slapd (./slapd.ts) starts with, as data and as LDIF: the users and groups a
 * test asks for, the sync account, a referral object. Pure: 389-DS (./ds389.ts) writes its users
 * with the same encoding.
 */
import type { CertVariant } from "./certs.ts";

export interface UserSpec {
  /** RDN of the entry; default `uid=<uid>` (or `cn=<cn>` when uid is absent). */
  rdn?: string;
  uid?: string | string[];
  cn?: string;
  sn?: string;
  givenName?: string;
  displayName?: string;
  mail?: string | string[];
  telephoneNumber?: string | string[];
  /** Any further attributes, written as given (value strings are LDIF-encoded). */
  extra?: Record<string, string | string[]>;
}

export interface SlapdOptions {
  /** Explicit users under ou=people. */
  users?: UserSpec[];
  /** Number of generated users `uid=user000001…` (default 0). */
  generatedUsers?: number;
  /** Number of groups cn=group0..; generated user i is a member of group i mod groups (default 3). */
  groups?: number;
  /** Extra LDIF appended after the generated entries (entries separated by blank lines). */
  extraLdif?: string;
  /** Password of cn=sync,ou=system (default "syncpw"). */
  syncPassword?: string;
  /** Size limit for every non-root identity (default 500). */
  sizeLimit?: number;
  /** Total entries the sync account may get through a paged search (default "unlimited"). */
  syncPagedTotal?: number | "unlimited";
  /** subjectAltName of the server cert (default "DNS:localhost,IP:127.0.0.1"). */
  san?: string;
  /** Serve a certificate that clients must refuse (emulator/pki.ts makeCertVariant) instead. */
  serverCert?: CertVariant;
  /**
   * The loopback address to listen on (default 127.0.0.1). Any 127.x.y.z is loopback on Linux: a second
   * server on 127.0.1.5 is "another host" for the referral trust tests, no name resolution needed.
   */
  listenHost?: string;
  /**
   * Load the ppolicy overlay (its schema is built in since OpenLDAP 2.5), so entries may carry
   * pwdAccountLockedTime (an `extra` attribute of a user).
   */
  ppolicy?: boolean;
}

export const BASE_DN = "dc=example,dc=com";
export const PEOPLE_DN = `ou=people,${BASE_DN}`;
export const SYNC_DN = `cn=sync,ou=system,${BASE_DN}`;
export const ROOT_DN = `cn=admin,${BASE_DN}`;
/** The fixture's own referral object points at a host that never resolves (RFC 6761 §6.4: .invalid). */
export const REMOTE_REFERRAL_URL = "ldap://ldap.no-such-host.invalid/ou=remote,dc=other,dc=com";

/** RFC 2849: values that are not SAFE-STRINGs (or have edge spaces) are written base64. */
export function attrLine(name: string, value: string): string {
  // Printable ASCII only (stricter than SAFE-STRING, simpler), no leading space/":"/"<", no trailing space.
  const safe = /^[!-9;=-~][ -~]*$/.test(value) && !value.endsWith(" ");
  if (safe) return `${name}: ${value}`;
  const bytes = new TextEncoder().encode(value);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return `${name}:: ${btoa(bin)}`;
}

function attrLines(name: string, value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => attrLine(name, v));
}

function userLdif(u: UserSpec, groupDns: string[]): string {
  const uid0 = Array.isArray(u.uid) ? u.uid[0] : u.uid;
  const rdn = u.rdn ?? (uid0 !== undefined ? `uid=${uid0}` : `cn=${u.cn}`);
  const lines = [
    `dn: ${rdn},${PEOPLE_DN}`,
    "objectClass: inetOrgPerson",
    ...attrLines("uid", u.uid),
    ...attrLines("cn", u.cn ?? uid0 ?? "nameless"),
    ...attrLines("sn", u.sn ?? "-"),
    ...attrLines("givenName", u.givenName),
    ...attrLines("displayName", u.displayName),
    ...attrLines("mail", u.mail),
    ...attrLines("telephoneNumber", u.telephoneNumber),
    "userPassword: password",
    ...groupDns.map((g) => `memberOf: ${g}`),
  ];
  for (const [k, v] of Object.entries(u.extra ?? {})) lines.push(...attrLines(k, v));
  return lines.join("\n");
}

/** The whole LDIF; pure. memberOf is written directly: slapadd bypasses the memberof overlay. */
export function buildLdif(opts: SlapdOptions, syncPassword: string): string {
  const groups = opts.groups ?? 3;
  const generated = opts.generatedUsers ?? 0;
  const out: string[] = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example`,
    `dn: ${PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ou=system,${BASE_DN}\nobjectClass: organizationalUnit\nou: system`,
    [
      `dn: ${SYNC_DN}`,
      "objectClass: person",
      "objectClass: simpleSecurityObject",
      "cn: sync",
      "sn: sync",
      attrLine("userPassword", syncPassword),
    ].join("\n"),
    [
      `dn: ou=remote,${BASE_DN}`,
      "objectClass: referral",
      "objectClass: extensibleObject",
      "ou: remote",
      `ref: ${REMOTE_REFERRAL_URL}`,
    ].join("\n"),
  ];
  const members: string[][] = Array.from({ length: groups }, () => []);
  const userDns: string[] = [];
  const pad = (i: number) => String(i).padStart(6, "0");
  for (let i = 1; i <= generated; i++) {
    const dn = `uid=user${pad(i)},${PEOPLE_DN}`;
    userDns.push(dn);
    if (groups > 0) members[i % groups].push(dn);
  }
  for (const u of opts.users ?? []) {
    const uid0 = Array.isArray(u.uid) ? u.uid[0] : u.uid;
    userDns.push(`${u.rdn ?? (uid0 !== undefined ? `uid=${uid0}` : `cn=${u.cn}`)},${PEOPLE_DN}`);
  }
  const groupDn = (g: number) => `cn=group${g},ou=groups,${BASE_DN}`;
  for (let i = 1; i <= generated; i++) {
    out.push(userLdif({
      uid: `user${pad(i)}`,
      cn: `User ${pad(i)}`,
      sn: pad(i),
      givenName: "User",
      displayName: `User ${pad(i)}`,
      mail: `user${pad(i)}@example.com`,
      telephoneNumber: `+1 555 ${pad(i)}`,
    }, groups > 0 ? [groupDn(i % groups)] : []));
  }
  for (const u of opts.users ?? []) out.push(userLdif(u, []));
  for (let g = 0; g < groups; g++) {
    // groupOfNames needs at least one member; fall back to the sync account.
    const m = members[g].length ? members[g] : [SYNC_DN];
    out.push(
      [`dn: ${groupDn(g)}`, "objectClass: groupOfNames", `cn: group${g}`, ...m.map((d) => `member: ${d}`)]
        .join("\n"),
    );
  }
  if (opts.extraLdif) out.push(opts.extraLdif.trim());
  return out.join("\n\n") + "\n";
}
