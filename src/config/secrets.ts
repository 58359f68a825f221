/**
 * The three secrets (api_key, bind_password, proxy_pass) may come from the config file, from a
 * file named by `<key>_file`, or from an environment variable, so the config file itself can be
 * shared, versioned or baked into an image while the secrets come from a vault or CI variables.
 *
 * Exactly one source per secret: two would leave the admin guessing which one a run used, so two
 * is a config error naming both. A secret file is read once, here, relative to the config file's
 * directory (like ca_file), and loses ONE trailing newline (what `echo` and editors add; a
 * password may end in spaces, so nothing else is trimmed) and a leading byte order mark. Values are never put in a message.
 */
import type { IniEntry } from "./ini.ts";
import { besideConfig, cannotRead, type ReadTextFile, type SectionReader } from "./section.ts";

export type SecretKey = "api_key" | "bind_password" | "proxy_pass";

const SECRET_ENV: Readonly<Record<SecretKey, string>> = {
  api_key: "LOGINTC_SYNC_API_KEY",
  bind_password: "LOGINTC_SYNC_BIND_PASSWORD",
  proxy_pass: "LOGINTC_SYNC_PROXY_PASS",
};

/** The environment variables read for secrets (src/cli/permissions.ts grants exactly these). */
export const SECRET_ENV_NAMES: readonly string[] = Object.values(SECRET_ENV);

export interface SecretIo {
  env: (name: string) => string | undefined;
  readTextFile: ReadTextFile;
  /** The config file's path (secret files are relative to its directory). */
  configPath: string;
  /** Each secret file read, so the shell can warn about its mode like the config's. */
  files: string[];
}

export interface Secret {
  value: string;
  /** The config line it came from (the key or the _file key); undefined from the environment. */
  entry?: IniEntry;
  /** Records a problem with the value, at its line, or naming the variable it came from. */
  problem(message: string): void;
}

/** The secret's value from its one source, or undefined (absent, or a problem was recorded). */
export function readSecret(
  s: SectionReader,
  key: SecretKey,
  required: boolean,
  io: SecretIo,
): Secret | undefined {
  const envName = SECRET_ENV[key];
  // An empty value counts as not set, so a copy of sample.cfg with `api_key =` left empty works
  // with the key in the environment.
  const inline = s.optional(key);
  const fileEntry = s.optional(`${key}_file`);
  const fromEnv = io.env(envName);
  const sources = [
    inline && key,
    fileEntry && `${key}_file`,
    fromEnv !== undefined && `the environment variable ${envName}`,
  ].filter((x): x is string => typeof x === "string");

  if (sources.length > 1) {
    s.problem(
      (inline ?? fileEntry)!,
      `is given more than once: ${sources.join(" and ")}; keep exactly one`,
    );
    return undefined;
  }
  if (inline) return { value: inline.value, entry: inline, problem: (m) => s.problem(inline, m) };
  if (fileEntry) return readSecretFile(s, fileEntry, io);
  if (fromEnv !== undefined) {
    const problem = (m: string) => s.sectionProblem(`${key} (from ${envName}): ${m}`);
    if (fromEnv === "") {
      problem("the variable is set but empty");
      return undefined;
    }
    return { value: fromEnv, problem };
  }
  // Required and given nowhere: "has no value" for `key =`, else the key is missing.
  if (required && s.has(key)) s.required(key);
  else if (required && s.exists) {
    s.sectionProblem(`missing required key '${key}' (or ${key}_file, or ${envName} in the environment)`);
  }
  return undefined;
}

function readSecretFile(s: SectionReader, entry: IniEntry, io: SecretIo): Secret | undefined {
  const path = besideConfig(io.configPath, entry.value);
  let text: string;
  try {
    text = io.readTextFile(path);
  } catch (e) {
    s.problem(entry, cannotRead(io.configPath, path, e, true));
    return undefined;
  }
  io.files.push(path);
  // A byte order mark (Notepad's UTF-8) is not part of the secret (Unicode Standard §23.8).
  const value = text.replace(/^\uFEFF/, "").replace(/\r?\n$/, "");
  if (value === "") {
    s.problem(entry, `'${path}' is empty`);
    return undefined;
  }
  return { value, entry, problem: (m) => s.problem(entry, `(the value in '${path}') ${m}`) };
}
