/**
 * The metrics file (--metrics-file, [sync] metrics_file): written whole, as a temporary file beside
 * it renamed over it, so node_exporter's textfile collector never reads half of one (its
 * documentation asks for exactly this; the temporary name does not end in .prom, so it is never
 * collected). Readable by all (0644) unless the file already has another mode: node_exporter runs
 * as its own user, and the file holds counts and times, no names and no secret.
 */
import { dirname } from "node:path";
import { ConfigError } from "../errors.ts";
import { escapeText } from "./escape.ts";
import { fileProblem } from "./auditLog.ts";

const MODE = 0o644;

/** Before the run: the file's folder must exist (else exit 2 now rather than a failure at the end). */
export async function checkMetricsFile(path: string, label: string): Promise<void> {
  const folder = dirname(path);
  let isFolder: boolean;
  try {
    isFolder = (await Deno.stat(folder)).isDirectory;
  } catch (error) {
    throw new ConfigError([`${label}: cannot write ${escapeText(path)}: ${fileProblem(error)}`]);
  }
  if (!isFolder) {
    throw new ConfigError([
      `${label}: cannot write ${escapeText(path)}: ${escapeText(folder)} is not a folder`,
    ]);
  }
}

export async function writeMetricsFile(path: string, text: string): Promise<void> {
  let mode = MODE;
  try {
    mode = ((await Deno.stat(path)).mode ?? MODE) & 0o777;
  } catch { /* absent: 0644 */ }
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(temp, text, { createNew: true, mode });
    // The umask may have narrowed it (systemd's UMask=0077): set it as meant.
    if (Deno.build.os !== "windows") await Deno.chmod(temp, mode);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
