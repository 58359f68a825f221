/**
 * The pure part of reading the config file: text → validated Config, or a ConfigError listing
 * every problem (each `file:line: message`, sorted by line). The only I/O, reading ca_file,
 * goes through the injected reader; it happens here, once, and the Config carries the PEM text.
 * The result is deep-frozen: a value read at load is the value every later step sees.
 */
import { ConfigError } from "../errors.ts";
import { redactor } from "../output/redact.ts";
import type { Config } from "../types.ts";
import { parseIni } from "./ini.ts";
import { readLdapSection } from "./ldapSection.ts";
import { readLoginTCSection } from "./logintcSection.ts";
import { formatProblems } from "./problems.ts";
import { checkNames } from "./schema.ts";
import type { SecretIo } from "./secrets.ts";
import { type ReadTextFile, sectionReader } from "./section.ts";
import { readSyncSection } from "./syncSection.ts";

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
  const sync = readSyncSection(sectionReader(doc, "sync", problems, readTextFile), path);
  if (problems.length > 0) {
    // A secret read from its own key may also sit in another (pasted twice): never in a message.
    const redact = redactor([logintc.apiKey, ldap.bindPassword, logintc.proxy?.pass]);
    throw new ConfigError(formatProblems(path, problems).map(redact));
  }
  return deepFreeze({
    path,
    logintc,
    ldap,
    sync,
    ...(io.files.length > 0 ? { secretFiles: io.files } : {}),
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
