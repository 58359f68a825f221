/**
 * Typed reads of one INI section's values, recording problems instead of stopping, so every
 * problem in the file is reported in one pass. Messages name `[section] key` and the line, and
 * never contain a value of a secret key.
 */
import { dirname, isAbsolute, join } from "node:path";
import type { IniDocument, IniEntry } from "./ini.ts";
import { couldBeSecret, type Problem } from "./problems.ts";
import { messageOf } from "../unknown.ts";

/** Reads a whole text file, synchronously; throws Deno's errors (NotFound, …). Injected for tests. */
export type ReadTextFile = (path: string) => string;

export interface SectionReader {
  /** The entry when present with a non-empty value; an empty optional value counts as absent. */
  optional(key: string): IniEntry | undefined;
  /** Like optional, but a present empty value is a problem ("has no value"). */
  required(key: string): IniEntry | undefined;
  /** False when the file has no such section (already reported by checkNames). */
  readonly exists: boolean;
  /** True when the key is in the section, even with an empty value. */
  has(key: string): boolean;
  /** Record a problem with this entry: `[section] key: message` at its line. */
  problem(entry: IniEntry, message: string): void;
  /** Record a problem with the section as a whole, at its header line. */
  sectionProblem(message: string): void;
  /**
   * ca_file: resolved against the config file's directory, read once here (the only place it is
   * read), and required to hold a PEM certificate. Absent → {}.
   */
  ca(): { caFile?: string; caPem?: string };
}

export function sectionReader(
  doc: IniDocument,
  name: string,
  problems: Problem[],
  readTextFile: ReadTextFile,
): SectionReader {
  const section = doc.sections.get(name);
  const problem = (entry: IniEntry, message: string) =>
    problems.push({ line: entry.line, message: `[${name}] ${entry.key}: ${message}` });
  const optional = (key: string) => {
    const entry = section?.entries.get(key);
    return entry !== undefined && entry.value !== "" ? entry : undefined;
  };
  return {
    optional,
    required(key) {
      const entry = section?.entries.get(key);
      if (entry !== undefined && entry.value === "") problem(entry, "has no value");
      return optional(key);
    },
    exists: section !== undefined,
    has: (key) => section?.entries.has(key) ?? false,
    problem,
    sectionProblem(message) {
      problems.push({ line: section?.line, message: `[${name}] ${message}` });
    },
    ca() {
      const entry = optional("ca_file");
      if (entry === undefined) return {};
      const path = besideConfig(doc.file, entry.value);
      let text: string;
      try {
        text = readTextFile(path);
      } catch (e) {
        problem(entry, cannotRead(doc.file, path, e, false));
        return {};
      }
      if (!text.includes("-----BEGIN CERTIFICATE-----")) {
        problem(entry, `'${path}' contains no PEM certificate (-----BEGIN CERTIFICATE-----)`);
        return {};
      }
      return { caFile: path, caPem: text };
    },
  };
}

/**
 * A path named in the config, relative to the config file's directory, not the working directory:
 * cron and Task Scheduler start the tool from a directory the admin did not choose.
 */
export function besideConfig(configPath: string, path: string): string {
  return isAbsolute(path) ? path : join(dirname(configPath), path);
}

/**
 * Why the file a `*_file` or `ca_file` key names cannot be read. A path that names nothing is not
 * quoted when it may be a secret typed into the wrong key: never for the secrets' own `*_file`
 * keys (`bind_password_file = <the password>`), and for `ca_file` when it looks like one
 * (shownValue). The key and line say which value, and a relative path's folder is named. A file
 * that is there but unreadable is named.
 */
export function cannotRead(
  configPath: string,
  path: string,
  e: unknown,
  secretKey: boolean,
): string {
  const there = e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.IsADirectory;
  if (there || (!secretKey && !couldBeSecret(path))) return `cannot read '${path}': ${readFailure(e)}`;
  return `cannot read the file it names: ${readFailure(e)} (the path is not shown, in case it is a secret ` +
    `typed into the wrong key; a relative path is read from ${dirname(configPath) || "."})`;
}

/** A short reason a file could not be read (the path is in the caller's message). */
export function readFailure(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "it is a directory";
  return messageOf(e);
}
