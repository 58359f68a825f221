/**
 * The config tests' file: a valid config as text (BASE), with any key changed or removed, parsed
 * as config load parses it (no files on disk unless a test gives a reader), and its problems.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../src/errors.ts";
import { parseConfig, type ReadTextFile } from "../../src/config/parseConfig.ts";

export const API_KEY = "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0nOp3rSt6vWx9zAb2dEf5hIj8k";
export const PASSWORD = "pw#;Secret-zz9";
export const PROXY_PASS = "proxyPass!42";

export type Sections = Record<string, Record<string, string | null>>;
export const BASE: Sections = {
  logintc: {
    host: "cloud.logintc.com",
    api_key: API_KEY,
    domain_id: "9120580e94f134cb7c9f27cd1e43dbc82980e152",
  },
  ldap: {
    host: "ldap.example.com",
    encryption: "startTLS",
    bind_dn: "cn=Manager,dc=example,dc=com",
    bind_password: PASSWORD,
    base_dn: "ou=People,dc=example,dc=com",
    attr_username: "uid",
    attr_name: "cn",
    attr_email: "mail",
    filter: "(objectClass=person)",
  },
};

/** The config text with `over` applied (null removes a key); line numbers: see lineOf. */
export function text(over: Sections = {}): string {
  const lines: string[] = [];
  for (const name of new Set([...Object.keys(BASE), ...Object.keys(over)])) {
    lines.push(`[${name}]`);
    const merged = { ...BASE[name], ...over[name] };
    for (const [k, v] of Object.entries(merged)) if (v !== null) lines.push(`${k} = ${v}`);
  }
  return lines.join("\n") + "\n";
}

export function lineOf(t: string, key: string, section = "ldap"): number {
  const lines = t.split("\n");
  const start = lines.indexOf(`[${section}]`);
  return lines.findIndex((l, i) => i > start && l.startsWith(`${key} =`)) + 1;
}

export const noFiles: ReadTextFile = (p) => {
  throw new Deno.errors.NotFound(p);
};

export function parse(over: Sections = {}, files: ReadTextFile = noFiles) {
  return parseConfig(text(over), "/etc/sync/c.cfg", files);
}

export function problems(over: Sections, files: ReadTextFile = noFiles): string[] {
  try {
    parse(over, files);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return [...e.problems];
  }
  assert.fail("expected a ConfigError");
}
