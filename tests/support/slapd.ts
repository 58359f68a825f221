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
import { makeCertVariant, makeTestPki, type TestPki } from "./certs.ts";
import { remoteFixtures } from "./windows/remote.ts";
import { freePort, portOpen } from "./net.ts";
import {
  BASE_DN,
  buildLdif,
  PEOPLE_DN,
  REMOTE_REFERRAL_URL,
  ROOT_DN,
  type SlapdOptions,
  SYNC_DN,
} from "./slapdData.ts";

export type { SlapdOptions, UserSpec } from "./slapdData.ts";

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

const ROOT_PW = "secret";

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
${opts.ppolicy ? "moduleload ppolicy\n" : ""}pidfile ${dir}/slapd.pid
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
${opts.ppolicy ? "overlay ppolicy\n" : ""}`;
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
    const host = opts.listenHost ?? "127.0.0.1";
    const urls = `ldap://${host}:${port}/ ldaps://${host}:${ldapsPort}/ ${ldapi}`;
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
      if (pid !== undefined && await portOpen(port, host) && await portOpen(ldapsPort, host)) break;
      if (Date.now() > deadline || (pid !== undefined && !alive(pid))) {
        throw new Error(
          `slapd did not become ready on ${host}:${port}:\n${await tail(`${dir}/slapd.log`)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return {
      url: `ldap://${host}:${port}`,
      ldapsUrl: `ldaps://${host}:${ldapsPort}`,
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
