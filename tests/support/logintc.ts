/**
 * Shared set-up for the LoginTC client tests: a per-file test PKI, the emulator over real HTTPS,
 * fake time (recorded sleeps, fixed clock and random), and a collector of everything the tests
 * captured (error messages, causes) so a test can prove no secret leaked into any of it.
 */
import { startEmulator } from "../../emulator/mod.ts";
import type { Emulator, EmulatorOptions } from "../../emulator/mod.ts";
import type { LoginTCConfig } from "../../src/types.ts";
import { makeTestPki } from "./certs.ts";
import type { TestPki } from "./certs.ts";

export async function withPki<T>(fn: (pki: TestPki) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "logintc-client-pki-" });
  try {
    return await fn(await makeTestPki(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

export async function withEmulator<T>(
  pki: TestPki,
  opts: Omit<EmulatorOptions, "tls">,
  fn: (emu: Emulator) => Promise<T>,
): Promise<T> {
  const emu = await startEmulator({ tls: { cert: pki.serverCertPem, key: pki.serverKeyPem }, ...opts });
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

export function configFor(emu: Emulator, extra: Partial<LoginTCConfig> = {}): LoginTCConfig {
  return { host: emu.host, apiKey: emu.apiKey, domainId: emu.domainId, ...extra };
}

/** Fake time: sleeps are recorded and return at once; the clock and random are fixed. */
export function fakeTime(nowMs = Date.UTC(2026, 0, 15, 12, 0, 0), random = 0.5) {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: (ms: number) => (sleeps.push(ms), Promise.resolve()),
    now: () => nowMs,
    random: () => random,
  };
}

/** Everything an error shows: message, details, and the whole cause chain. */
export function errorText(e: unknown): string {
  const parts: string[] = [];
  let x: unknown = e;
  for (let i = 0; x && i < 10; i++) {
    if (x instanceof Error) {
      parts.push(String(x), x.stack ?? "", JSON.stringify((x as { details?: unknown }).details ?? {}));
      x = x.cause;
    } else {
      parts.push(String(x));
      break;
    }
  }
  return parts.join("\n");
}

/** Runs fn, expecting it to throw; returns the error. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection, got success");
}
