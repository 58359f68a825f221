/**
 * `ldap.disabled`: how many of the users the filter selects the directory shows disabled, by the
 * server's own flag and disabled_filter, read as a sync reads them (src/directory/disabled.ts), and
 * what [sync] disabled_users makes of them (docs/configuration.md, "[sync]"). Reads only.
 */
import {
  DISABLED_BY_FILTER,
  disabledAttributes,
  disabledReason,
  disabledRuleName,
} from "../directory/disabled.ts";
import type { LdapClient } from "../directory/ldapClient.ts";
import { firstValue, type RawEntry } from "../directory/mapUser.ts";
import { PAGE_SIZE } from "../directory/readDirectory.ts";
import type { Vendor } from "../directory/vendor.ts";
import { escapeText } from "../output/escape.ts";
import type { DoctorCheck } from "../report/report.ts";
import type { LdapConfig, SyncConfig } from "../types.ts";
import { fail, ok, warn } from "./doctorCheck.ts";

const ID = "ldap.disabled";
/** How many disabled users are named. */
const NAMED = 5;

export async function checkDisabled(
  client: LdapClient,
  config: LdapConfig,
  sync: SyncConfig,
  vendor: Vendor,
  now: Date,
  explain: (e: unknown) => string,
): Promise<DoctorCheck> {
  const rule = disabledRuleName(vendor.id);
  const checked = [
    rule,
    sync.disabledFilter !== undefined ? `disabled_filter ${sync.disabledFilter}` : undefined,
  ]
    .filter((x) => x !== undefined).join("; ");
  if (checked === "") {
    const detail = `not checked: logintc-sync knows no disabled flag of ${vendor.name}, and [sync] has no ` +
      "disabled_filter";
    const fix = "name the disabled entries with disabled_filter in [sync] (docs/configuration.md, [sync])";
    return sync.disabledUsers === "exclude" ? warn(ID, detail, fix) : ok(ID, detail);
  }
  /** username (or DN) → why, in the order found. */
  const disabled = new Map<string, string>();
  const nameOf = (e: RawEntry) => firstValue(e, config.attrUsername)?.trim() || e.dn;
  try {
    if (rule !== undefined) {
      await eachEntry(
        client,
        config,
        config.filter,
        [config.attrUsername, ...disabledAttributes(vendor.id)],
        (e) => {
          const why = disabledReason(e, vendor.id, now);
          if (why !== undefined) disabled.set(nameOf(e), why);
        },
      );
    }
    if (sync.disabledFilter !== undefined) {
      const both = `(&${config.filter}${sync.disabledFilter})`;
      await eachEntry(client, config, both, [config.attrUsername], (e) => {
        const name = nameOf(e);
        if (!disabled.has(name)) disabled.set(name, DISABLED_BY_FILTER);
      });
    }
  } catch (e) {
    return fail(
      ID,
      explain(e),
      "fix what the message names (disabled_filter, limits), then run --doctor again",
    );
  }
  if (disabled.size === 0) return ok(ID, `no user is disabled in the directory (checked: ${checked})`);
  const names = [...disabled].sort(([a], [b]) => a.localeCompare(b)).slice(0, NAMED).map(([name, why]) =>
    `${escapeText(name)}: ${why}`
  );
  if (disabled.size > NAMED) names.push(`… and ${disabled.size - NAMED} more`);
  if (sync.disabledUsers === "include") {
    const head = `${disabled.size} user(s) are disabled in the directory and keep their tokens ` +
      `(disabled_users = include; checked: ${checked})`;
    return {
      ...warn(
        ID,
        head,
        "to revoke their tokens, set disabled_users = exclude in [sync] (removed as -m and -r allow)",
      ),
      detail: [head, ...names].join("\n"),
    };
  }
  const head = `${disabled.size} user(s) are disabled in the directory and are treated as not in it ` +
    `(disabled_users = exclude; checked: ${checked})`;
  return { ...ok(ID, head), detail: [head, ...names].join("\n") };
}

async function eachEntry(
  client: LdapClient,
  config: LdapConfig,
  filter: string,
  attributes: string[],
  onEntry: (entry: RawEntry) => void,
): Promise<void> {
  const pages = client.searchPaginated(config.baseDn, {
    scope: "sub",
    filter,
    attributes,
    paged: { pageSize: PAGE_SIZE },
  });
  for await (const page of pages) for (const e of page.searchEntries) onEntry(e as RawEntry);
}
