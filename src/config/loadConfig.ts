/** The imperative shell of config loading: read the file, then the pure parseConfig. */
import { ConfigError } from "../errors.ts";
import type { Config } from "../types.ts";
import { parseConfig } from "./parseConfig.ts";
import { readFailure } from "./section.ts";

export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new ConfigError([`${path}: cannot read the config file: ${readFailure(e)}`]);
  }
  return parseConfig(text, path, Deno.readTextFileSync);
}
