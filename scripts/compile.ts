/**
 * `deno task compile [--target <t>]... [--out <dir>]`: one binary per target, built with the
 * CLI's exact permissions (src/cli/permissions.ts), into <out>/<target>/logintc-sync[.exe]
 * (default out: dist/; default targets: all five).
 * `deno task release [...]` (this file with --release) also writes, per target,
 * <out>/logintc-sync-<version>-<target>.zip (the program, sample.cfg, README.md, LICENSE in a folder
 * of the same name; on Linux and macOS the program is logintc-sync.bin beside the sh launcher
 * logintc-sync: ./build.ts releaseLayout); for x86_64 Linux also <out>/logintc-sync-<version>-1.x86_64.rpm
 * (./rpm/logintc-sync.spec, built with rpmbuild: ./packageRpm.ts); and <out>/SHA256SUMS over every zip and RPM
 * of this version in <out>.
 * A release on a stand-in runtime (DENORT_BIN naming npm's plain deno, as CI has) is refused unless
 * --allow-stand-in-runtime is given; then every output is marked: …-NOT-SHIPPABLE.zip with a
 * NOTICE.txt inside, the package logintc-sync-NOT-SHIPPABLE with NOTICE.txt in its documentation,
 * SHA256SUMS-NOT-SHIPPABLE, and a NOTICE.txt next to each binary.
 *
 * deno compile appends the program to a prebuilt runtime (denort) for the target, which it
 * downloads from dl.deno.land into its cache. Where that is not reachable it honours DENORT_BIN
 * (one runtime binary, so one target per run) and an already-populated cache; otherwise this
 * task stops with a message that says exactly that (./build.ts runtimeMissingMessage).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CLI_PERMISSIONS } from "../src/cli/permissions.ts";
import { VERSION } from "../src/version.ts";
import {
  binaryName,
  cachedRuntimePath,
  isReleaseZip,
  isRuntimeDownloadFailure,
  isStandInRuntime,
  parseBuildArgs,
  releaseLayout,
  releaseStem,
  runtimeMissingMessage,
  sha256sums,
  standInNotice,
  standInRefusal,
  sumsName,
  type Target,
} from "./build.ts";
import { RPM_TARGET, rpmbuildMissingMessage, rpmFileName } from "./rpm.ts";
import { packageRpm } from "./packageRpm.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const dec = new TextDecoder();

function fail(message: string): never {
  console.error(message);
  Deno.exit(1);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function denoDir(): Promise<string> {
  const r = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stderr: "inherit" }).output();
  if (!r.success) fail("error: `deno info --json` failed; cannot find Deno's cache directory");
  return JSON.parse(dec.decode(r.stdout)).denoDir;
}

async function compile(target: Target, out: string, cacheDir: string): Promise<string> {
  const dir = join(out, target);
  await Deno.mkdir(dir, { recursive: true });
  const output = join(dir, binaryName(target));
  const cached = await exists(cachedRuntimePath(cacheDir, Deno.version.deno, target));
  const source = Deno.env.get("DENORT_BIN") ? `DENORT_BIN` : cached ? "Deno's cache" : "dl.deno.land";
  console.error(`Building ${target} (runtime from ${source}) → ${output}`);
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "compile",
      "--frozen", // a release builds from the committed deno.lock, or not at all
      "--no-prompt",
      // Embed only the npm packages main.ts reaches: without it deno compile embeds every package
      // in deno.lock, test-only ones (fast-check) included (docs/building.md, "What the binary contains").
      "--exclude-unused-npm",
      ...CLI_PERMISSIONS,
      "--target",
      target,
      "--output",
      output,
      join(ROOT, "main.ts"),
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = dec.decode(r.stdout);
  const stderr = dec.decode(r.stderr);
  if (!r.success) {
    Deno.stdout.writeSync(r.stdout);
    if (isRuntimeDownloadFailure(stderr)) {
      const said = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "").slice(-4).join(" / ");
      fail(runtimeMissingMessage(target, Deno.version.deno, cacheDir, said));
    }
    Deno.stderr.writeSync(r.stderr);
    fail(`error: deno compile failed for ${target}; see above`);
  }
  // deno compile's report (the "Embedded Files" tree) goes to stderr: keep it in the build log.
  for (const text of [stdout, stderr]) if (text.trim()) console.error(text.trimEnd());
  if (!(await exists(output))) fail(`error: deno compile reported success but ${output} does not exist`);
  return output;
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Fixed file times, so rebuilding the same commit gives the same zip bytes around the binary. */
async function sourceDate(): Promise<Date> {
  const fromEnv = Number(Deno.env.get("SOURCE_DATE_EPOCH"));
  if (Number.isFinite(fromEnv) && fromEnv > 0) return new Date(fromEnv * 1000);
  try {
    const r = await new Deno.Command("git", {
      args: ["log", "-1", "--format=%ct"],
      cwd: ROOT,
      stderr: "null",
    })
      .output();
    const t = Number(dec.decode(r.stdout).trim());
    if (r.success && t > 0) return new Date(t * 1000);
  } catch { /* no git: the build time will do */ }
  return new Date();
}

/** In a stand-in build's zip and next to its binary: what it is and why it must not ship. */
const NOTICE = "NOTICE.txt";

async function packageZip(
  target: Target,
  binary: string,
  out: string,
  when: Date,
  notice?: string,
): Promise<string> {
  const stem = releaseStem(VERSION, target, notice !== undefined);
  const stage = join(out, `.stage-${stem}`);
  await Deno.remove(stage, { recursive: true }).catch(() => {});
  const folder = join(stage, stem);
  await Deno.mkdir(folder, { recursive: true });
  const layout = releaseLayout(target);
  for (const e of layout) {
    await Deno.copyFile(e.source === "binary" ? binary : join(ROOT, e.source), join(folder, e.name));
  }
  if (notice) await Deno.writeTextFile(join(folder, NOTICE), notice);
  const files = [...layout, ...(notice ? [{ name: NOTICE, executable: false }] : [])];
  for (const { name, executable } of files) {
    // The modes unzip restores on Linux/macOS; Windows has none (and Deno.chmod is POSIX-only).
    if (Deno.build.os !== "windows") await Deno.chmod(join(folder, name), executable ? 0o755 : 0o644);
    await Deno.utime(join(folder, name), when, when);
  }
  const names = files.map((f) => f.name).sort();
  const zipPath = join(out, `${stem}.zip`);
  await Deno.remove(zipPath).catch(() => {});
  // -X: no uid/gid or extra timestamps; -D: no directory entries; explicit sorted list: a stable
  // order; TZ=UTC: zip stores local DOS times.
  const r = await new Deno.Command("zip", {
    args: ["-X", "-D", "-q", zipPath, ...names.map((n) => `${stem}/${n}`)],
    cwd: stage,
    env: { TZ: "UTC" },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  await Deno.remove(stage, { recursive: true });
  if (!r.success) fail(`error: zip failed for ${zipPath}`);
  return zipPath;
}

async function writeSums(out: string, standIn: boolean): Promise<string> {
  const entries: Array<{ name: string; sha256: string }> = [];
  for await (const e of Deno.readDir(out)) {
    if (e.isFile && (isReleaseZip(e.name, VERSION, standIn) || e.name === rpmFileName(VERSION, standIn))) {
      entries.push({ name: e.name, sha256: await sha256(join(out, e.name)) });
    }
  }
  const path = join(out, sumsName(standIn));
  await Deno.writeTextFile(path, sha256sums(entries, standIn));
  return path;
}

async function available(command: string, versionFlag: string): Promise<boolean> {
  try {
    return (await new Deno.Command(command, { args: [versionFlag], stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

const args = parseBuildArgs(Deno.args);
if ("error" in args) fail(`error: ${args.error}`);
const out = args.out.startsWith("/") || /^[A-Za-z]:[\\/]/.test(args.out) ? args.out : join(ROOT, args.out);
const denort = Deno.env.get("DENORT_BIN");
if (denort) {
  if (args.targets.length !== 1) {
    fail(
      `error: DENORT_BIN is the runtime for ONE target; name it: deno task ${
        args.release ? "release" : "compile"
      } --target <target>`,
    );
  }
  if (!(await exists(denort))) fail(`error: DENORT_BIN=${denort}: no such file`);
}
// A stand-in runtime (npm's plain deno): a release is refused unless asked for, then marked.
const notice = denort && isStandInRuntime(denort) ? standInNotice(denort) : undefined;
if (notice && args.release && !args.allowStandIn) fail(standInRefusal(denort!));
if (notice) {
  console.error(
    `warning: DENORT_BIN=${denort} is the deno CLI, not denort: the build proves the program embeds, ` +
      `but the binary will behave as plain deno. Its outputs are marked NOT-SHIPPABLE.`,
  );
}
if (args.release && !(await available("zip", "-v"))) {
  fail(
    "error: deno task release needs the zip command. Install it: sudo apt-get install -y zip " +
      "(Debian/Ubuntu), sudo dnf install -y zip (RHEL), brew install zip (macOS)",
  );
}
if (args.release && args.targets.includes(RPM_TARGET) && !(await available("rpmbuild", "--version"))) {
  fail(rpmbuildMissingMessage());
}
const cacheDir = await denoDir();
const when = await sourceDate();
for (const target of args.targets) {
  const binary = await compile(target, out, cacheDir);
  // Next to the binary too; removed when a real runtime rebuilds it, so it never marks a good one.
  const besideBinary = join(out, target, NOTICE);
  if (notice) await Deno.writeTextFile(besideBinary, notice);
  else await Deno.remove(besideBinary).catch(() => {});
  if (args.release) console.error(`Packaged ${await packageZip(target, binary, out, when, notice)}`);
  if (args.release && target === RPM_TARGET) {
    const rpm = await packageRpm({ binary, out, version: VERSION, when, notice }).catch((e) =>
      fail(e.message)
    );
    console.error(`Packaged ${rpm}`);
  }
}
if (args.release) console.error(`Wrote ${await writeSums(out, notice !== undefined)}`);
