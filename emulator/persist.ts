/**
 * `deno task emulator --dir DIR`: the emulator's CA, server key and certificate, and its state
 * (users, domains with members and tokens, groups, administrators) kept in DIR, so a config
 * written against it — host, api_key, domain_id, ca_file — keeps working across restarts
 * (docs/development.md, "The LoginTC emulator").
 */
import { join } from "node:path";
import type { EmulatorSnapshot } from "./model.ts";
import { makeTestPki, readTestPki, type TestPki } from "./pki.ts";

const STATE_FILE = "state.json";
/** Long enough that a config written against a kept emulator does not expire in use. */
const KEPT_PKI_DAYS = 825;

/** The PKI in `dir`, made there on first use. */
export async function keptPki(dir: string): Promise<TestPki> {
  try {
    return await readTestPki(dir);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    return await makeTestPki(dir, { days: KEPT_PKI_DAYS });
  }
}

/** The state saved in `dir`, or undefined on first use. */
export async function readSnapshot(dir: string): Promise<EmulatorSnapshot | undefined> {
  const path = join(dir, STATE_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  const snap = JSON.parse(text) as EmulatorSnapshot;
  if (snap?.version !== 1 || !snap.state) throw new Error(`${path}: not an emulator state file (version 1)`);
  return snap;
}

/** Writes the state atomically (a temp file, then rename), so a kill never leaves half a file. */
async function writeSnapshot(dir: string, snap: EmulatorSnapshot): Promise<void> {
  const path = join(dir, STATE_FILE);
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(snap) + "\n");
  await Deno.rename(tmp, path);
}

/**
 * Saves the state to `dir` about once a second after a request that may have changed it (any
 * method but GET), and once more on stop(): a killed emulator loses at most the last second.
 */
export function keepSaving(
  dir: string,
  emu: { requests: readonly { method: string }[]; snapshot(): EmulatorSnapshot },
): { stop(): Promise<void> } {
  let seen = emu.requests.length;
  let saving = Promise.resolve();
  const saveIfChanged = () => {
    const fresh = emu.requests.slice(seen);
    seen += fresh.length;
    if (fresh.some((r) => r.method !== "GET")) saving = saving.then(() => writeSnapshot(dir, emu.snapshot()));
  };
  const timer = setInterval(saveIfChanged, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await saving;
      await writeSnapshot(dir, emu.snapshot());
    },
  };
}
