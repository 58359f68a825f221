/**
 * The pure half of `deno task compile` / `deno task release` (./compile.ts): targets, file
 * names, the argument parser and the messages. No I/O, so tests/unit/scripts/build_test.ts checks it directly.
 */

/** Every target `deno compile` supports that we ship (deno compile --help, "--target"). */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-pc-windows-msvc",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
] as const;
export type Target = typeof TARGETS[number];

export const NAME = "logintc-sync";

/** Files shipped next to the binary in every release zip. */
const RELEASE_FILES = ["sample.cfg", "README.md", "LICENSE"] as const;

export interface BuildArgs {
  targets: Target[];
  out: string;
  release: boolean;
  /** --allow-stand-in-runtime: release with npm's plain deno as the runtime, outputs marked. */
  allowStandIn: boolean;
}

export function parseBuildArgs(argv: readonly string[]): BuildArgs | { error: string } {
  const targets: Target[] = [];
  let out = "dist";
  let release = false;
  let allowStandIn = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--release") release = true;
    else if (a === "--allow-stand-in-runtime") allowStandIn = true;
    else if (a === "--target" || a === "--out") {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) return { error: `${a} needs a value` };
      if (a === "--out") out = v;
      else if (!(TARGETS as readonly string[]).includes(v)) {
        return { error: `--target ${v}: not one of ${TARGETS.join(", ")}` };
      } else if (!targets.includes(v as Target)) targets.push(v as Target);
    } else {
      return {
        error: `unknown argument ${a}; usage: [--release] [--target <target>]... [--out <dir>] ` +
          "[--allow-stand-in-runtime]",
      };
    }
  }
  return { targets: targets.length > 0 ? targets : [...TARGETS], out, release, allowStandIn };
}

/** `logintc-sync` or `logintc-sync.exe`: the command name an admin types, whatever the target. */
export function binaryName(target: Target): string {
  return target.includes("windows") ? `${NAME}.exe` : NAME;
}

/** The POSIX sh launcher shipped as `logintc-sync` in non-Windows releases (repo path). */
export const LAUNCHER_SOURCE = "scripts/launcher.sh";
/** The compiled program's name beside that launcher (scripts/launcher.sh runs this name). */
export const PROGRAM_BESIDE_LAUNCHER = `${NAME}.bin`;

/** One file of a release folder: its name there, where it comes from, and whether it is executable. */
export interface ReleaseEntry {
  name: string;
  /** "binary": the compiled program; otherwise a path in the repository. */
  source: "binary" | string;
  executable: boolean;
}

/**
 * What a release folder holds, sorted by name. Windows: logintc-sync.exe. Linux and macOS: the
 * launcher as `logintc-sync` and the program as `logintc-sync.bin`, because the original tool's
 * folder was run as `sh logintc-sync …` (its guide, https://www.logintc.com/docs/tools/user-sync/),
 * so existing cron lines say that, and sh can run a script but not a compiled binary.
 */
export function releaseLayout(target: Target): ReleaseEntry[] {
  const programs: ReleaseEntry[] = target.includes("windows")
    ? [{ name: binaryName(target), source: "binary", executable: true }]
    : [
      { name: NAME, source: LAUNCHER_SOURCE, executable: true },
      { name: PROGRAM_BESIDE_LAUNCHER, source: "binary", executable: true },
    ];
  const files = RELEASE_FILES.map((f): ReleaseEntry => ({ name: f, source: f, executable: false }));
  return [...programs, ...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * `logintc-sync-0.1.0-x86_64-unknown-linux-gnu`: the zip's name (plus .zip) and its top folder;
 * built on a stand-in runtime, `…-NOT-SHIPPABLE`, so no one mistakes it for a release.
 */
export function releaseStem(version: string, target: Target, standIn = false): string {
  return `${NAME}-${version}-${target}${standIn ? NOT_SHIPPABLE : ""}`;
}

/** The mark on every output of a release built on a stand-in runtime. */
const NOT_SHIPPABLE = "-NOT-SHIPPABLE";

/** The checksum file: SHA256SUMS, or SHA256SUMS-NOT-SHIPPABLE over the stand-in zips only. */
export function sumsName(standIn: boolean): string {
  return `SHA256SUMS${standIn ? NOT_SHIPPABLE : ""}`;
}

/** Whether a zip in the output folder belongs to this release's SHA256SUMS (real and stand-in never mix). */
export function isReleaseZip(name: string, version: string, standIn: boolean): boolean {
  if (!name.startsWith(`${NAME}-${version}-`) || !name.endsWith(".zip")) return false;
  return name.endsWith(`${NOT_SHIPPABLE}.zip`) === standIn;
}

/**
 * DENORT_BIN naming the deno CLI (npm's @deno/* packages ship only that): the program embeds, but
 * the binary behaves as plain deno when run (measured on 2.9.6: `--version` prints deno's).
 */
export function isStandInRuntime(denortBin: string): boolean {
  return /^deno(\.exe)?$/i.test(denortBin.split(/[\\/]/).pop() ?? "");
}

/** NOTICE.txt in a stand-in zip, and next to a stand-in binary. */
export function standInNotice(denortBin: string): string {
  return [
    "NOT SHIPPABLE: built with a stand-in runtime.",
    "",
    `The runtime was DENORT_BIN=${denortBin}, the deno command line program, not denort. The`,
    "program and its permissions are embedded, but the binary behaves as plain deno when run: it",
    "does not run logintc-sync. This build only checks packaging (deno task release",
    "--allow-stand-in-runtime). Build releases with denort (docs/building.md).",
    "",
  ].join("\n");
}

/** Why a release on a stand-in runtime is refused without --allow-stand-in-runtime. */
export function standInRefusal(denortBin: string): string {
  return [
    `error: DENORT_BIN=${denortBin} is the deno CLI, not denort: a binary built on it behaves as plain`,
    "deno and must not be shipped, so deno task release refuses it. To check the packaging anyway, add",
    `--allow-stand-in-runtime: every output is then named …${NOT_SHIPPABLE} and carries a NOTICE.txt.`,
  ].join("\n");
}

/** Where deno compile keeps a downloaded runtime (measured: Deno 2.9.6 looks there before downloading). */
export function cachedRuntimePath(denoDir: string, denoVersion: string, target: Target): string {
  return `${denoDir}/dl/release/v${denoVersion}/denort-${target}.zip`;
}

function runtimeUrl(denoVersion: string, target: Target): string {
  return `https://dl.deno.land/release/v${denoVersion}/denort-${target}.zip`;
}

/** What to do when deno compile could not get the runtime: every way out, exactly. */
export function runtimeMissingMessage(
  target: Target,
  denoVersion: string,
  denoDir: string,
  denoSaid: string,
): string {
  return [
    `error: cannot build ${target}: deno compile needs the Deno runtime for that target (denort ${denoVersion})`,
    `and could not download it. It comes from ${runtimeUrl(denoVersion, target)},`,
    `so dl.deno.land must be reachable from this machine (directly, or through HTTPS_PROXY). Otherwise:`,
    `  - copy that zip, downloaded on a machine with internet access (or the same asset from`,
    `    https://github.com/denoland/deno/releases/tag/v${denoVersion}), into Deno's cache here:`,
    `      ${cachedRuntimePath(denoDir, denoVersion, target)}`,
    `  - or unzip it and point DENORT_BIN at the denort binary inside, one target per run:`,
    `      DENORT_BIN=/path/to/denort deno task compile --target ${target}`,
    `denort is not on npm: the deno binary from npm @deno/* can stand in for it to check that the`,
    `build embeds, but the result then behaves as plain deno, not as ${NAME}.`,
    `deno compile said: ${denoSaid}`,
  ].join("\n");
}

/** True when deno compile's failure is the runtime download (not a type error or a missing file). */
export function isRuntimeDownloadFailure(stderr: string): boolean {
  return /Setting up base binary|dl\.deno\.land\/release/.test(stderr);
}

/** sha256sum's format (two spaces: text mode), sorted by name, so `sha256sum -c SHA256SUMS` checks it. */
export function sha256sums(
  entries: ReadonlyArray<{ name: string; sha256: string }>,
  standIn = false,
): string {
  // sha256sum -c skips lines starting with "#" (GNU coreutils, --strict included).
  const head = standIn
    ? "# NOT SHIPPABLE: built with a stand-in runtime; see NOTICE.txt in each zip and package.\n"
    : "";
  return head + [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.name}\n`).join("");
}
