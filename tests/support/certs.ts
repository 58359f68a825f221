/**
 * Throwaway PKI for one test run. The maker lives with the emulator (emulator/pki.ts)
 * because `deno task emulator` needs it too; tests keep importing it from here. Under
 * `deno task test:windows` (deno.exe in Wine, no openssl) the Linux side makes it in `dir`.
 */
import { makeTestPki as makeLocal, type TestPki } from "../../emulator/pki.ts";
import { remoteFixtures } from "../windows/remote.ts";

export type { TestPki };

export function makeTestPki(dir: string, opts: { san?: string; cn?: string } = {}): Promise<TestPki> {
  return remoteFixtures()?.makeTestPki(dir, opts) ?? makeLocal(dir, opts);
}
