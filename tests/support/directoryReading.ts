/**
 * readDirectory in the slapd tests: the sync account's password, a config for a test slapd, and a
 * read that must fail with a DirectoryError holding neither the password nor a stack trace.
 */
import assert from "node:assert/strict";
import { readDirectory, type ReadOptions } from "../../src/directory/readDirectory.ts";
import { DirectoryError } from "../../src/errors.ts";
import type { DirectoryRead, LdapConfig } from "../../src/types.ts";
import { ldapConfigFor } from "./config.ts";
import { memoryOutput } from "./output.ts";
import type { Slapd } from "./slapd.ts";

export const PASSWORD = "Very$ecret-pw";
export const NO_FLAGS: ReadOptions = { ignoreReferral: false, localValidation: false };

/** An [ldap] config as loaded (a ca_file read), for this file's slapd. */
export function config(s: Slapd, over: Partial<LdapConfig> = {}): LdapConfig {
  return ldapConfigFor(s, over);
}

export function read(cfg: LdapConfig, options: ReadOptions = NO_FLAGS, timeouts: { op?: number } = {}) {
  return readDirectory(cfg, options, {
    output: memoryOutput(),
    now: () => new Date(),
    operationTimeoutMs: timeouts.op,
  });
}

/** The read must reject (so no partial list escapes) with a DirectoryError matching every pattern. */
export async function rejects(p: Promise<DirectoryRead>, ...patterns: RegExp[]): Promise<string> {
  let message = "";
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DirectoryError, `expected DirectoryError, got ${e}`);
    message = e.message;
    for (const re of patterns) assert.match(e.message, re);
    assert.ok(!e.message.includes(PASSWORD), "the bind password leaked into the message");
    assert.doesNotMatch(e.message, /\n\s+at /, "a stack trace leaked into the message");
    return true;
  });
  return message;
}
