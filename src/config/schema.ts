/**
 * The config file's sections and keys (the original tool's, from its guide
 * https://www.logintc.com/docs/tools/user-sync/, plus our `ca_file` and the optional [sync] section), and
 * the name checks: unknown sections and keys are errors with a "did you mean" suggestion, because a
 * misspelt optional key would otherwise be silently ignored.
 */
import { ALIAS_SLOTS, type LdapConfig } from "../types.ts";
import type { IniDocument } from "./ini.ts";
import type { Problem } from "./problems.ts";

export interface KeySpec {
  required: boolean;
  /** Never printed. */
  secret?: boolean;
}

const REQUIRED: KeySpec = { required: true };
const OPTIONAL: KeySpec = { required: false };

/**
 * Optional [ldap] keys that each name the directory attribute of one LoginTC user field, with the
 * LdapConfig property that holds it: ./ldapSection.ts reads them all alike. (The alias keys are
 * attr_alias1..3, one per ALIAS_SLOTS.)
 */
export const FIELD_ATTRIBUTES = { attr_phone: "attrPhone" } as const satisfies Record<
  string,
  keyof LdapConfig
>;

const optional = (keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, OPTIONAL]));

const SCHEMA: Readonly<Record<string, Readonly<Record<string, KeySpec>>>> = {
  logintc: {
    host: REQUIRED,
    // The secrets may come from a file or the environment instead (src/config/secrets.ts), so
    // "required" is checked there, where all three sources are known.
    api_key: { required: false, secret: true },
    api_key_file: OPTIONAL,
    domain_id: REQUIRED,
    proxy_host: OPTIONAL,
    proxy_port: OPTIONAL,
    proxy_user: OPTIONAL,
    proxy_pass: { required: false, secret: true },
    proxy_pass_file: OPTIONAL,
    ca_file: OPTIONAL,
  },
  ldap: {
    host: REQUIRED,
    // Required although the old tool may have defaulted it: the guide does not mark it
    // "(Optional)", and a silent default of `none` would send bind_password in clear text.
    encryption: REQUIRED,
    bind_dn: REQUIRED,
    bind_password: { required: false, secret: true },
    bind_password_file: OPTIONAL,
    base_dn: REQUIRED,
    attr_username: REQUIRED,
    attr_name: REQUIRED,
    attr_email: REQUIRED,
    filter: REQUIRED,
    ...optional(ALIAS_SLOTS.map((slot) => `attr_${slot}`)),
    ...optional(Object.keys(FIELD_ATTRIBUTES)),
    normalize_alias: OPTIONAL,
    attr_anchor: OPTIONAL,
    ca_file: OPTIONAL,
    referral_hosts: OPTIONAL,
  },
  // Ours, all optional: the original's files have no [sync] and behave as before (./syncSection.ts).
  sync: optional([
    "disabled_users",
    "disabled_filter",
    "protect_users",
    "remove_scope",
    "delete_after_days",
    "audit_log",
    "metrics_file",
  ]),
};

/** Sections a file may leave out (every key in them is optional). */
const OPTIONAL_SECTIONS: ReadonlySet<string> = new Set(["sync"]);

/** Unknown sections and keys, missing sections and required keys. Values are not looked at. */
export function checkNames(doc: IniDocument): Problem[] {
  const problems: Problem[] = [];
  const sectionNames = Object.keys(SCHEMA);
  for (const section of doc.sections.values()) {
    const keys = SCHEMA[section.name];
    if (keys === undefined) {
      const hint = didYouMean(section.name, sectionNames, (s) => `[${s}]`);
      problems.push({ line: section.line, message: `unknown section [${section.name}]${hint}` });
      continue;
    }
    for (const entry of section.entries.values()) {
      if (keys[entry.key] !== undefined) continue;
      const other = sectionNames.find((s) => s !== section.name && SCHEMA[s][entry.key] !== undefined);
      const hint = other !== undefined
        ? `; it belongs in [${other}]`
        : didYouMean(entry.key, Object.keys(keys));
      problems.push({ line: entry.line, message: `[${section.name}] unknown key '${entry.key}'${hint}` });
    }
  }
  for (const name of sectionNames) {
    const section = doc.sections.get(name);
    if (section === undefined) {
      if (!OPTIONAL_SECTIONS.has(name)) problems.push({ message: `missing section [${name}]` });
      continue;
    }
    for (const [key, spec] of Object.entries(SCHEMA[name])) {
      if (spec.required && !section.entries.has(key)) {
        problems.push({ line: section.line, message: `[${name}] missing required key '${key}'` });
      }
    }
  }
  return problems;
}

/** `; did you mean 'x'?` for the closest candidate within a small edit distance, else "". */
function didYouMean(
  name: string,
  candidates: string[],
  show: (c: string) => string = (c) => `'${c}'`,
): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return best !== undefined && bestDistance <= limit ? `; did you mean ${show(best)}?` : "";
}

/** Levenshtein distance (insert, delete, substitute), two-row dynamic programming. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
