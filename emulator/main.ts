/**
 * `deno task emulator [--port 8443] [--page-size 100] [--seed users.json] [--api public]`: runs the LoginTC
 * emulator over HTTPS with a fresh throwaway CA, prints what to put in the sync's config, and
 * serves until Ctrl-C. For trying logintc-sync against a fake LoginTC Admin (demo, CI smoke).
 * `--dir DIR` keeps the CA, the server key and the state in DIR across restarts (./persist.ts).
 */
import { parseArgs } from "node:util";
import { type SeedUser, startEmulator } from "./mod.ts";
import { makeTestPki } from "./pki.ts";
import { keepSaving, keptPki, readSnapshot } from "./persist.ts";
import { resolve } from "node:path";
import { messageOf } from "../src/unknown.ts";

const USAGE =
  "usage: deno task emulator [--port N] [--page-size N] [--seed file.json] [--dir DIR] [--api extended|public]";

/** --seed file: an array of users, or {"users": [...], "groups": [names], "administrators": [emails]}. */
export interface SeedFile {
  users?: SeedUser[];
  groups?: string[];
  administrators?: string[];
}

function positiveInt(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > 65535) {
    throw new Error(`--${flag} must be a whole number from ${min} to 65535, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

async function readSeed(path: string): Promise<SeedFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    throw new Error(`--seed ${path}: ${messageOf(e)}`);
  }
  if (Array.isArray(parsed)) return { users: parsed as SeedUser[] };
  if (typeof parsed === "object" && parsed !== null) return parsed as SeedFile;
  throw new Error(`--seed ${path}: expected a JSON array of users or an object with "users"`);
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      "page-size": { type: "string" },
      seed: { type: "string" },
      dir: { type: "string" },
      api: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return console.log(USAGE);
  const port = positiveInt("port", values.port, 8443, 0);
  const pageSize = positiveInt("page-size", values["page-size"], 100, 1);
  const seed = values.seed ? await readSeed(values.seed) : {};
  // "public": only the API the official clients show (emulator/mod.ts EmulatorOptions.api).
  const api = values.api ?? "extended";
  if (api !== "extended" && api !== "public") {
    throw new Error(`--api must be extended or public, got ${JSON.stringify(api)}`);
  }

  // --dir: kept (absolute, so the printed ca_file works from any config's folder); else a temp dir.
  const kept = values.dir === undefined ? undefined : resolve(values.dir);
  const dir = kept ?? await Deno.makeTempDir({ prefix: "logintc-emulator-" });
  const pki = kept ? await keptPki(kept) : await makeTestPki(dir);
  const saved = kept ? await readSnapshot(kept) : undefined;
  const emu = await startEmulator({
    tls: { cert: pki.serverCertPem, key: pki.serverKeyPem },
    port,
    pageSize,
    api,
  });
  try {
    // A kept state already holds what --seed added on first use.
    if (saved) emu.restore(saved);
    if (saved && values.seed) console.log(`--seed ignored: ${kept} holds a saved state`);
    const toSeed = saved ? {} : seed;
    for (const g of toSeed.groups ?? []) emu.seedGroup(g);
    for (const a of toSeed.administrators ?? []) emu.seedAdministrator(a);
    (toSeed.users ?? []).forEach((u, i) => {
      try {
        emu.seedUser(u);
      } catch (e) {
        throw new Error(`--seed ${values.seed}: user ${i}: ${messageOf(e)}`);
      }
    });
  } catch (e) {
    await emu.close();
    throw e;
  }

  console.log(`LoginTC emulator listening on ${emu.url}/api (page size ${pageSize}, ${api} API)`);
  console.log(`CA certificate: ${pki.caFile}`);
  console.log(`API key:        ${emu.apiKey}   (a fixed test key)`);
  console.log(`Domain id:      ${emu.domainId}`);
  console.log(`Users seeded:   ${emu.users().length}`);
  console.log("\nPaste into your logintc-sync config:\n");
  console.log(
    `[logintc]\nhost = ${emu.host}\napi_key = ${emu.apiKey}\ndomain_id = ${emu.domainId}\nca_file = ${pki.caFile}\n`,
  );
  if (kept) console.log(`State kept in ${kept} (${saved ? "restored" : "new"}); the CA stays the same.`);
  console.log("Press Ctrl-C to stop.");
  const saver = kept ? keepSaving(kept, emu) : undefined;

  const { promise: interrupted, resolve: stop } = Promise.withResolvers<void>();
  const onSignal = () => stop();
  // SIGTERM too (a service manager's stop): a temp CA key must not outlive the process.
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  await interrupted;
  for (const s of signals) Deno.removeSignalListener(s, onSignal);
  console.log(`\nStopping; ${emu.requests.length} request(s) served.`);
  await emu.close();
  await saver?.stop();
  if (!kept) await Deno.remove(dir, { recursive: true });
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`emulator: ${messageOf(e)}\n${USAGE}`);
    Deno.exitCode = 2;
  }
}
