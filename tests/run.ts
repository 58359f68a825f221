/**
 * `deno task test [deno-test-args…]`: makes sure the real servers the tests start are
 * installed (installs them with apt-get when running as root, otherwise prints the exact
 * command and stops), runs `deno test`, and ends with the line CI recognises:
 * `N passed, N failed` (deno's own summary line is not in that form).
 *
 * Test files start their own servers (slapd, proxies, the emulator) on loopback from temp
 * dirs and stop them; nothing outlives the run.
 */

interface Tool {
  bin: string;
  debian: string;
  rhel: string;
}

/** What the tests need on PATH, and the packages that provide it. */
const TOOLS: Tool[] = [
  { bin: "openssl", debian: "openssl", rhel: "openssl" },
  { bin: "slapd", debian: "slapd", rhel: "openldap-servers" },
  { bin: "slapadd", debian: "slapd", rhel: "openldap-servers" },
  { bin: "ldapsearch", debian: "ldap-utils", rhel: "openldap-clients" },
  { bin: "tinyproxy", debian: "tinyproxy", rhel: "tinyproxy" },
  { bin: "squid", debian: "squid", rhel: "squid" },
  // Samba AD DC for Active Directory behaviour (tests/support/samba.ts).
  { bin: "samba", debian: "samba samba-ad-dc samba-ad-provision winbind", rhel: "samba-dc" },
  { bin: "samba-tool", debian: "samba samba-ad-dc samba-ad-provision winbind", rhel: "samba-dc" },
];

/** slapd and squid live in sbin, which a non-login shell may not have on PATH. */
const SBIN = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

async function onPath(bin: string): Promise<boolean> {
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":"), ...SBIN];
  for (const dir of dirs) {
    try {
      const st = await Deno.stat(`${dir}/${bin}`);
      if (st.isFile) return true;
    } catch { /* not here */ }
  }
  return false;
}

async function run(cmd: string, args: string[], env?: Record<string, string>): Promise<boolean> {
  const st = await new Deno.Command(cmd, { args, env, stdout: "inherit", stderr: "inherit" }).output();
  return st.success;
}

async function ensureTools(): Promise<void> {
  const missing: Tool[] = [];
  for (const t of TOOLS) if (!(await onPath(t.bin))) missing.push(t);
  if (missing.length === 0) return;
  const debs = [...new Set(missing.flatMap((t) => t.debian.split(" ")))];
  const rpms = [...new Set(missing.map((t) => t.rhel))];
  const isRoot = Deno.uid?.() === 0;
  const hasApt = await onPath("apt-get");
  if (isRoot && hasApt) {
    console.error(`Installing test servers: ${debs.join(" ")}`);
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    const ok = await run("apt-get", ["update", "-qq"], env) &&
      await run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...debs], env);
    if (ok) return;
    console.error("apt-get failed; see above.");
  }
  console.error(
    `The tests need ${missing.map((t) => t.bin).join(", ")}. Install them, then run deno task test again:\n` +
      `  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends ${debs.join(" ")}\n` +
      `  RHEL/Rocky:    sudo dnf install -y ${rpms.join(" ")}`,
  );
  Deno.exit(2);
}

/** Runs deno test, streaming its output, and returns [exit code, passed, failed]. */
async function denoTest(args: string[]): Promise<[number, number, number]> {
  const PATH = [Deno.env.get("PATH") ?? "", ...SBIN].join(":");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", ...(args.length ? args : ["tests/"])],
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0", PATH },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let tail = "";
  const dec = new TextDecoder();
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    tail = (tail + dec.decode(chunk, { stream: true })).slice(-4000);
  }
  const { code } = await child.status;
  // deno: "ok | 12 passed (3 steps) | 0 failed | 1 ignored (41ms)" or "FAILED | …"
  const m = tail.match(/^(?:ok|FAILED) \| (\d+) passed.*?\| (\d+) failed/m);
  const passed = m ? Number(m[1]) : 0;
  const failed = m ? Number(m[2]) : code === 0 ? 0 : 1;
  return [code, passed, failed];
}

await ensureTools();
// Fill Deno's npm cache with the caller's full environment: on machines where the registry is
// reached through a CA only the system bundle has (NODE_EXTRA_CA_CERTS), the tests' clean
// environment could not download it.
if (!(await run(Deno.execPath(), ["install", "--quiet"]))) {
  console.error("deno install failed (npm registry unreachable?); see above.");
  Deno.exit(1);
}
const [code, passed, failed] = await denoTest(Deno.args);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(code);
