/**
 * The Debian/RHEL packages behind the servers our tests and the demo start, and a check that
 * installs them (root + apt-get) or says exactly what to run. Shared by `deno task test` and
 * `deno task demo`.
 */

export interface Tool {
  bin: string;
  debian: string;
  rhel: string;
}

export const TOOLS = {
  openssl: { bin: "openssl", debian: "openssl", rhel: "openssl" },
  slapd: { bin: "slapd", debian: "slapd", rhel: "openldap-servers" },
  slapadd: { bin: "slapadd", debian: "slapd", rhel: "openldap-servers" },
  ldapsearch: { bin: "ldapsearch", debian: "ldap-utils", rhel: "openldap-clients" },
  tinyproxy: { bin: "tinyproxy", debian: "tinyproxy", rhel: "tinyproxy" },
  squid: { bin: "squid", debian: "squid", rhel: "squid" },
  // Samba AD DC for Active Directory behaviour (tests/support/samba.ts).
  samba: { bin: "samba", debian: "samba samba-ad-dc samba-ad-provision winbind", rhel: "samba-dc" },
  sambaTool: { bin: "samba-tool", debian: "samba samba-ad-dc samba-ad-provision winbind", rhel: "samba-dc" },
  // 389 Directory Server, for its vendor-specific limits and messages (tests/support/ds389.ts).
  dscreate: { bin: "dscreate", debian: "389-ds-base", rhel: "389-ds-base" },
  // `deno task release` packs zips; tests/build/ lists and unpacks them.
  zip: { bin: "zip", debian: "zip", rhel: "zip" },
  unzip: { bin: "unzip", debian: "unzip", rhel: "unzip" },
} satisfies Record<string, Tool>;

/** slapd and squid live in sbin, which a non-login shell may not have on PATH. */
export const SBIN = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

export async function onPath(bin: string): Promise<boolean> {
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":"), ...SBIN];
  for (const dir of dirs) {
    try {
      if ((await Deno.stat(`${dir}/${bin}`)).isFile) return true;
    } catch { /* not here */ }
  }
  return false;
}

export async function run(cmd: string, args: string[], env?: Record<string, string>): Promise<boolean> {
  const st = await new Deno.Command(cmd, { args, env, stdout: "inherit", stderr: "inherit" }).output();
  return st.success;
}

/**
 * Returns "" when every tool is there (installing missing ones first when running as root
 * with apt-get), else the message to print: what is missing and the exact install commands.
 */
export async function ensureTools(tools: readonly Tool[], purpose: string): Promise<string> {
  const missing: Tool[] = [];
  for (const t of tools) if (!(await onPath(t.bin))) missing.push(t);
  if (missing.length === 0) return "";
  const debs = [...new Set(missing.flatMap((t) => t.debian.split(" ")))];
  const rpms = [...new Set(missing.map((t) => t.rhel))];
  if (Deno.uid?.() === 0 && await onPath("apt-get")) {
    console.error(`Installing ${debs.join(" ")} for ${purpose}`);
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    if (
      await run("apt-get", ["update", "-qq"], env) &&
      await run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...debs], env)
    ) return "";
    console.error("apt-get failed; see above.");
  }
  return `${purpose} needs ${missing.map((t) => t.bin).join(", ")}. Install, then run it again:\n` +
    `  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends ${debs.join(" ")}\n` +
    `  RHEL/Rocky:    sudo dnf install -y ${rpms.join(" ")}`;
}
