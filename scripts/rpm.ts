/**
 * The pure half of the release's RPM (scripts/rpm/logintc-sync.spec; built by ./compile.ts): which
 * target gets one, its name, what is staged for %install, and the rpmbuild command line. No I/O, so
 * tests/unit/scripts/rpm_test.ts checks it directly.
 */
import { LAUNCHER_SOURCE, NAME, PROGRAM_BESIDE_LAUNCHER, type Target } from "./build.ts";

/** The spec, in the repository. */
export const RPM_SPEC = "scripts/rpm/logintc-sync.spec";

/** The one target packaged as an RPM (RHEL 8, 9 and 10 on x86_64), and its RPM architecture. */
export const RPM_TARGET: Target = "x86_64-unknown-linux-gnu";
export const RPM_ARCH = "x86_64";

/** The package's Release: a rebuild of the same version with packaging changes only would raise it. */
export const RPM_RELEASE = "1";

/**
 * The package name: `logintc-sync`, or `logintc-sync-NOT-SHIPPABLE` when built on a stand-in
 * runtime, so the mark is in the file name and in `rpm -qa` on any machine it reaches.
 */
export function rpmName(standIn: boolean): string {
  return `${NAME}${standIn ? "-NOT-SHIPPABLE" : ""}`;
}

/** RPM versions cannot hold `-`; `~` sorts before the release (0.2.0~rc1 < 0.2.0), as a pre-release should. */
export function rpmVersion(version: string): string {
  return version.replaceAll("-", "~");
}

/** `logintc-sync-0.1.0-1.x86_64.rpm` (rpmbuild writes it under this name: rpmbuildArgs). */
export function rpmFileName(version: string, standIn: boolean): string {
  return `${rpmName(standIn)}-${rpmVersion(version)}-${RPM_RELEASE}.${RPM_ARCH}.rpm`;
}

/**
 * What the spec's %install reads from %{_sourcedir}, by the name it uses there, and where each comes
 * from: "binary" (the compiled program), "notice" (NOTICE.txt of a stand-in build, only then), or a
 * path in the repository.
 */
export const RPM_SOURCES: ReadonlyArray<{ name: string; source: "binary" | "notice" | string }> = [
  { name: PROGRAM_BESIDE_LAUNCHER, source: "binary" },
  { name: NAME, source: LAUNCHER_SOURCE },
  { name: "sample.cfg", source: "sample.cfg" },
  { name: "logintc-sync.sysconfig", source: "scripts/rpm/logintc-sync.sysconfig" },
  { name: "logintc-sync.service", source: "scripts/rpm/logintc-sync.service" },
  { name: "logintc-sync.timer", source: "scripts/rpm/logintc-sync.timer" },
  { name: "README.md", source: "README.md" },
  { name: "LICENSE", source: "LICENSE" },
  { name: "NOTICE.txt", source: "notice" },
];

export interface RpmBuild {
  /** rpmbuild's scratch tree (BUILD, BUILDROOT, its temp files and an empty rpm database), removed after. */
  work: string;
  /** The staged RPM_SOURCES. */
  sources: string;
  /** Where the .rpm goes: the release's output folder. */
  out: string;
  spec: string;
  version: string;
  standIn: boolean;
}

/**
 * `rpmbuild -bb` for x86_64 whatever the build machine, everything it writes kept under `work` and
 * `out` (Debian's rpm otherwise keeps a database in ~/.rpmdb and temp files in /var/tmp). Run it with
 * SOURCE_DATE_EPOCH set: the build time and every file time are then that instant.
 */
export function rpmbuildArgs(b: RpmBuild): string[] {
  const defines: Array<[string, string]> = [
    ["_topdir", b.work],
    ["_builddir", `${b.work}/BUILD`],
    ["_buildrootdir", `${b.work}/BUILDROOT`],
    ["_tmppath", `${b.work}/tmp`],
    ["_dbpath", `${b.work}/rpmdb`],
    ["_sourcedir", b.sources],
    ["_rpmdir", b.out],
    // The file straight in `out`, not in out/x86_64/ (rpmbuild's default).
    ["_build_name_fmt", "%%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm"],
    // gzip level 6: measured on the ~100 MB program, 5 s for 41.6 MB; xz -2, 54 s for 33.8 MB. Every
    // rpm since RHEL 5 reads it.
    ["_binary_payload", "w6.gzdio"],
    ["use_source_date_epoch_as_buildtime", "1"],
    ["clamp_mtime_to_source_date_epoch", "1"],
    ["_buildhost", "localhost"],
    ["pkg_name", rpmName(b.standIn)],
    ["pkg_version", rpmVersion(b.version)],
    ["stand_in", b.standIn ? "1" : "0"],
  ];
  return [
    "-bb",
    "--quiet",
    "--target",
    `${RPM_ARCH}-linux`,
    ...defines.flatMap(([name, value]) => ["--define", `${name} ${value}`]),
    b.spec,
  ];
}

/** Why a release for RPM_TARGET needs rpmbuild, and how to get it. */
export function rpmbuildMissingMessage(): string {
  return `error: deno task release for ${RPM_TARGET} also builds an RPM and needs rpmbuild. Install it: ` +
    "sudo apt-get install -y rpm (Debian/Ubuntu), sudo dnf install -y rpm-build (RHEL), brew install rpm " +
    `(macOS); or leave that target out (--target …)`;
}
