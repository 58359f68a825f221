/**
 * A real OpenLDAP slapd for one test: temp dir, per-run PKI, slapd.conf (docs/development.md,
 * "Test servers"), LDIF from a data
 * description loaded with `slapadd -q`, slapd on free loopback ports (LDAP, LDAPS, ldapi). ~0.2 s for 1k users.
 *
 * Size limits: every non-root bind gets `sizelimit 500` (Debian's default), so a plain search over more
 * than 500 entries fails with sizeLimitExceeded. The sync account may get a different total for paged
 * searches (`syncPagedTotal`, default unlimited) — a test with > 500 users therefore only passes when the
 * reader really pages (RFC 2696).
 */
import { type CertVariant, makeCertVariant, makeTestPki, type TestPki } from "./certs.ts";
import { remoteFixtures } from "../windows/remote.ts";
import { freePort, portOpen } from "./net.ts";

export interface UserSpec {
  /** RDN of the entry; default `uid=<uid>` (or `cn=<cn>` when uid is absent). */
  rdn?: string;
  uid?: string | string[];
  cn?: string;
  sn?: string;
  givenName?: string;
  displayName?: string;
  mail?: string | string[];
  telephoneNumber?: string | string[];
  /** Any further attributes, written as given (value strings are LDIF-encoded). */
  extra?: Record<string, string | string[]>;
}

export interface SlapdOptions {
  /** Explicit users under ou=people. */
  users?: UserSpec[];
  /** Number of generated users `uid=user000001…` (default 0). */
  generatedUsers?: number;
  /** Number of groups cn=group0..; generated user i is a member of group i mod groups (default 3). */
  groups?: number;
  /** Extra LDIF appended after the generated entries (entries separated by blank lines). */
  extraLdif?: string;
  /** Password of cn=sync,ou=system (default "syncpw"). */
  syncPassword?: string;
  /** Size limit for every non-root identity (default 500). */
  sizeLimit?: number;
  /** Total entries the sync account may get through a paged search (default "unlimited"). */
  syncPagedTotal?: number | "unlimited";
  /** subjectAltName of the server cert (default "DNS:localhost,IP:127.0.0.1"). */
  san?: string;
  /** Serve a certificate that clients must refuse (emulator/pki.ts makeCertVariant) instead. */
  serverCert?: CertVariant;
}

export interface Slapd {
  url: string;
  ldapsUrl: string;
  port: number;
  ldapsPort: number;
  baseDn: string;
  peopleDn: string;
  bindDn: string;
  bindPassword: string;
  /** The referral object's own DN and the URL it points to. */
  referralDn: string;
  referralUrl: string;
  pki: TestPki;
  dir: string;
  /**
   * Applies LDIF changes (ldapmodify as rootdn over ldapi), with ManageDsaIT (RFC 3296 §3): referral
   * objects are added, changed and deleted as entries instead of answering with a referral.
   */
  ldapModify(ldif: string): Promise<void>;
  stop(): Promise<void>;
}

export const BASE_DN = "dc=example,dc=com";
export const PEOPLE_DN = `ou=people,${BASE_DN}`;
export const SYNC_DN = `cn=sync,ou=system,${BASE_DN}`;
const ROOT_DN = `cn=admin,${BASE_DN}`;
/** The fixture's own referral object points at a host that never resolves (RFC 6761 §6.4: .invalid). */
const REMOTE_REFERRAL_URL = "ldap://ldap.no-such-host.invalid/ou=remote,dc=other,dc=com";
const ROOT_PW = "secret";

/** RFC 2849: values that are not SAFE-STRINGs (or have edge spaces) are written base64. */
export function attrLine(name: string, value: string): string {
  // Printable ASCII only (stricter than SAFE-STRING, simpler), no leading space/":"/"<", no trailing space.
  const safe = /^[!-9;=-~][ -~]*$/.test(value) && !value.endsWith(" ");
  if (safe) return `${name}: ${value}`;
  const bytes = new TextEncoder().encode(value);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return `${name}:: ${btoa(bin)}`;
}

function attrLines(name: string, value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => attrLine(name, v));
}

function userLdif(u: UserSpec, groupDns: string[]): string {
  const uid0 = Array.isArray(u.uid) ? u.uid[0] : u.uid;
  const rdn = u.rdn ?? (uid0 !== undefined ? `uid=${uid0}` : `cn=${u.cn}`);
  const lines = [
    `dn: ${rdn},${PEOPLE_DN}`,
    "objectClass: inetOrgPerson",
    ...attrLines("uid", u.uid),
    ...attrLines("cn", u.cn ?? uid0 ?? "nameless"),
    ...attrLines("sn", u.sn ?? "-"),
    ...attrLines("givenName", u.givenName),
    ...attrLines("displayName", u.displayName),
    ...attrLines("mail", u.mail),
    ...attrLines("telephoneNumber", u.telephoneNumber),
    "userPassword: password",
    ...groupDns.map((g) => `memberOf: ${g}`),
  ];
  for (const [k, v] of Object.entries(u.extra ?? {})) lines.push(...attrLines(k, v));
  return lines.join("\n");
}

/** The whole LDIF; pure. memberOf is written directly: slapadd bypasses the memberof overlay. */
export function buildLdif(opts: SlapdOptions, syncPassword: string): string {
  const groups = opts.groups ?? 3;
  const generated = opts.generatedUsers ?? 0;
  const out: string[] = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example`,
    `dn: ${PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ou=system,${BASE_DN}\nobjectClass: organizationalUnit\nou: system`,
    [
      `dn: ${SYNC_DN}`,
      "objectClass: person",
      "objectClass: simpleSecurityObject",
      "cn: sync",
      "sn: sync",
      attrLine("userPassword", syncPassword),
    ].join("\n"),
    [
      `dn: ou=remote,${BASE_DN}`,
      "objectClass: referral",
      "objectClass: extensibleObject",
      "ou: remote",
      `ref: ${REMOTE_REFERRAL_URL}`,
    ].join("\n"),
  ];
  const members: string[][] = Array.from({ length: groups }, () => []);
  const userDns: string[] = [];
  const pad = (i: number) => String(i).padStart(6, "0");
  for (let i = 1; i <= generated; i++) {
    const dn = `uid=user${pad(i)},${PEOPLE_DN}`;
    userDns.push(dn);
    if (groups > 0) members[i % groups].push(dn);
  }
  for (const u of opts.users ?? []) {
    const uid0 = Array.isArray(u.uid) ? u.uid[0] : u.uid;
    userDns.push(`${u.rdn ?? (uid0 !== undefined ? `uid=${uid0}` : `cn=${u.cn}`)},${PEOPLE_DN}`);
  }
  const groupDn = (g: number) => `cn=group${g},ou=groups,${BASE_DN}`;
  for (let i = 1; i <= generated; i++) {
    out.push(userLdif({
      uid: `user${pad(i)}`,
      cn: `User ${pad(i)}`,
      sn: pad(i),
      givenName: "User",
      displayName: `User ${pad(i)}`,
      mail: `user${pad(i)}@example.com`,
      telephoneNumber: `+1 555 ${pad(i)}`,
    }, groups > 0 ? [groupDn(i % groups)] : []));
  }
  for (const u of opts.users ?? []) out.push(userLdif(u, []));
  for (let g = 0; g < groups; g++) {
    // groupOfNames needs at least one member; fall back to the sync account.
    const m = members[g].length ? members[g] : [SYNC_DN];
    out.push(
      [`dn: ${groupDn(g)}`, "objectClass: groupOfNames", `cn: group${g}`, ...m.map((d) => `member: ${d}`)]
        .join("\n"),
    );
  }
  if (opts.extraLdif) out.push(opts.extraLdif.trim());
  return out.join("\n\n") + "\n";
}

function slapdConf(dir: string, pki: TestPki, opts: SlapdOptions, certFile = pki.serverCert): string {
  const size = opts.sizeLimit ?? 500;
  const prtotal = opts.syncPagedTotal ?? "unlimited";
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
moduleload refint
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
logfile ${dir}/slapd.log
TLSCACertificateFile ${pki.caFile}
TLSCertificateFile ${certFile}
TLSCertificateKeyFile ${pki.serverKey}
# Plain searches by anyone but the rootdn: ${size} entries max (sizeLimitExceeded), like Debian's default.
sizelimit size.soft=${size} size.hard=${size}
database mdb
maxsize 1073741824
suffix "${BASE_DN}"
rootdn "${ROOT_DN}"
rootpw ${ROOT_PW}
directory ${dir}/data
# The sync account: same plain limit, but paged searches may return ${prtotal} entries in total.
limits dn.exact="${SYNC_DN}" size.soft=${size} size.hard=${size} size.prtotal=${prtotal}
index objectClass eq
index uid,mail,cn eq,sub
index member,memberOf eq
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
memberof-refint TRUE
overlay refint
refint_attributes member
`;
}

async function run(cmd: string, args: string[], stdin?: string): Promise<{ ok: boolean; text: string }> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { LANG: "C.UTF-8" },
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { ok: out.success, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

function sbin(bin: string): string {
  for (const d of ["/usr/sbin", "/usr/local/sbin", "/sbin"]) {
    try {
      if (Deno.statSync(`${d}/${bin}`).isFile) return `${d}/${bin}`;
    } catch { /* next */ }
  }
  return bin;
}

async function tail(path: string, lines = 30): Promise<string> {
  try {
    return (await Deno.readTextFile(path)).split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** slapd daemonizes (its parent becomes PID 1, which may reap late): a zombie counts as gone. */
function alive(pid: number): boolean {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return !/^State:\s*Z/m.test(status);
  } catch {
    return false;
  }
}

/** Starts slapd; throws with the log tail when it does not come up within 10 s. */
export async function startSlapd(opts: SlapdOptions = {}): Promise<Slapd> {
  // Under `deno task test:windows` (deno.exe in Wine) the same slapd is started on the Linux side.
  const remote = remoteFixtures();
  if (remote) return await remote.startSlapd(opts);
  const dir = await Deno.makeTempDir({ prefix: "logintc-slapd-" });
  const bindPassword = opts.syncPassword ?? "syncpw";
  let pid: number | undefined;
  const stop = async () => {
    if (pid !== undefined && alive(pid)) {
      try {
        Deno.kill(pid, "SIGTERM");
      } catch { /* already gone */ }
      for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 25));
      if (alive(pid)) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
        for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
      }
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    const pki = await makeTestPki(`${dir}/certs`, opts.san ? { san: opts.san } : {});
    await Deno.mkdir(`${dir}/data`);
    const conf = `${dir}/slapd.conf`;
    const served = opts.serverCert ? (await makeCertVariant(pki, opts.serverCert)).certFile : undefined;
    await Deno.writeTextFile(conf, slapdConf(dir, pki, opts, served));
    await Deno.writeTextFile(`${dir}/data.ldif`, buildLdif(opts, bindPassword));
    const add = await run(sbin("slapadd"), ["-q", "-f", conf, "-l", `${dir}/data.ldif`]);
    if (!add.ok) throw new Error(`slapadd failed:\n${add.text}`);

    const port = freePort();
    const ldapsPort = freePort();
    const ldapi = `ldapi://${`${dir}/ldapi`.replaceAll("/", "%2F")}/`;
    const urls = `ldap://127.0.0.1:${port}/ ldaps://127.0.0.1:${ldapsPort}/ ${ldapi}`;
    // slapd forks into the background; the parent exits once the listeners are set up (or on failure).
    const started = await run(sbin("slapd"), ["-f", conf, "-h", urls]);
    if (!started.ok) {
      throw new Error(`slapd did not start:\n${started.text}\n${await tail(`${dir}/slapd.log`)}`);
    }
    const deadline = Date.now() + 10_000;
    while (true) {
      try {
        pid ??= Number((await Deno.readTextFile(`${dir}/slapd.pid`)).trim()) || undefined;
      } catch { /* not yet */ }
      if (pid !== undefined && await portOpen(port) && await portOpen(ldapsPort)) break;
      if (Date.now() > deadline || (pid !== undefined && !alive(pid))) {
        throw new Error(
          `slapd did not become ready on 127.0.0.1:${port}:\n${await tail(`${dir}/slapd.log`)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return {
      url: `ldap://127.0.0.1:${port}`,
      ldapsUrl: `ldaps://127.0.0.1:${ldapsPort}`,
      port,
      ldapsPort,
      baseDn: BASE_DN,
      peopleDn: PEOPLE_DN,
      bindDn: SYNC_DN,
      bindPassword,
      referralDn: `ou=remote,${BASE_DN}`,
      referralUrl: REMOTE_REFERRAL_URL,
      pki,
      dir,
      async ldapModify(ldif: string) {
        const r = await run("ldapmodify", ["-x", "-M", "-H", ldapi, "-D", ROOT_DN, "-w", ROOT_PW], ldif);
        if (!r.ok) throw new Error(`ldapmodify failed:\n${r.text}`);
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
