/**
 * The setting for the Windows-specific tests: a slapd (Linux side under Wine, via the bridge), the
 * emulator in this process, and a config file written the way an admin on Windows writes it — with
 * Notepad (UTF-8 with BOM, CRLF line ends) into a folder under `C:\Program Files` whose name has
 * spaces. On Linux the same tests run with a temp folder whose name has spaces, so every assertion
 * also holds there; only the paths are Windows-only.
 */
import { type Emulator, startEmulator } from "../../../emulator/mod.ts";
import { fileURLToPath } from "node:url";
import { CLI_PERMISSIONS } from "../cli.ts";
import { type Slapd, startSlapd } from "../slapd.ts";

export const IS_WINDOWS = Deno.build.os === "windows";
export const BIND_PASSWORD = "win#Bind;Pw-7Kq";
export const MAIN = fileURLToPath(new URL("../../../main.ts", import.meta.url));
/** The directory of the Windows scenes: one plain name, one that is not ASCII. */
export const USERS = [
  { uid: "alice", cn: "Alice Adams", mail: "alice@example.com" },
  { uid: "jurgen", cn: "Jürgen Müller", mail: "jurgen@example.com" },
];

export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * The body of a script that runs this checkout's CLI under the release permissions with the
 * script's arguments and returns its exit code: a .cmd file on Windows (CRLF), sh elsewhere (to be
 * made executable).
 */
export function cliScript(): string {
  const deno = Deno.execPath();
  if (IS_WINDOWS) {
    const flags = CLI_PERMISSIONS.map((f) => `"${f}"`).join(" ");
    return ["@echo off", `"${deno}" run --quiet ${flags} "${MAIN}" %*`, "exit /b %ERRORLEVEL%", ""].join(
      "\r\n",
    );
  }
  const q = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`;
  return `#!/bin/sh\nexec ${q(deno)} run --quiet ${CLI_PERMISSIONS.map(q).join(" ")} ${q(MAIN)} "$@"\n`;
}

export interface Scene {
  slapd: Slapd;
  emu: Emulator;
  /** The config's folder (a path with spaces): the default state directory. */
  dir: string;
  /** The config file, with `sep` separators. */
  config: string;
  /** The OS's path separator. */
  sep: string;
  /** Writes another Notepad-style config in `dir` (LDAP at `ldapHost`); returns its path. */
  writeConfig(name: string, ldapHost: string): Promise<string>;
}

/** Notepad's "Save" with UTF-8: a byte order mark, CRLF line ends. */
function notepad(lines: string[]): string {
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

async function programFilesDir(): Promise<string> {
  if (!IS_WINDOWS) return await Deno.makeTempDir({ prefix: "Program Files logintc-sync " });
  const dir = `C:\\Program Files\\LoginTC Sync ${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

export async function withScene(
  users: { uid: string; cn: string; mail: string }[],
  fn: (s: Scene) => Promise<void>,
): Promise<void> {
  const slapd = await startSlapd({
    groups: 0,
    syncPassword: BIND_PASSWORD,
    users: users.map((u) => ({ uid: u.uid, cn: u.cn, displayName: u.cn, mail: u.mail })),
  });
  let emu: Emulator | undefined;
  let dir: string | undefined;
  try {
    emu = await startEmulator({ tls: { cert: slapd.pki.serverCertPem, key: slapd.pki.serverKeyPem } });
    dir = await programFilesDir();
    const sep = IS_WINDOWS ? "\\" : "/";
    const e = emu;
    const home = dir;
    const writeConfig = async (name: string, ldapHost: string) => {
      const path = `${home}${sep}${name}`;
      await Deno.writeTextFile(
        path,
        notepad([
          "; saved by Notepad",
          "[logintc]",
          `host = ${e.host}`,
          `api_key = ${e.apiKey}`,
          `domain_id = ${e.domainId}`,
          `ca_file = ${slapd.pki.caFile}`,
          "",
          "[ldap]",
          `host = ${ldapHost}`,
          "encryption = ssl",
          `ca_file = ${slapd.pki.caFile}`,
          `bind_dn = ${slapd.bindDn}`,
          `bind_password = ${BIND_PASSWORD}`,
          `base_dn = ${slapd.peopleDn}`,
          "filter = (objectClass=inetOrgPerson)",
          "attr_username = uid",
          "attr_name = displayName",
          "attr_email = mail",
        ]),
        { mode: 0o600 }, // private, as docs/configuration.md asks (POSIX; Windows has ACLs and ignores it)
      );
      return path;
    };
    const config = await writeConfig("logintc-sync.cfg", `127.0.0.1:${slapd.ldapsPort}`);
    await fn({ slapd, emu, dir, config, sep, writeConfig });
  } finally {
    if (dir) await Deno.remove(dir, { recursive: true }).catch(() => undefined);
    await emu?.close();
    await slapd.stop();
  }
}

/** Runs fn until it returns true or `ms` pass; false on timeout. */
export async function waitFor(fn: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}
