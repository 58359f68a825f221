/**
 * `deno task demo`: the real CLI against a throwaway OpenLDAP directory and the LoginTC emulator.
 * Starts both on loopback from temp dirs, writes a config, then runs what an admin would:
 *   1. a dry run (the users and the plan, nothing written),
 *   2. the sync,
 *   3. -j on the job it created,
 *   4. a second dry run, which has nothing to do,
 * and stops everything it started. The config it used stays in demo/config.cfg (git-ignored), a
 * template for a real one. Installs slapd with apt-get when run as root, otherwise prints the
 * exact install command.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../emulator/mod.ts";
import { runCli } from "../tests/support/cli.ts";
import { writeSyncConfig } from "../tests/support/config.ts";
import { startSlapd, type UserSpec } from "../tests/support/slapd.ts";
import { ensureTools, TOOLS } from "../tests/support/tools.ts";

const missing = await ensureTools([TOOLS.openssl, TOOLS.slapd, TOOLS.slapadd], "deno task demo");
if (missing) {
  console.error(missing);
  Deno.exit(2);
}

/** A small company directory: non-ASCII names, one user without a phone. */
const PEOPLE: UserSpec[] = [
  { uid: "alice", displayName: "Alice Anderson", mail: "alice@example.com", telephoneNumber: "+1 555 0101" },
  { uid: "bob", displayName: "Bob Brown", mail: "bob@example.com", telephoneNumber: "+1 555 0102" },
  { uid: "juergen", displayName: "Jürgen Müller", mail: "juergen@example.com" },
  { uid: "guel", displayName: "Gül Öztürk", mail: "guel@example.com", telephoneNumber: "+49 30 1111" },
  { uid: "carol", displayName: "Carol Clark", mail: "carol.new@example.com" },
];

/** Where the demo leaves the config it ran with. */
const KEPT_DIR = fileURLToPath(new URL("../demo/", import.meta.url));
const KEPT_NOTE = [
  "# The config `deno task demo` ran with, kept as a template (docs/configuration.md has every key).",
  "# The directory and the LoginTC emulator it names were stopped and their CA deleted: put in your",
  "# LDAP host, bind_dn, bind_password, base_dn and filter, your LoginTC host, api_key and domain_id,",
  "# and ca_file only if a private CA signed your servers' certificates.",
  "",
].join("\n");

const workDir = await Deno.makeTempDir({ prefix: "logintc-sync-demo-" });
const slapd = await startSlapd({ users: PEOPLE });
const emulator = await startEmulator({
  tls: { cert: slapd.pki.serverCertPem, key: slapd.pki.serverKeyPem },
});
try {
  // LoginTC already knows carol (old email) and dave, who has left the company.
  emulator.seedUser({ username: "carol", name: "Carol Clark", email: "carol@example.com", token: "active" });
  emulator.seedUser({ username: "dave", name: "Dave Davis", email: "dave@example.com", token: "active" });

  const config = await writeSyncConfig(`${workDir}/config.cfg`, slapd, emulator, {
    attr_phone: "telephoneNumber",
  });

  const mode = ["-m", "remove", "-r", "5", "-t", "issue_token_with_email"];
  const show = async (title: string, args: string[]) => {
    console.log(`\n=== ${title}\n$ logintc-sync ${args.join(" ").replace(config, "config.cfg")}`);
    const r = await runCli(args);
    if (r.stdout) console.log(r.stdout.trimEnd());
    if (r.stderr) console.log(r.stderr.trimEnd());
    console.log(`(exit code ${r.code})`);
    return r;
  };

  console.log(`Directory: ${slapd.ldapsUrl} (${PEOPLE.length} people)   LoginTC emulator: ${emulator.url}`);
  console.log(`Config:    ${config}`);
  await show("1. Dry run: what would change (nothing is written)", ["-d", ...mode, config]);
  const sync = await show("2. Sync", [...mode, config]);
  const jobId = sync.stdout.match(/Async Job created with id: ([0-9a-f]{40})/)?.[1];
  if (jobId) await show("3. The job record", ["-j", jobId, config]);
  const again = await show("4. Dry run again: nothing left to do", ["-d", ...mode, config]);
  const ok = sync.code === 0 && again.code === 0 && jobId !== undefined &&
    again.stdout.includes("Nothing to do");
  console.log(ok ? "\nDemo finished: the directory and LoginTC are in sync." : "\nDemo FAILED: see above.");
  if (!ok) Deno.exitCode = 1;

  await Deno.mkdir(KEPT_DIR, { recursive: true });
  const kept = join(KEPT_DIR, "config.cfg");
  // Private (0600), as the CLI expects of a file with a bind password and an API key.
  await Deno.writeTextFile(kept, KEPT_NOTE + await Deno.readTextFile(config), { mode: 0o600 });
  console.log(`\nThe config it used is in ${kept}: a template for yours.`);
} finally {
  await emulator.close();
  await slapd.stop();
  await Deno.remove(workDir, { recursive: true });
}
