/** The imperative shell of config loading: read the file, then the pure parseConfig. */
import { ConfigError } from "../errors.ts";
import type { Config } from "../types.ts";
import { decodeConfigText } from "./decode.ts";
import { parseConfig } from "./parseConfig.ts";
import { readFailure } from "./section.ts";

/** `env` looks up the secrets' variables (src/config/secrets.ts); default Deno.env.get. */
export async function loadConfig(
  path: string,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Promise<Config> {
  const cannotRead = (reason: string) => new ConfigError([`${path}: cannot read the config file: ${reason}`]);
  // Stat first: reading a directory fails with IsADirectory on Linux but with "Invalid function.
  // (os error 1)" (ERROR_INVALID_FUNCTION) on Windows (measured: deno.exe 2.9.6 under Wine), so a stat
  // gives the same clear message on every platform.
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    throw cannotRead(readFailure(e));
  }
  if (info.isDirectory) throw cannotRead("it is a directory");
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw cannotRead(readFailure(e));
  }
  // UTF-8 (BOM or not) or UTF-16 with a BOM, as Notepad saves; anything else is one error (decode.ts).
  const text = decodeConfigText(bytes, path);
  // The mode from the stat above, so the mode warning (./fileMode.ts) needs no second stat.
  return Object.freeze({ ...parseConfig(text, path, Deno.readTextFileSync, env), mode: info.mode });
}
