/**
 * The pure part of reading the config file: text → validated Config, or a ConfigError listing
 * every problem (each `file:line: message`, sorted by line). The only I/O, reading ca_file,
 * goes through the injected reader.
 */
import { ConfigError } from "../errors.ts";
import type { Config } from "../types.ts";
import { parseIni } from "./ini.ts";
import { readLdapSection } from "./ldapSection.ts";
import { readLoginTCSection } from "./logintcSection.ts";
import { formatProblems } from "./problems.ts";
import { checkNames } from "./schema.ts";
import type { SecretIo } from "./secrets.ts";
import { type ReadTextFile, sectionReader } from "./section.ts";

export type { ReadTextFile } from "./section.ts";

export function parseConfig(
  text: string,
  path: string,
  readTextFile: ReadTextFile,
  env: (name: string) => string | undefined = () => undefined,
): Config {
  const { doc, problems } = parseIni(text, path);
  problems.push(...checkNames(doc));
  const io: SecretIo = { env, readTextFile, configPath: path, files: [] };
  const logintc = readLoginTCSection(sectionReader(doc, "logintc", problems, readTextFile), io);
  const ldap = readLdapSection(sectionReader(doc, "ldap", problems, readTextFile), io);
  if (problems.length > 0) throw new ConfigError(formatProblems(path, problems));
  return { path, logintc, ldap, ...(io.files.length > 0 ? { secretFiles: io.files } : {}) };
}
