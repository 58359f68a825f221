/**
 * A real 389 Directory Server (Debian's 389-ds-base) for one test file, on a free loopback port, with
 * everything under a temp dir and no systemd: dscreate reads its path defaults from
 * $PREFIX/share/dirsrv/inf/defaults.inf (lib389's paths.py), so a copy of the system's defaults with
 * `with_systemd = 0`, user root and every writable path under the temp dir makes a private instance
 * (~9 s: dscreate, then ns-slapd, which daemonizes and writes its pid file). Plain LDAP only.
 *
 * Data: ou=people with the given users (inetOrgPerson), and the sync account
 * cn=sync,ou=system,dc=example,dc=com, readable by any bound identity (an ACI on the suffix:
 * 389 grants nothing by default). Per-account limits are operational attributes on the sync entry
 * (nsSizeLimit, nsPagedSizeLimit, nsLookThroughLimit, nsAccountLock), set with `modify`.
 */
import { attrLine, type UserSpec } from "./slapdData.ts";
import { freePort, portOpen } from "./net.ts";

const DS389_BASE_DN = "dc=example,dc=com";
const PEOPLE_DN = `ou=people,${DS389_BASE_DN}`;
const SYNC_DN = `cn=sync,ou=system,${DS389_BASE_DN}`;
const ROOT_DN = "cn=Directory Manager";
const ROOT_PW = "Password1!";
const SYNC_PW = "syncpw12";
const INSTANCE = "t";

export interface Ds389 {
  url: string;
  port: number;
  baseDn: string;
  peopleDn: string;
  bindDn: string;
  bindPassword: string;
  /** Applies LDIF changes as Directory Manager (ldapmodify). */
  modify(ldif: string): Promise<void>;
  stop(): Promise<void>;
}

export interface Ds389Options {
  users?: UserSpec[];
  /** Generated users uid=user0001… (default 0). */
  generatedUsers?: number;
}

/** The system's defaults.inf with every writable path under `dir`, no systemd, run as root. */
function defaultsInf(system: string, dir: string): string {
  const under: Record<string, string> = {
    with_systemd: "0",
    user: "root",
    group: "root",
    sysconf_dir: `${dir}/etc`,
    initconfig_dir: `${dir}/etc/default`,
    config_dir: `${dir}/etc/dirsrv/slapd-{instance_name}`,
    schema_dir: `${dir}/etc/dirsrv/slapd-{instance_name}/schema`,
    cert_dir: `${dir}/etc/dirsrv/slapd-{instance_name}`,
    local_state_dir: `${dir}/var`,
    run_dir: `${dir}/run`,
    ldapi: `${dir}/run/slapd-{instance_name}.socket`,
    pid_file: `${dir}/run/slapd-{instance_name}.pid`,
    tmpfiles_d: `${dir}/tmpfiles.d`,
    inst_dir: `${dir}/lib/slapd-{instance_name}`,
    lock_dir: `${dir}/lock/slapd-{instance_name}`,
    log_dir: `${dir}/log`,
    access_log: `${dir}/log/access`,
    audit_log: `${dir}/log/audit`,
    error_log: `${dir}/log/errors`,
    security_log: `${dir}/log/security`,
    db_dir: `${dir}/db`,
    db_home_dir: `${dir}/dbhome`,
    backup_dir: `${dir}/bak`,
    ldif_dir: `${dir}/ldif`,
  };
  return system.split("\n").map((line) => {
    const m = /^(\w+)\s*=/.exec(line);
    return m && m[1] in under ? `${m[1]} = ${under[m[1]]}` : line;
  }).join("\n");
}

function setupInf(port: number, securePort: number): string {
  return [
    "[general]",
    "full_machine_name = localhost",
    "start = True",
    "strict_host_checking = False",
    "[slapd]",
    `instance_name = ${INSTANCE}`,
    `port = ${port}`,
    `secure_port = ${securePort}`,
    `root_password = ${ROOT_PW}`,
    "self_sign_cert = False",
    "[backend-userroot]",
    `suffix = ${DS389_BASE_DN}`,
    "create_suffix_entry = True",
    "sample_entries = no",
    "",
  ].join("\n");
}

function dataLdif(opts: Ds389Options): string {
  const entries = [
    [
      `dn: ${DS389_BASE_DN}`,
      "changetype: modify",
      "add: aci",
      'aci: (targetattr="*")(version 3.0; acl "bound users read"; allow (read, search, compare) ' +
      'userdn="ldap:///all";)',
    ],
    [
      `dn: ${PEOPLE_DN}`,
      "changetype: add",
      "objectClass: top",
      "objectClass: organizationalUnit",
      "ou: people",
    ],
    [
      `dn: ou=system,${DS389_BASE_DN}`,
      "changetype: add",
      "objectClass: top",
      "objectClass: organizationalUnit",
      "ou: system",
    ],
    [
      `dn: ${SYNC_DN}`,
      "changetype: add",
      "objectClass: top",
      "objectClass: person",
      "cn: sync",
      "sn: sync",
      `userPassword: ${SYNC_PW}`,
    ],
  ];
  const users: UserSpec[] = [
    ...(opts.users ?? []),
    ...Array.from({ length: opts.generatedUsers ?? 0 }, (_, i) => {
      const uid = `user${String(i + 1).padStart(4, "0")}`;
      return { uid, cn: `User ${i + 1}`, displayName: `User ${i + 1}`, mail: `${uid}@example.com` };
    }),
  ];
  for (const u of users) {
    const uid = Array.isArray(u.uid) ? u.uid[0] : u.uid;
    const lines = [`dn: uid=${uid},${PEOPLE_DN}`, "changetype: add", "objectClass: inetOrgPerson"];
    const put = (k: string, v: string | string[] | undefined) => {
      for (const x of v === undefined ? [] : Array.isArray(v) ? v : [v]) lines.push(attrLine(k, x));
    };
    put("uid", u.uid);
    put("cn", u.cn ?? uid);
    put("sn", u.sn ?? "-");
    put("displayName", u.displayName);
    put("mail", u.mail);
    entries.push(lines);
  }
  return entries.map((e) => e.join("\n")).join("\n\n") + "\n";
}

async function run(
  cmd: string,
  args: string[],
  opts: { stdin?: string; env?: Record<string, string> } = {},
): Promise<{ ok: boolean; text: string }> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { LANG: "C.UTF-8", ...opts.env },
  }).spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { ok: out.success, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

/** ns-slapd daemonizes (PID 1 reaps it): a zombie counts as gone. */
function alive(pid: number): boolean {
  try {
    return !/^State:\s*Z/m.test(Deno.readTextFileSync(`/proc/${pid}/status`));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates and starts the instance and loads the data; throws with the error log when it fails. */
export async function startDs389(opts: Ds389Options = {}): Promise<Ds389> {
  const dir = await Deno.makeTempDir({ prefix: "logintc-389-" });
  let pid: number | undefined;
  const stop = async () => {
    try {
      pid ??= Number((await Deno.readTextFile(`${dir}/run/slapd-${INSTANCE}.pid`)).trim()) || undefined;
    } catch { /* never started */ }
    if (pid !== undefined && alive(pid)) {
      try {
        Deno.kill(pid, "SIGTERM");
      } catch { /* gone */ }
      // ns-slapd flushes its database on SIGTERM (a few seconds on a busy machine).
      for (let i = 0; i < 600 && alive(pid); i++) await sleep(25);
      if (alive(pid)) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
        for (let i = 0; i < 100 && alive(pid); i++) await sleep(20);
      }
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const log = async () => {
    try {
      return (await Deno.readTextFile(`${dir}/log/errors`)).split("\n").slice(-30).join("\n");
    } catch {
      return "(no error log)";
    }
  };
  try {
    await Deno.mkdir(`${dir}/share/dirsrv/inf`, { recursive: true });
    const system = await Deno.readTextFile("/usr/share/dirsrv/inf/defaults.inf");
    await Deno.writeTextFile(`${dir}/share/dirsrv/inf/defaults.inf`, defaultsInf(system, dir));
    // dscreate copies the schema and config templates from <sysconf_dir>/dirsrv.
    await Deno.mkdir(`${dir}/etc`, { recursive: true });
    const copy = await run("cp", ["-r", "/etc/dirsrv", `${dir}/etc/`]);
    if (!copy.ok) throw new Error(`copying /etc/dirsrv failed:\n${copy.text}`);
    const port = freePort();
    await Deno.writeTextFile(`${dir}/setup.inf`, setupInf(port, freePort()));
    const created = await run("dscreate", ["from-file", `${dir}/setup.inf`], { env: { PREFIX: dir } });
    if (!created.ok) throw new Error(`dscreate failed:\n${created.text}\n${await log()}`);
    const deadline = Date.now() + 30_000;
    while (!(await portOpen(port))) {
      if (Date.now() > deadline) {
        throw new Error(`389-DS did not listen on 127.0.0.1:${port}:\n${await log()}`);
      }
      await sleep(50);
    }
    const url = `ldap://127.0.0.1:${port}`;
    const modify = async (ldif: string) => {
      const r = await run("ldapmodify", ["-x", "-H", url, "-D", ROOT_DN, "-w", ROOT_PW], { stdin: ldif });
      if (!r.ok) throw new Error(`ldapmodify failed:\n${r.text}`);
    };
    await modify(dataLdif(opts));
    return {
      url,
      port,
      baseDn: DS389_BASE_DN,
      peopleDn: PEOPLE_DN,
      bindDn: SYNC_DN,
      bindPassword: SYNC_PW,
      modify,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
