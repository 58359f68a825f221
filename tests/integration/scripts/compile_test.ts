/**
 * `deno task compile` / `deno task release` for real, as far as this machine allows: deno compile
 * for linux x64 and windows x64 with DENORT_BIN pointing at npm's plain deno binaries (see
 * ../../support/denort.ts), then the release zips, the x86_64 RPM around the Linux build (the package
 * itself is checked around a small program by ./packageRpm_test.ts) and SHA256SUMS; and the clear
 * failure when the runtime cannot be had (the download goes to a closed loopback proxy port: nothing
 * leaves the machine).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ENV_READ } from "../../../src/cli/permissions.ts";
import { VERSION } from "../../../src/version.ts";
import {
  embeddedNpmPackages,
  embeddedPermissions,
  executableKind,
  productNpmPackages,
  runTask,
  standInRuntimes,
} from "../../support/denort.ts";
import { rpmQuery } from "../../support/rpm.ts";
import { freePort } from "../../support/net.ts";

const LINUX = "x86_64-unknown-linux-gnu";
const WINDOWS = "x86_64-pc-windows-msvc";

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const r = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  assert.equal(r.code, 0, `${cmd} ${args.join(" ")}: ${dec.decode(r.stderr)}`);
  return dec.decode(r.stdout);
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Exit code and output of a command run in `cwd` (not asserted: compared). */
async function runIn(cmd: string, args: string[], cwd: string) {
  const r = await new Deno.Command(cmd, {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

Deno.test("release: linux and windows x64 build, embed, zip and checksum (DENORT_BIN stand-ins)", async (t) => {
  const runtimes = await standInRuntimes();
  const out = await Deno.makeTempDir({ prefix: "logintc-release-" });
  try {
    for (
      const [target, kind, exe] of [[LINUX, "ELF", "logintc-sync.bin"], [WINDOWS, "PE", "logintc-sync.exe"]]
    ) {
      await t.step(`${target}: binary built with the CLI's exact permissions, zip packaged`, async () => {
        const r = await runTask(["--release", "--allow-stand-in-runtime", "--target", target, "--out", out], {
          DENORT_BIN: runtimes[target as keyof typeof runtimes],
        });
        assert.equal(r.code, 0, r.stderr);
        // The module graph embedded: our sources and the npm packages the CLI imports.
        assert.match(r.stderr, /Embedded Files/);
        for (const part of ["main.ts", "ldapts", "commander", "cli-table3"]) {
          assert.ok(r.stderr.includes(part), part);
        }
        // Exactly the product's npm packages: none that only the tests use (fast-check, pure-rand).
        const embedded = embeddedNpmPackages(r.stderr);
        assert.deepEqual(embedded, await productNpmPackages());
        assert.deepEqual(embedded.filter((p) => /^(fast-check|pure-rand)@/.test(p)), []);
        const binary = join(out, target, target === LINUX ? "logintc-sync" : exe);
        assert.equal(await executableKind(binary), kind);
        const perms = await embeddedPermissions(binary);
        assert.deepEqual(perms.allow_env, [...ENV_READ]);
        assert.deepEqual(perms.allow_sys, ["hostname", "uid"]);
        assert.deepEqual([perms.allow_net, perms.allow_read, perms.allow_write], [[], [], []]); // [] = unrestricted
        assert.deepEqual([perms.allow_run, perms.allow_ffi, perms.prompt], [null, null, false]);

        // A stand-in runtime's build is marked in every output: names, and a notice inside and beside.
        const stem = `logintc-sync-${VERSION}-${target}-NOT-SHIPPABLE`;
        await assert.rejects(
          Deno.stat(join(out, `logintc-sync-${VERSION}-${target}.zip`)),
          Deno.errors.NotFound,
        );
        assert.match(await Deno.readTextFile(join(out, target, "NOTICE.txt")), /^NOT SHIPPABLE: /);
        const listing = await run("unzip", ["-Z1", `${stem}.zip`], out);
        // Linux: the sh launcher `logintc-sync` beside the program (scripts/launcher.sh).
        const programs = target === LINUX ? ["logintc-sync", exe] : [exe];
        assert.deepEqual(listing.trim().split("\n"), [
          `${stem}/LICENSE`,
          `${stem}/NOTICE.txt`,
          `${stem}/README.md`,
          ...programs.map((p) => `${stem}/${p}`),
          `${stem}/sample.cfg`,
        ]);
        for (const p of programs) {
          const modes = await run("zipinfo", [`${stem}.zip`, `${stem}/${p}`], out);
          assert.match(modes, /^-rwxr-xr-x /m, `${p} is executable once unzipped`);
        }
        const unzipped = join(out, "x", target);
        await Deno.mkdir(unzipped, { recursive: true });
        await run("unzip", ["-q", "-d", unzipped, `${stem}.zip`], out);
        assert.equal(await executableKind(join(unzipped, stem, exe)), kind);
        if (target === LINUX) {
          // The original's folder was run as `sh logintc-sync …`: from the unpacked zip, that and
          // ./logintc-sync run the program with the same arguments (same output and exit code).
          const folder = join(unzipped, stem);
          const direct = await runIn(`./${exe}`, ["-v"], folder);
          assert.ok(direct.stdout.length > 0, "the program printed its version");
          assert.equal(
            await Deno.readTextFile(join(folder, "logintc-sync")),
            await Deno.readTextFile(new URL("../../../scripts/launcher.sh", import.meta.url)),
          );
          for (const [cmd, args] of [["sh", ["logintc-sync", "-v"]], ["./logintc-sync", ["-v"]]] as const) {
            assert.deepEqual(await runIn(cmd, [...args], folder), direct, `${cmd} ${args.join(" ")}`);
          }
        }
        assert.equal(
          await Deno.readTextFile(join(unzipped, stem, "LICENSE")),
          await Deno.readTextFile(new URL("../../../LICENSE", import.meta.url)),
        );
        assert.match(await Deno.readTextFile(join(unzipped, stem, "NOTICE.txt")), /behaves as plain\sdeno/);
      });
    }
    await t.step(
      "x86_64 RPM: the compiled program, the libraries its ELF names as dependencies, the mark",
      async () => {
        const rpm = join(out, `logintc-sync-NOT-SHIPPABLE-${VERSION}-1.x86_64.rpm`);
        const binary = join(out, LINUX, "logintc-sync");
        const files = await rpmQuery(rpm, "--qf", "[%{FILENAMES} %{FILESIZES} %{FILEDIGESTS}\n]");
        const size = (await Deno.stat(binary)).size;
        const program = `/usr/libexec/logintc-sync/logintc-sync.bin ${size} ${await sha256(binary)}`;
        assert.ok(files.split("\n").includes(program), `${program} in:\n${files}`);
        assert.match(files, /^\/usr\/share\/doc\/logintc-sync-NOT-SHIPPABLE\/NOTICE\.txt /m);
        // rpmbuild read them from the program: dnf refuses the package where glibc is older than the
        // launcher's check says (scripts/launcher.sh), e.g. on RHEL 7.
        const requires = (await rpmQuery(rpm, "--requires")).split("\n");
        assert.ok(requires.includes("libc.so.6(GLIBC_2.27)(64bit)"), requires.join("\n"));
        const glibc = requires.flatMap((r) => {
          const m = /\(GLIBC_(\d+)\.(\d+)/.exec(r);
          return m ? [Number(m[1]) * 1000 + Number(m[2])] : [];
        });
        assert.equal(Math.max(...glibc), 2027, "the newest glibc symbol version it needs is 2.27");
        assert.ok(requires.includes("shadow-utils"));
      },
    );
    await t.step(
      "SHA256SUMS-NOT-SHIPPABLE lists both zips and the RPM, says so, and sha256sum -c accepts it",
      async () => {
        await assert.rejects(
          Deno.stat(join(out, "SHA256SUMS")),
          Deno.errors.NotFound,
          "no releasable SHA256SUMS",
        );
        const sums = await Deno.readTextFile(join(out, "SHA256SUMS-NOT-SHIPPABLE"));
        const [head, ...lines] = sums.trim().split("\n");
        assert.match(head, /^# NOT SHIPPABLE: /);
        assert.deepEqual(
          lines.map((l) => l.replace(/^[0-9a-f]{64} {2}/, "")),
          [
            `logintc-sync-${VERSION}-${WINDOWS}-NOT-SHIPPABLE.zip`,
            `logintc-sync-${VERSION}-${LINUX}-NOT-SHIPPABLE.zip`,
            `logintc-sync-NOT-SHIPPABLE-${VERSION}-1.x86_64.rpm`,
          ], // sorted by name
        );
        assert.match(
          await run("sha256sum", ["--strict", "-c", "SHA256SUMS-NOT-SHIPPABLE"], out),
          /zip: OK\n.*zip: OK\n.*rpm: OK\n$/,
        );
      },
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("compile: no DENORT_BIN, no cached runtime, dl.deno.land unreachable → says what to do, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "logintc-compile-" });
  try {
    // A Deno cache with no runtimes in it, sharing the real npm cache (no registry access needed).
    const info = JSON.parse(
      new TextDecoder().decode(
        (await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output()).stdout,
      ),
    );
    const denoDir = join(dir, "deno");
    await Deno.mkdir(denoDir);
    await Deno.symlink(info.npmCache, join(denoDir, "npm"));
    // Any download attempt goes to a closed port on loopback.
    const proxy = `http://127.0.0.1:${freePort()}`;
    const r = await runTask(["--target", "aarch64-apple-darwin", "--out", join(dir, "dist")], {
      DENO_DIR: denoDir,
      HTTPS_PROXY: proxy,
      https_proxy: proxy,
    });
    assert.equal(r.code, 1, r.stderr);
    const cached = join(denoDir, `dl/release/v${Deno.version.deno}/denort-aarch64-apple-darwin.zip`);
    for (
      const text of [
        "error: cannot build aarch64-apple-darwin",
        `https://dl.deno.land/release/v${Deno.version.deno}/denort-aarch64-apple-darwin.zip`,
        "dl.deno.land must be reachable",
        cached,
        "DENORT_BIN=/path/to/denort deno task compile --target aarch64-apple-darwin",
        "denort is not on npm",
        "deno compile said:",
      ]
    ) assert.ok(r.stderr.includes(text), `missing "${text}" in:\n${r.stderr}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compile: DENORT_BIN without --target, or naming no file, is refused before building", async () => {
  const all = await runTask(["--out", "/nonexistent/dist"], { DENORT_BIN: Deno.execPath() });
  assert.equal(all.code, 1);
  assert.match(
    all.stderr,
    /^error: DENORT_BIN is the runtime for ONE target; name it: deno task compile --target/m,
  );
  const none = await runTask(["--target", LINUX, "--out", "/nonexistent/dist"], {
    DENORT_BIN: "/nonexistent/denort",
  });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^error: DENORT_BIN=\/nonexistent\/denort: no such file$/m);
  const bad = await runTask(["--target", "x86_64-windows"], {});
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: --target x86_64-windows: not one of x86_64-unknown-linux-gnu, /m);
});

Deno.test("release: a stand-in runtime is refused unless --allow-stand-in-runtime; nothing is written", async () => {
  const out = await Deno.makeTempDir({ prefix: "logintc-release-" });
  try {
    // The running deno stands in: npm's @deno/* binaries are this same program.
    const r = await runTask(["--release", "--target", LINUX, "--out", out], { DENORT_BIN: Deno.execPath() });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^error: DENORT_BIN=.* is the deno CLI, not denort: .*\n.*\n--allow-stand-in-runtime: /m,
    );
    assert.doesNotMatch(r.stderr, /Building /, "refused before building");
    assert.deepEqual([...Deno.readDirSync(out)], []);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
