/**
 * The end-to-end harness: one "world" per test — a real slapd, the LoginTC emulator over HTTPS
 * (trusting the slapd PKI's CA), and a config file in a temp dir that is also the default state
 * directory — and the real CLI run as a subprocess (runCli), as cron would. Every run's stdout
 * and stderr is kept, and when the test body ends the harness checks that neither secret (bind
 * password, API key) appears in any of them or in a job record, then stops everything it started.
 *
 * slapd can be shared between worlds (opts.slapd) when a test only reads the directory; the
 * emulator and the state directory never are, so tests do not leak LoginTC state or locks.
 */
import assert from "node:assert/strict";
import {
  type Emulator,
  type EmulatorOptions,
  type FaultRule,
  type RecordedRequest,
  startEmulator,
} from "../../emulator/mod.ts";
import type { LoginTCUser } from "../../src/types.ts";
import { cliCommand, type CliOptions, type CliResult, collectCli, runCli } from "./cli.ts";
import { type Slapd, type SlapdOptions, startSlapd, type UserSpec } from "./slapd.ts";

/** Distinctive, so a leak cannot hide in ordinary output; '#' and ';' test the INI reader too. */
export const BIND_PASSWORD = "e2e#Bind;Pw-Qz7x";
/** 64 letters/digits (the shape LoginTC keys have). */
export const API_KEY = "E2eSecretKeyNeverPrinted" + "Zq9".repeat(13) + "X";

export type Keys = Record<string, string | undefined>;

export interface WorldOptions {
  /** Directory users under ou=people (ignored when `slapd` is given). */
  users?: UserSpec[];
  extraLdif?: string;
  /** A running slapd to share (started with BIND_PASSWORD); the world does not stop it. */
  slapd?: Slapd;
  /** [ldap] keys over the defaults; undefined removes a key. */
  ldap?: Keys;
  /** [logintc] keys over the defaults. */
  logintc?: Keys;
  /** [sync] keys; the section is written only when it has one (the original's files have none). */
  sync?: Keys;
  emulator?: Partial<Omit<EmulatorOptions, "tls">>;
}

export interface World {
  slapd: Slapd;
  emulator: Emulator;
  /** Temp dir holding config.cfg: the default state directory. */
  dir: string;
  /** Path of config.cfg. */
  config: string;
  /** The CLI with `args` then the config path (opts.config: another config file). */
  run(args: string[], opts?: CliOptions & { config?: string }): Promise<CliResult>;
  /** The CLI with exactly `args`. */
  cli(args: string[], opts?: CliOptions): Promise<CliResult>;
  /**
   * The CLI with `args` then the config path, started: the process (to kill) and its result
   * (stdout and stderr piped; read only through `result`).
   */
  start(args: string[], opts?: CliOptions): { child: Deno.ChildProcess; result: Promise<CliResult> };
  /**
   * `-d args config`: asserts exit 0 and that the run sent only GETs (a dry run writes
   * nothing), and returns the result.
   */
  dryRun(args: string[], opts?: CliOptions & { config?: string }): Promise<CliResult>;
  /** Writes another config file in `dir` (default keys + overrides); returns its path. */
  writeConfig(name: string, overrides?: { ldap?: Keys; logintc?: Keys; sync?: Keys }): Promise<string>;
  /** The LoginTC user, matched case-insensitively, or undefined. */
  user(username: string): LoginTCUser | undefined;
  /** Usernames of the domain's members, sorted. */
  memberNames(): string[];
  /** Requests from index `from` on that were not GETs, as "METHOD /api/path". */
  writesSince(from: number): string[];
}

export const NOTHING_TO_DO = "Nothing to do: LoginTC is in sync with the directory.";
export const DRY_RUN_FOOTER = "Dry run: nothing was changed.";

/** The e2e directory's people (ou=people): four with a name and an email. */
export const PEOPLE = [
  { uid: "alice", displayName: "Alice Anderson", mail: "alice@example.com" },
  { uid: "bob", displayName: "Bob Brown", mail: "bob@example.com" },
  { uid: "carol", displayName: "Carol Clark", mail: "carol@example.com" },
  { uid: "dave", displayName: "Dave Davis", mail: "dave@example.com" },
];

/** The job id printed by a sync ("Async Job created with id: …", the original's words). */
export function jobIdOf(stdout: string): string {
  const id = stdout.match(/^Async Job created with id: ([0-9a-f]{40})$/m)?.[1];
  assert.ok(id, `no job id in:\n${stdout}`);
  return id;
}

/** The warning lines of a run's stderr. */
export const warnings = (r: CliResult) => r.stderr.split("\n").filter((l) => l.startsWith("warning: "));

/** Runs the CLI and returns its result with the writes it made. */
export async function runWrites(w: World, args: string[]) {
  const before = w.emulator.requests.length;
  const r = await w.run(args);
  return { r, writes: w.writesSince(before) };
}

export function describe(r: CliResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** LoginTC rejecting the `nth` create (POST /users) with 400 "Invalid email.": one user's step fails. */
export function createRejected(nth: number): FaultRule {
  return {
    method: "POST",
    path: "/users",
    nth,
    status: 400,
    body: JSON.stringify({ errors: [{ code: "api.error.validation", message: "Invalid email." }] }),
  };
}

/** Starts slapd with the e2e bind password (for sharing between worlds). */
export function startE2eSlapd(opts: SlapdOptions): Promise<Slapd> {
  return startSlapd({ groups: 0, ...opts, syncPassword: BIND_PASSWORD });
}

function section(name: string, keys: Keys): string {
  const lines = [`[${name}]`];
  for (const [k, v] of Object.entries(keys)) if (v !== undefined) lines.push(`${k} = ${v}`);
  return lines.join("\n");
}

export async function withWorld(opts: WorldOptions, fn: (w: World) => Promise<void>): Promise<void> {
  const ownSlapd = opts.slapd === undefined;
  const slapd = opts.slapd ?? await startE2eSlapd({ users: opts.users, extraLdif: opts.extraLdif });
  let emulator: Emulator | undefined;
  let dir: string | undefined;
  try {
    emulator = await startEmulator({
      apiKey: API_KEY,
      ...opts.emulator,
      tls: { cert: slapd.pki.serverCertPem, key: slapd.pki.serverKeyPem },
    });
    dir = await Deno.makeTempDir({ prefix: "logintc-e2e-" });
    const emu = emulator;
    const home = dir;
    const outputs: CliResult[] = [];
    const secrets = new Set([BIND_PASSWORD, API_KEY]);

    const defaults = () => ({
      ldap: {
        host: `127.0.0.1:${slapd.ldapsPort}`,
        encryption: "ssl",
        ca_file: slapd.pki.caFile,
        bind_dn: slapd.bindDn,
        bind_password: BIND_PASSWORD,
        base_dn: slapd.peopleDn,
        filter: "(objectClass=inetOrgPerson)",
        attr_username: "uid",
        attr_name: "displayName",
        attr_email: "mail",
      } as Keys,
      logintc: {
        host: emu.host,
        api_key: emu.apiKey,
        domain_id: emu.domainId,
        ca_file: slapd.pki.caFile,
      } as Keys,
    });
    const writeConfig = async (name: string, over: { ldap?: Keys; logintc?: Keys; sync?: Keys } = {}) => {
      const d = defaults();
      const ldap = { ...d.ldap, ...opts.ldap, ...over.ldap };
      const logintc = { ...d.logintc, ...opts.logintc, ...over.logintc };
      const sync = { ...opts.sync, ...over.sync };
      // Whatever secrets a config holds must stay out of the output, not only the world's own.
      for (const s of [ldap.bind_password, logintc.api_key]) if (s) secrets.add(s);
      const path = `${home}/${name}`;
      const sections = [section("logintc", logintc), section("ldap", ldap)];
      if (Object.values(sync).some((v) => v !== undefined)) sections.push(section("sync", sync));
      await Deno.writeTextFile(path, `${sections.join("\n\n")}\n`, { mode: 0o600 });
      return path;
    };
    const config = await writeConfig("config.cfg");

    const cli = async (args: string[], o: CliOptions = {}) => {
      const r = await runCli(args, o);
      outputs.push(r);
      return r;
    };
    const start = (args: string[], o: CliOptions = {}) => {
      const child = cliCommand([...args, config], o).spawn();
      const result = collectCli(child).then((r) => {
        outputs.push(r);
        return r;
      });
      return { child, result };
    };
    const run = (args: string[], o: CliOptions & { config?: string } = {}) =>
      cli([...args, o.config ?? config], o);
    const writesSince = (from: number) =>
      emu.requests.slice(from).filter((q: RecordedRequest) => q.method !== "GET").map((q) =>
        `${q.method} ${q.path}`
      );

    await fn({
      slapd,
      emulator: emu,
      dir: home,
      config,
      run,
      cli,
      start,
      async dryRun(args, o) {
        const before = emu.requests.length;
        const r = await run(["-d", ...args], o);
        assert.equal(r.code, 0, describe(r));
        assert.ok(emu.requests.length > before, "the dry run read LoginTC");
        assert.deepEqual(writesSince(before), [], "a dry run sends only GETs");
        assert.ok(r.stdout.trimEnd().endsWith(DRY_RUN_FOOTER), describe(r));
        return r;
      },
      writeConfig,
      user: (username) => emu.users().find((u) => u.username.toLowerCase() === username.toLowerCase()),
      memberNames: () => emu.members().map((u) => u.username).sort(),
      writesSince,
    });

    // Secrets: never in anything the CLI printed, nor in any file it left (records, journals, logs).
    const texts: [string, string][] = [];
    outputs.forEach((r, i) => texts.push([`run ${i} stdout`, r.stdout], [`run ${i} stderr`, r.stderr]));
    for await (const f of jobFiles(home)) texts.push([f, await Deno.readTextFile(f)]);
    assert.ok(outputs.length > 0, "the test ran the CLI");
    assert.deepEqual(secretLeaks(texts, secrets), [], "no secret in any output or job record");
  } finally {
    await emulator?.close();
    if (ownSlapd) await slapd.stop();
    if (dir) await Deno.remove(dir, { recursive: true });
  }
}

/** "where: secret #i" for every text that contains a secret (by index: the report must not leak it). */
export function secretLeaks(texts: readonly [string, string][], secrets: Iterable<string>): string[] {
  const list = [...secrets];
  return texts.flatMap(([where, text]) =>
    list.flatMap((secret, i) => text.includes(secret) ? [`${where}: secret #${i}`] : [])
  );
}

/**
 * What the runs wrote under `dir` (state directories, audit logs and metrics files the tests use live
 * under it): job records, their journals and the other state files (.json), audit trails (.jsonl,
 * .log) and metrics (.prom). Not the config and secret files the tests wrote there on purpose.
 */
async function* jobFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* jobFiles(path);
    else if (e.isFile && /\.(json|journal|jsonl|log|prom)$/.test(e.name)) yield path;
  }
}
