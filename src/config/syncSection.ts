/**
 * The [sync] section: ours, optional, as is every key in it (docs/configuration.md, "Configuration file");
 * without it a run behaves as the original tool did. Paths are resolved against the config file's
 * directory, as every path in the file is.
 */
import type { SyncConfig } from "../types.ts";
import { besideConfig, type SectionReader } from "./section.ts";

export function readSyncSection(s: SectionReader, configPath: string): SyncConfig {
  const auditLog = s.optional("audit_log");
  const metricsFile = s.optional("metrics_file");
  // node_exporter's textfile collector reads only *.prom files (its documentation).
  if (metricsFile && !metricsFile.value.endsWith(".prom")) {
    s.problem(metricsFile, `'${metricsFile.value}' must end in .prom (node_exporter reads only those)`);
  }
  return {
    ...(auditLog ? { auditLog: besideConfig(configPath, auditLog.value) } : {}),
    ...(metricsFile ? { metricsFile: besideConfig(configPath, metricsFile.value) } : {}),
  };
}
