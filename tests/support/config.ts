/**
 * A config file pointing the CLI at a test slapd (over LDAPS) and the LoginTC emulator, both trusted
 * through the per-run CA in ca_file — what an admin's config looks like, for the demo and the bench —
 * and the [ldap] section as loaded, for tests that call the reader directly.
 */
import type { Emulator } from "../../emulator/mod.ts";
import type { Slapd } from "./slapd.ts";
import type { LdapConfig } from "../../src/types.ts";

/** What ldapConfigFor needs of a test directory server (slapd, 389-DS). */
export interface TestDirectory {
  port: number;
  bindDn: string;
  bindPassword: string;
  peopleDn: string;
}

/**
 * The [ldap] section as a loaded config holds it, for a test directory: plain LDAP to 127.0.0.1,
 * its people, uid/displayName/mail; `over` changes any of it. A `caFile` in `over` is read here,
 * as config load does (src/config/section.ts), unless `caPem` is given too.
 */
export function ldapConfigFor(dir: TestDirectory, over: Partial<LdapConfig> = {}): LdapConfig {
  const c: LdapConfig = {
    host: "127.0.0.1",
    port: dir.port,
    encryption: "none",
    bindDn: dir.bindDn,
    bindPassword: dir.bindPassword,
    baseDn: dir.peopleDn,
    filter: "(objectClass=inetOrgPerson)",
    attrUsername: "uid",
    attrName: "displayName",
    attrEmail: "mail",
    attrAlias: {},
    normalizeAlias: [],
    ...over,
  };
  return c.caFile && c.caPem === undefined ? { ...c, caPem: Deno.readTextFileSync(c.caFile) } : c;
}

/** Writes it private (0600), as the CLI expects of a file holding the API key and bind password. */
export async function writeSyncConfig(
  path: string,
  slapd: Slapd,
  emulator: Emulator,
  extraLdap: Record<string, string> = {},
): Promise<string> {
  const ldap: Record<string, string> = {
    host: `127.0.0.1:${slapd.ldapsPort}`,
    encryption: "ssl",
    ca_file: slapd.pki.caFile,
    bind_dn: slapd.bindDn,
    bind_password: slapd.bindPassword,
    base_dn: slapd.peopleDn,
    filter: "(objectClass=inetOrgPerson)",
    attr_username: "uid",
    attr_name: "displayName",
    attr_email: "mail",
    ...extraLdap,
  };
  await Deno.writeTextFile(path, syncConfigText(slapd, emulator, ldap), { mode: 0o600 });
  return path;
}

/** A config file's text: [logintc] for the emulator (its CA is the slapd PKI's), [ldap] as given. */
export function syncConfigText(slapd: Slapd, emulator: Emulator, ldap: Record<string, string>): string {
  return [
    "[logintc]",
    `host = ${emulator.host}`,
    `api_key = ${emulator.apiKey}`,
    `domain_id = ${emulator.domainId}`,
    `ca_file = ${slapd.pki.caFile}`,
    "",
    "[ldap]",
    ...Object.entries(ldap).map(([k, v]) => `${k} = ${v}`),
    "",
  ].join("\n");
}
