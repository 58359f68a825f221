/**
 * LDIF change records for a running slapd (Slapd.ldapModify, which sends ManageDsaIT so referral
 * objects can be added and deleted as entries).
 */

/** LDIF that adds a referral object (RFC 3296: objectClass referral, one `ref` per URL); for ldapModify. */
export function referralLdif(dn: string, ...urls: string[]): string {
  const rdn = /^([^=]+)=([^,]*)/.exec(dn);
  return [
    `dn: ${dn}`,
    "changetype: add",
    "objectClass: referral",
    "objectClass: extensibleObject",
    ...(rdn ? [`${rdn[1]}: ${rdn[2]}`] : []),
    ...urls.map((u) => `ref: ${u}`),
  ].join("\n") + "\n";
}

/** LDIF that adds an organizationalUnit; for ldapModify. */
export function ouLdif(dn: string): string {
  const ou = /^ou=([^,]*)/i.exec(dn)?.[1] ?? "x";
  return `dn: ${dn}\nchangetype: add\nobjectClass: organizationalUnit\nou: ${ou}\n`;
}

/** LDIF that adds an inetOrgPerson with uid = cn = sn = `uid` below `parentDn`. */
export function personLdif(parentDn: string, uid: string): string {
  return `dn: uid=${uid},${parentDn}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\n`;
}

/** LDIF that deletes an entry (also a referral object, thanks to ManageDsaIT). */
export function deleteLdif(dn: string): string {
  return `dn: ${dn}\nchangetype: delete\n`;
}
