/**
 * `deno task emulator [--port 8443] [--page-size 100] [--seed users.json] [--api public]`: runs the LoginTC
 * emulator over HTTPS with a fresh throwaway CA, prints what to put in the sync's config, and
 * serves until Ctrl-C. For trying logintc-sync against a fake LoginTC Admin (demo, CI smoke).
 */
import { parseArgs } from "node:util";
import { type SeedUser, startEmulator } from "./mod.ts";
import { makeTestPki } from "./pki.ts";

const USAGE =
  "usage: deno task emulator [--port N] [--page-size N] [--seed file.json] [--api extended|public]";

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
    throw new Error(`--seed ${path}: ${(e as Error).message}`);
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

  const dir = await Deno.makeTempDir({ prefix: "logintc-emulator-" });
  const pki = await makeTestPki(dir);
  const emu = await startEmulator({
    tls: { cert: pki.serverCertPem, key: pki.serverKeyPem },
    port,
    pageSize,
    api,
  });
  try {
    for (const g of seed.groups ?? []) emu.seedGroup(g);
    for (const a of seed.administrators ?? []) emu.seedAdministrator(a);
    (seed.users ?? []).forEach((u, i) => {
      try {
        emu.seedUser(u);
      } catch (e) {
        throw new Error(`--seed ${values.seed}: user ${i}: ${(e as Error).message}`);
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
  console.log("Press Ctrl-C to stop.");

  const { promise: interrupted, resolve } = Promise.withResolvers<void>();
  const onSignal = () => resolve();
  Deno.addSignalListener("SIGINT", onSignal);
  await interrupted;
  Deno.removeSignalListener("SIGINT", onSignal);
  console.log(`\nStopping; ${emu.requests.length} request(s) served.`);
  await emu.close();
  await Deno.remove(dir, { recursive: true });
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`emulator: ${(e as Error).message}\n${USAGE}`);
    Deno.exitCode = 2;
  }
}
