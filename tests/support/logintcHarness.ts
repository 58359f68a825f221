/**
 * The LoginTC client's failure tests: one PKI per test, a fresh emulator per step, and every error
 * text the steps provoke kept, so a last step can check that no secret (API key, proxy password)
 * appears in any of them.
 */
import assert from "node:assert/strict";
import type { Emulator } from "../../emulator/mod.ts";
import { type ClientDeps, createLoginTCClient, type LoginTCClient } from "../../src/logintc/client.ts";
import type { LoginTCConfig } from "../../src/types.ts";
import type { TestPki } from "./certs.ts";
import { configFor, errorText, rejection, withEmulator, withPki } from "./logintc.ts";

/** An API key no emulator accepts, scanned for too. */
export const WRONG_KEY = "WrongKey0000000000000000000000000000000000000000000000000000000Z";

/** Runs fn with the client, then closes it whatever happened. */
export async function using<T>(client: LoginTCClient, fn: (c: LoginTCClient) => Promise<T>): Promise<T> {
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Error texts and outputs a test provokes, kept to be scanned for secrets at its end. */
export interface SecretScan {
  /** The error fn() rejects with; its text is kept. */
  fail(fn: () => Promise<unknown>): Promise<Error>;
  /** Keeps any other text (a child's output). */
  capture(text: string): void;
  /** Adds a secret to look for (an emulator's API key). */
  secret(value: string): void;
}

/**
 * Runs the steps `fn` adds, then a last step `name`: at least `min` texts were captured (so the
 * scan cannot pass by seeing nothing) and none holds any of `secrets` or those added since.
 */
export async function withSecretScan(
  t: Deno.TestContext,
  name: string,
  min: number,
  secrets: readonly string[],
  fn: (scan: SecretScan) => Promise<void>,
): Promise<void> {
  const captured: string[] = [];
  const all = [...secrets];
  await fn({
    fail: async (f) => {
      const e = await rejection(f);
      captured.push(errorText(e));
      return e;
    },
    capture: (text) => captured.push(text),
    secret: (value) => all.push(value),
  });
  await t.step(name, () => {
    assert.ok(captured.length >= min, `captured ${captured.length}`);
    for (const text of captured) {
      for (const value of all) assert.ok(!text.includes(value), `a secret leaked into: ${text}`);
    }
  });
}

export interface FaultHarness {
  pki: TestPki;
  /** The error fn() rejects with; its text joins the scan. */
  fail(fn: () => Promise<unknown>): Promise<Error>;
  /** Runs fn against a fresh emulator trusting the PKI; its API key joins the scan. */
  start(fn: (emu: Emulator) => Promise<void>): Promise<void>;
  /** A client for `emu` trusting the PKI's CA, with no proxy from the environment. */
  client(emu: Emulator, deps?: ClientDeps, cfg?: Partial<LoginTCConfig>): LoginTCClient;
}

/** A PKI, an emulator per step, and at the end the scan of at least `errors` error texts for API keys. */
export function withFaultHarness(
  t: Deno.TestContext,
  errors: number,
  fn: (h: FaultHarness) => Promise<void>,
): Promise<void> {
  return withSecretScan(
    t,
    "no captured error text contains an API key",
    errors,
    [WRONG_KEY],
    (scan) =>
      withPki((pki) =>
        fn({
          pki,
          fail: scan.fail,
          start: (f) => withEmulator(pki, {}, (emu) => (scan.secret(emu.apiKey), f(emu))),
          client: (emu, deps = {}, cfg = {}) =>
            createLoginTCClient(configFor(emu, { caPem: pki.caPem, ...cfg }), {
              env: () => undefined,
              ...deps,
            }),
        })
      ),
  );
}
