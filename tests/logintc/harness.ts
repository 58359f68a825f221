/**
 * The LoginTC client's failure tests: one PKI per test, a fresh emulator per step, and every error
 * text the steps provoke kept, so a last step can check that no API key appears in any of them.
 */
import assert from "node:assert/strict";
import type { Emulator } from "../../emulator/mod.ts";
import { type ClientDeps, createLoginTCClient, type LoginTCClient } from "../../src/logintc/client.ts";
import type { LoginTCConfig } from "../../src/types.ts";
import type { TestPki } from "../support/certs.ts";
import { configFor, errorText, rejection, withEmulator, withPki } from "../support/logintc.ts";

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

export interface FaultHarness {
  pki: TestPki;
  /** The error fn() rejects with; its text joins the scan. */
  fail(fn: () => Promise<unknown>): Promise<Error>;
  /** Runs fn against a fresh emulator trusting the PKI; its API key joins the scan. */
  start(fn: (emu: Emulator) => Promise<void>): Promise<void>;
  /** A client for `emu` trusting the PKI's CA, with no proxy from the environment. */
  client(emu: Emulator, deps?: ClientDeps, cfg?: Partial<LoginTCConfig>): LoginTCClient;
}

/**
 * Runs the steps `fn` adds, then a last step: at least `errors` error texts were captured (so the
 * scan cannot pass by seeing nothing) and none holds an API key.
 */
export async function withFaultHarness(
  t: Deno.TestContext,
  errors: number,
  fn: (h: FaultHarness) => Promise<void>,
): Promise<void> {
  const captured: string[] = [];
  const keys: string[] = [WRONG_KEY];
  await withPki((pki) =>
    fn({
      pki,
      fail: async (f) => {
        const e = await rejection(f);
        captured.push(errorText(e));
        return e;
      },
      start: (f) => withEmulator(pki, {}, (emu) => (keys.push(emu.apiKey), f(emu))),
      client: (emu, deps = {}, cfg = {}) =>
        createLoginTCClient(configFor(emu, { caPem: pki.caPem, ...cfg }), { env: () => undefined, ...deps }),
    })
  );
  await t.step("no captured error text contains an API key", () => {
    assert.ok(captured.length >= errors, `captured ${captured.length} errors`);
    for (const text of captured) {
      for (const key of keys) assert.ok(!text.includes(key), `an API key leaked into: ${text}`);
    }
  });
}
