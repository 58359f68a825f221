/**
 * Stand-ins for denort so `deno compile` can run here, where dl.deno.land is not reachable: the
 * plain deno binaries from npm (@deno/linux-x64-glibc, @deno/win32-x64), same version as the
 * running deno, installed once into .ci/tools/deno-runtimes (git-ignored; never the repo root).
 * A binary built on them proves the module graph, the npm packages and the permissions embed;
 * it behaves as plain deno when run (docs/building.md), so it is never shipped.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TOOLS = join(ROOT, ".ci/tools/deno-runtimes");
const PACKAGES = {
  "x86_64-unknown-linux-gnu": { pkg: "@deno/linux-x64-glibc", file: "deno" },
  "x86_64-pc-windows-msvc": { pkg: "@deno/win32-x64", file: "deno.exe" },
} as const;
export type StandInTarget = keyof typeof PACKAGES;

async function installedVersion(pkg: string): Promise<string | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(join(TOOLS, "node_modules", pkg, "package.json"))).version;
  } catch {
    return undefined;
  }
}

/** Path of the stand-in runtime per target; installs them with npm when missing, or throws why not. */
export async function standInRuntimes(): Promise<Record<StandInTarget, string>> {
  const version = Deno.version.deno;
  const wanted = Object.values(PACKAGES).map((p) => p.pkg);
  const missing = [];
  for (const pkg of wanted) if ((await installedVersion(pkg)) !== version) missing.push(pkg);
  if (missing.length > 0) {
    // --os/--cpu/--force: npm refuses a package for another platform otherwise.
    const args = ["install", "--no-save", "--no-audit", "--no-fund", "--force", "--os=win32", "--cpu=x64"];
    let r: Deno.CommandOutput;
    try {
      r = await new Deno.Command("npm", {
        args: [...args, "--prefix", TOOLS, ...wanted.map((p) => `${p}@${version}`)],
        stdout: "piped",
        stderr: "piped",
      }).output();
    } catch (e) {
      throw new Error(`cannot run npm to fetch ${wanted.join(", ")}: ${(e as Error).message}`);
    }
    if (!r.success) {
      throw new Error(
        `npm install ${wanted.join(" ")} into ${TOOLS} failed:\n${new TextDecoder().decode(r.stderr)}`,
      );
    }
  }
  const paths = {} as Record<StandInTarget, string>;
  for (const [target, { pkg, file }] of Object.entries(PACKAGES)) {
    const path = join(TOOLS, "node_modules", pkg, file);
    await Deno.stat(path); // throws NotFound with the path if npm put it elsewhere
    paths[target as StandInTarget] = path;
  }
  return paths;
}

/** Runs a deno task script (compile.ts) as `deno task` would, with a controlled environment. */
export async function runTask(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: Record<string, string> = { NO_COLOR: "1", RUST_BACKTRACE: "0" };
  for (const key of ["PATH", "HOME", "DENO_DIR", "TMPDIR"]) {
    const v = Deno.env.get(key);
    if (v !== undefined) base[key] = v;
  }
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "scripts/compile.ts"), ...args],
    cwd: ROOT,
    clearEnv: true,
    env: { ...base, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/** The permissions deno compile wrote into a binary's metadata (a JSON object without nesting). */
export async function embeddedPermissions(binary: string): Promise<Record<string, unknown>> {
  const bytes = await Deno.readFile(binary);
  const marker = new TextEncoder().encode('"permissions":{');
  const at = indexOf(bytes, marker);
  if (at < 0) throw new Error(`${binary}: no "permissions" metadata found`);
  const end = bytes.indexOf("}".charCodeAt(0), at + marker.length);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(at + marker.length - 1, end + 1)));
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  let i = hay.indexOf(needle[0]);
  while (i >= 0 && i <= hay.length - needle.length) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i = hay.indexOf(needle[0], i + 1);
  }
  return -1;
}

/** "ELF" for an ELF executable, "PE" for a Windows PE (MZ header pointing at "PE\0\0"), else "". */
export async function executableKind(path: string): Promise<string> {
  const f = await Deno.open(path);
  try {
    const head = new Uint8Array(4096);
    await f.read(head);
    if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return "ELF";
    if (head[0] === 0x4d && head[1] === 0x5a) {
      const peAt = new DataView(head.buffer).getUint32(0x3c, true);
      if (
        peAt + 4 <= head.length && head[peAt] === 0x50 && head[peAt + 1] === 0x45 && head[peAt + 2] === 0 &&
        head[peAt + 3] === 0
      ) return "PE";
    }
    return "";
  } finally {
    f.close();
  }
}

/** The npm packages (name@version) in deno compile's "Embedded Files" report. */
export function embeddedNpmPackages(report: string): string[] {
  const names: string[] = [];
  for (const m of report.matchAll(/── ((?:@[^/\s]+\/)?[^/\s@]+)\/(\d[^/\s]*)\/\*/g)) {
    names.push(`${m[1]}@${m[2]}`);
  }
  // Scoped packages are listed as "@scope/name/*" without a version folder.
  for (const m of report.matchAll(/── (@[^/\s]+\/[^/\s]+)\/\* /g)) names.push(m[1]);
  return names.sort();
}

/**
 * The packages the product needs: deno.json's "imports" and everything they depend on, per
 * deno.lock (name@version; scoped names without the version, as the report shows them).
 */
export async function productNpmPackages(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const lock = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.lock")));
  const npm: Record<string, { dependencies?: string[]; optionalDependencies?: string[] }> = lock.npm;
  const byName = new Map(Object.keys(npm).map((k) => [k.slice(0, k.lastIndexOf("@")), k]));
  const todo = Object.values<string>(config.imports).map((spec) => {
    const name = spec.replace(/^npm:/, "").replace(/@[^@/]*$/, "");
    return `${name}@${lock.specifiers[spec.replace(/\^/, "")]}`;
  });
  const seen = new Set<string>();
  for (let key = todo.pop(); key !== undefined; key = todo.pop()) {
    if (seen.has(key)) continue;
    seen.add(key);
    for (const dep of [...(npm[key]?.dependencies ?? []), ...(npm[key]?.optionalDependencies ?? [])]) {
      todo.push(byName.get(dep) ?? dep);
    }
  }
  return [...seen].map((k) => (k.startsWith("@") ? k.slice(0, k.lastIndexOf("@")) : k)).sort();
}
