/**
 * The Debian/RHEL packages behind the servers our tests and the demo start, and a check that
 * installs them (root + apt-get) or says exactly what to run. Shared by `deno task test` and
 * `deno task demo`.
 */

import { dirname, isAbsolute, join, relative, sep } from "node:path";

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
  // `deno task release` packs zips; tests/integration/scripts/compile_test.ts lists and unpacks them.
  zip: { bin: "zip", debian: "zip", rhel: "zip" },
  unzip: { bin: "unzip", debian: "unzip", rhel: "unzip" },
  // It also builds the x86_64 RPM (scripts/packageRpm.ts); tests/support/rpm.ts reads it, installs it
  // into a throwaway root and has systemd-analyze check its units there.
  rpmbuild: { bin: "rpmbuild", debian: "rpm", rhel: "rpm-build" },
  rpm: { bin: "rpm", debian: "rpm", rhel: "rpm" },
  systemdAnalyze: { bin: "systemd-analyze", debian: "systemd", rhel: "systemd" },
  // promtool lints the metrics file as Prometheus would read it (tests/support/promtool.ts).
  promtool: { bin: "promtool", debian: "prometheus", rhel: "golang-github-prometheus" },
} satisfies Record<string, Tool>;

export type ToolName = keyof typeof TOOLS;

/**
 * The programs a support module runs. A test file needs the tools of every module it imports,
 * directly or not (toolsFor), so `deno task test tests/unit/` needs none and `tests/e2e/` needs slapd.
 */
export const TOOLS_OF_MODULE: Record<string, readonly ToolName[]> = {
  "emulator/pki.ts": ["openssl"],
  "tests/support/slapd.ts": ["slapd", "slapadd", "ldapsearch", "openssl"],
  "tests/support/samba.ts": ["samba", "sambaTool", "ldapsearch", "openssl"],
  "tests/support/proxies.ts": ["tinyproxy", "squid", "openssl"],
  "tests/support/ds389.ts": ["dscreate"],
  // Runs `deno task release`: zip, and rpmbuild for the x86_64 RPM.
  "tests/support/denort.ts": ["zip", "unzip", "rpmbuild"],
  "scripts/packageRpm.ts": ["rpmbuild"],
  "tests/support/rpm.ts": ["rpm", "systemdAnalyze"],
  "tests/support/promtool.ts": ["promtool"],
};

/**
 * The pure tests, which `deno task test:unit` runs: no server, no subprocess, no root, no network.
 * The tree says which they are (docs/development.md, section Tests); tests/unit/support/tools_test.ts
 * checks that none reaches a module that starts a server or needs an installed program.
 */
export const UNIT_TESTS = "tests/unit/";

/** slapd and squid live in sbin, which a non-login shell may not have on PATH. */
export const SBIN = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

async function onPath(bin: string): Promise<boolean> {
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

/** Local modules a TypeScript file imports at run time (static, re-exports, literal dynamic imports). */
function localImports(file: string): string[] {
  const text = Deno.readTextFileSync(file);
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"/gm),
    ...text.matchAll(/^\s*import\s+"(\.{1,2}\/[^"]+)"/gm),
    ...text.matchAll(/\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g),
  ].map((m) => m[1]);
  return specs.map((s) => join(dirname(file), s));
}

/** Test files a `deno test` argument list selects (files and folders; flags are skipped). */
export function selectedTestFiles(root: string, args: readonly string[]): string[] {
  const paths = args.filter((a) => !a.startsWith("-"));
  const out: string[] = [];
  const walk = (path: string) => {
    const info = Deno.statSync(path);
    if (info.isFile) out.push(path);
    else {
      for (const e of Deno.readDirSync(path)) {
        const child = join(path, e.name);
        if (e.isDirectory) walk(child);
        else if (/(?:^|[_.])test\.ts$/.test(e.name)) out.push(child);
      }
    }
  };
  for (const p of paths.length > 0 ? paths : ["tests"]) {
    try {
      walk(isAbsolute(p) ? p : join(root, p));
    } catch { /* deno test reports a wrong path itself */ }
  }
  return out;
}

/** Every local module the given files reach at run time (root-relative, "/"-separated). */
export function reachableModules(root: string, files: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...files];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    const rel = relative(root, isAbsolute(file) ? file : join(root, file)).split(sep).join("/");
    if (seen.has(rel) || !rel.endsWith(".ts")) continue;
    seen.add(rel);
    try {
      todo.push(...localImports(join(root, rel)));
    } catch { /* a missing module: deno test reports it */ }
  }
  return seen;
}

/** The tools the given test files need, following their local imports. */
export function toolsFor(root: string, files: readonly string[]): Tool[] {
  const names = new Set<ToolName>();
  for (const rel of reachableModules(root, files)) {
    for (const name of TOOLS_OF_MODULE[rel] ?? []) names.add(name);
  }
  return [...names].map((n) => TOOLS[n]);
}
