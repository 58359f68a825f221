/**
 * Throwaway PKI for one test run. The maker lives with the emulator (emulator/pki.ts)
 * because `deno task emulator` needs it too; tests keep importing it from here. Under
 * `deno task test:windows` (deno.exe in Wine, no openssl) the Linux side makes it in `dir`.
 */
import {
  type CertVariant,
  makeCertVariant as makeLocalVariant,
  makeTestPki as makeLocal,
  type TestPki,
} from "../../emulator/pki.ts";
import { remoteFixtures } from "./windows/remote.ts";

export type { CertVariant, TestPki };

export function makeTestPki(dir: string, opts: { san?: string; cn?: string } = {}): Promise<TestPki> {
  return remoteFixtures()?.makeTestPki(dir, opts) ?? makeLocal(dir, opts);
}

/** A refused server certificate (expired, not yet valid, wrong host) for a PKI's key; see emulator/pki.ts. */
export function makeCertVariant(
  pki: TestPki,
  variant: CertVariant,
): Promise<{ certFile: string; certPem: string }> {
  return remoteFixtures()?.makeCertVariant(pki.dir, variant) ?? makeLocalVariant(pki.dir, variant);
}
