/** The pure half of the build tasks (scripts/build.ts): arguments, names, checksums, messages. */
import assert from "node:assert/strict";
import {
  binaryName,
  cachedRuntimePath,
  isReleaseZip,
  isRuntimeDownloadFailure,
  isStandInRuntime,
  parseBuildArgs,
  releaseLayout,
  releaseStem,
  sha256sums,
  standInNotice,
  standInRefusal,
  sumsName,
  TARGETS,
} from "../../../scripts/build.ts";

Deno.test("build args: all five targets by default, --target picks, --out and --release", () => {
  assert.deepEqual(parseBuildArgs([]), {
    targets: [...TARGETS],
    out: "dist",
    release: false,
    allowStandIn: false,
  });
  assert.equal(TARGETS.length, 5);
  assert.deepEqual(
    parseBuildArgs([
      "--release",
      "--target",
      "aarch64-apple-darwin",
      "--target",
      "aarch64-apple-darwin",
      "--out",
      "o",
    ]),
    { targets: ["aarch64-apple-darwin"], out: "o", release: true, allowStandIn: false },
  );
  assert.equal(
    (parseBuildArgs(["--release", "--allow-stand-in-runtime"]) as { allowStandIn: boolean }).allowStandIn,
    true,
  );
  assert.deepEqual(parseBuildArgs(["--target"]), { error: "--target needs a value" });
  assert.match(
    (parseBuildArgs(["--target", "win64"]) as { error: string }).error,
    /^--target win64: not one of/,
  );
  assert.match((parseBuildArgs(["-x"]) as { error: string }).error, /^unknown argument -x; usage:/);
});

Deno.test("build names: the command name per OS, versioned zip stems, deno's runtime cache path", () => {
  assert.equal(binaryName("x86_64-pc-windows-msvc"), "logintc-sync.exe");
  assert.equal(binaryName("aarch64-apple-darwin"), "logintc-sync");
  assert.equal(
    releaseStem("0.1.0", "x86_64-unknown-linux-gnu"),
    "logintc-sync-0.1.0-x86_64-unknown-linux-gnu",
  );
  assert.equal(
    cachedRuntimePath("/root/.cache/deno", "2.9.6", "aarch64-unknown-linux-gnu"),
    "/root/.cache/deno/dl/release/v2.9.6/denort-aarch64-unknown-linux-gnu.zip",
  );
});

Deno.test("SHA256SUMS: sha256sum's text format, sorted by file name", () => {
  assert.equal(
    sha256sums([{ name: "b.zip", sha256: "b".repeat(64) }, { name: "a.zip", sha256: "a".repeat(64) }]),
    `${"a".repeat(64)}  a.zip\n${"b".repeat(64)}  b.zip\n`,
  );
  assert.equal(sha256sums([]), "");
});

Deno.test("runtime download failure is told apart from other compile errors", () => {
  assert.ok(
    isRuntimeDownloadFailure("error: Writing deno compile executable\n    0: Setting up base binary."),
  );
  assert.ok(!isRuntimeDownloadFailure("error: Type checking failed."));
});

Deno.test("release layout: Windows ships logintc-sync.exe; Linux and macOS the sh launcher beside logintc-sync.bin", () => {
  const show = (t: typeof TARGETS[number]) =>
    releaseLayout(t).map((e) => `${e.name} <- ${e.source}${e.executable ? " (755)" : ""}`);
  assert.deepEqual(show("x86_64-pc-windows-msvc"), [
    "LICENSE <- LICENSE",
    "README.md <- README.md",
    "logintc-sync.exe <- binary (755)",
    "sample.cfg <- sample.cfg",
  ]);
  for (
    const t of ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "aarch64-apple-darwin"] as const
  ) {
    assert.deepEqual(show(t), [
      "LICENSE <- LICENSE",
      "README.md <- README.md",
      "logintc-sync <- scripts/launcher.sh (755)",
      "logintc-sync.bin <- binary (755)",
      "sample.cfg <- sample.cfg",
    ]);
  }
});

Deno.test("stand-in runtime: recognised by name; its outputs are marked and kept apart from a release's", () => {
  for (const p of ["/x/node_modules/@deno/linux-x64-glibc/deno", "C:\\deno\\deno.exe", "deno"]) {
    assert.ok(isStandInRuntime(p), p);
  }
  for (const p of ["/opt/denort", "C:\\denort.exe", "/x/deno/denort"]) assert.ok(!isStandInRuntime(p), p);
  const target = "x86_64-unknown-linux-gnu";
  assert.equal(
    releaseStem("0.1.0", target, true),
    "logintc-sync-0.1.0-x86_64-unknown-linux-gnu-NOT-SHIPPABLE",
  );
  assert.equal(sumsName(false), "SHA256SUMS");
  assert.equal(sumsName(true), "SHA256SUMS-NOT-SHIPPABLE");
  const real = `${releaseStem("0.1.0", target)}.zip`;
  const marked = `${releaseStem("0.1.0", target, true)}.zip`;
  assert.deepEqual([isReleaseZip(real, "0.1.0", false), isReleaseZip(marked, "0.1.0", false)], [true, false]);
  assert.deepEqual([isReleaseZip(real, "0.1.0", true), isReleaseZip(marked, "0.1.0", true)], [false, true]);
  assert.ok(!isReleaseZip(real, "0.2.0", false));
  const sums = sha256sums([{ name: marked, sha256: "c".repeat(64) }], true);
  assert.match(sums, /^# NOT SHIPPABLE: .*\n[c]{64} {2}\S+-NOT-SHIPPABLE\.zip\n$/);
  assert.match(standInNotice("/x/deno"), /^NOT SHIPPABLE: built with a stand-in runtime\./);
  assert.match(standInNotice("/x/deno"), /DENORT_BIN=\/x\/deno/);
  assert.match(standInRefusal("/x/deno"), /^error: DENORT_BIN=\/x\/deno is the deno CLI, not denort/);
  assert.match(standInRefusal("/x/deno"), /--allow-stand-in-runtime/);
});
