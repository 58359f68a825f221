/**
 * The [sync] section: how leavers are handled (docs/configuration.md, "[sync]"), the audit trail and
 * the metrics file (docs/operations.md). Optional, as is every key in it; without it a run behaves as
 * the original tool did. Paths are resolved against the config file's directory, as every path in
 * the file is.
 */
import type { DisabledUsers, RemoveScope, SyncConfig } from "../types.ts";
import { checkFilter } from "./filter.ts";
import { besideConfig, type SectionReader } from "./section.ts";

const DISABLED_USERS: Record<string, DisabledUsers> = { include: "include", exclude: "exclude" };
const REMOVE_SCOPES: Record<string, RemoveScope> = { all: "all", managed: "managed" };
/** Ten years: a longer grace period is a typo, and its dates would be meaningless. */
export const MAX_DELETE_AFTER_DAYS = 3650;

export function readSyncSection(s: SectionReader, configPath: string): SyncConfig {
  const disabled = s.optional("disabled_users");
  const disabledUsers = disabled ? DISABLED_USERS[disabled.value.toLowerCase()] : "include";
  if (disabled && !disabledUsers) s.problem(disabled, `'${disabled.value}' is not one of include, exclude`);

  const filterEntry = s.optional("disabled_filter");
  let disabledFilter: string | undefined;
  if (filterEntry) {
    const checked = checkFilter(filterEntry.value);
    if ("problem" in checked) s.problem(filterEntry, `not a valid LDAP filter: ${checked.problem}`);
    else disabledFilter = checked.filter;
  }

  const scope = s.optional("remove_scope");
  const removeScope = scope ? REMOVE_SCOPES[scope.value.toLowerCase()] : "all";
  if (scope && !removeScope) s.problem(scope, `'${scope.value}' is not one of all, managed`);

  const days = s.optional("delete_after_days");
  let deleteAfterDays = 0;
  if (days) {
    if (/^\d{1,5}$/.test(days.value) && Number(days.value) <= MAX_DELETE_AFTER_DAYS) {
      deleteAfterDays = Number(days.value);
    } else {
      s.problem(days, `'${days.value}' is not a whole number of days from 0 to ${MAX_DELETE_AFTER_DAYS}`);
    }
  }

  const auditLog = s.optional("audit_log");
  const metricsFile = s.optional("metrics_file");
  // node_exporter's textfile collector reads only *.prom files (its documentation).
  if (metricsFile && !metricsFile.value.endsWith(".prom")) {
    s.problem(metricsFile, `'${metricsFile.value}' must end in .prom (node_exporter reads only those)`);
  }

  return {
    disabledUsers: disabledUsers ?? "include",
    ...(disabledFilter !== undefined ? { disabledFilter } : {}),
    protectUsers: readNames(s, s.optional("protect_users")),
    removeScope: removeScope ?? "all",
    deleteAfterDays,
    ...(auditLog ? { auditLog: besideConfig(configPath, auditLog.value) } : {}),
    ...(metricsFile ? { metricsFile: besideConfig(configPath, metricsFile.value) } : {}),
  };
}

/**
 * `breakglass, svc-backup`: usernames, compared as LoginTC compares them (case-insensitively), so a
 * name listed twice in two spellings is one mistake worth naming.
 */
function readNames(s: SectionReader, entry: ReturnType<SectionReader["optional"]>): string[] {
  if (!entry) return [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const raw of entry.value.split(",")) {
    const name = raw.trim();
    if (name === "") {
      s.problem(entry, "has an empty name between commas");
      continue;
    }
    const key = name.toLowerCase();
    if (seen.has(key)) {
      s.problem(entry, `'${name}' is listed twice`);
      continue;
    }
    seen.add(key);
    names.push(name);
  }
  return names;
}
