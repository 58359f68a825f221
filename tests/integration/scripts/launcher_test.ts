/**
 * The release launcher (scripts/launcher.sh, shipped as `logintc-sync` beside logintc-sync.bin on
 * Linux and macOS), run by real shells the ways admins and cron run it: `sh logintc-sync …` and
 * `./logintc-sync …` from the folder, by path from elsewhere, through symlinks, through PATH. The
 * program beside it here is a stand-in script that prints its arguments and working directory, so
 * the test sees exactly what the real binary would get.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LAUNCHER_SOURCE, NAME, PROGRAM_BESIDE_LAUNCHER } from "../../../scripts/build.ts";

const LAUNCHER = fileURLToPath(new URL(`../../../${LAUNCHER_SOURCE}`, import.meta.url));

/** A release-like folder (its name has spaces and a quote) with the launcher and a stand-in program. */
async function withRelease(fn: (root: string, folder: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "logintc launcher " });
  try {
    const folder = join(root, "logintc-sync 0.1 it's here");
    await Deno.mkdir(folder);
    await Deno.copyFile(LAUNCHER, join(folder, NAME));
    await Deno.chmod(join(folder, NAME), 0o755);
    // Prints where it runs from, then each argument on its own line between brackets.
    await Deno.writeTextFile(
      join(folder, PROGRAM_BESIDE_LAUNCHER),
      `#!/bin/sh\necho "program=$0"\necho "cwd=$(pwd -P)"\nfor a in "$@"; do echo "[$a]"; done\nexit 7\n`,
    );
    await Deno.chmod(join(folder, PROGRAM_BESIDE_LAUNCHER), 0o755);
    await fn(await Deno.realPath(root), await Deno.realPath(folder));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const ARGS = ["-m", "remove", "two words", "", "it's", "$HOME", "*", "config.cfg"];
const expected = (folder: string, cwd: string) =>
  [`program=${folder}/${PROGRAM_BESIDE_LAUNCHER}`, `cwd=${cwd}`, ...ARGS.map((a) => `[${a}]`), ""].join("\n");

Deno.test("launcher: `sh logintc-sync …` and `./logintc-sync …` from the folder run the program with the same arguments", async () => {
  await withRelease(async (_root, folder) => {
    for (
      const [cmd, args] of [["sh", [NAME, ...ARGS]], [`./${NAME}`, ARGS], ["dash", [
        NAME,
        ...ARGS,
      ]]] as const
    ) {
      const r = await run(cmd, [...args], folder);
      assert.equal(r.stderr, "", `${cmd}: ${r.stderr}`);
      assert.equal(r.stdout, expected(folder, folder), cmd);
      assert.equal(r.code, 7, `${cmd}: the program's exit code is the launcher's`);
    }
  });
});

Deno.test("launcher: by path from another directory, the working directory is kept", async () => {
  await withRelease(async (root, folder) => {
    const rel = `${folder.slice(root.length + 1)}/${NAME}`;
    for (
      const [cmd, args] of [["sh", [rel, ...ARGS]], [`./${rel}`, ARGS], [join(folder, NAME), ARGS]]
    ) {
      const r = await run(cmd as string, [...args], root, { CDPATH: "/tmp" });
      assert.equal(r.stdout, expected(folder, root), `${cmd}: ${r.stderr}`);
      assert.equal(r.code, 7);
    }
  });
});

Deno.test("launcher: through symlinks (absolute, relative, chained) and through PATH", async () => {
  await withRelease(async (root, folder) => {
    const bin = join(root, "bin");
    await Deno.mkdir(bin);
    await Deno.symlink(join(folder, NAME), join(bin, "abs-link"));
    await Deno.symlink(`../${folder.slice(root.length + 1)}/${NAME}`, join(bin, "rel-link"));
    await Deno.symlink("rel-link", join(bin, NAME)); // a link to a link
    for (const link of ["abs-link", "rel-link", NAME]) {
      const r = await run(join(bin, link), ARGS, root);
      assert.equal(r.stdout, expected(folder, root), `${link}: ${r.stderr}`);
    }
    // Found in PATH by name, as `logintc-sync …` in a crontab with /usr/local/bin on PATH.
    const viaPath = await run("sh", ["-c", `${NAME} "$@"`, "sh", ...ARGS], root, {
      PATH: `${bin}:/usr/bin:/bin`,
    });
    assert.equal(viaPath.stdout, expected(folder, root), viaPath.stderr);
    // bash (RHEL's sh) looks `bash logintc-sync` up in PATH when the working directory has no such file.
    const bashPath = await run("bash", [NAME, ...ARGS], root, { PATH: `${bin}:/usr/bin:/bin` });
    assert.equal(bashPath.stdout, expected(folder, root), bashPath.stderr);
  });
});

Deno.test("launcher: the program missing or not executable → exit 1 with what to do", async () => {
  await withRelease(async (_root, folder) => {
    const program = join(folder, PROGRAM_BESIDE_LAUNCHER);
    await Deno.chmod(program, 0o644);
    const r = await run("sh", [NAME, "-v"], folder);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `error: ${program} is missing or not executable: it belongs beside this launcher, as unzipped from ` +
        `the release (unzip restores its mode; else: chmod 755 '${program}')\n`,
    );
  });
});

Deno.test("launcher: names the program scripts/build.ts ships beside it, and is plain POSIX sh", async () => {
  const text = await Deno.readTextFile(LAUNCHER);
  assert.ok(text.startsWith("#!/bin/sh\n"));
  assert.ok(text.includes(`program=$dir/${PROGRAM_BESIDE_LAUNCHER}\n`));
  assert.ok(text.includes(`exec "$program" "$@"\n`));
  // dash is Debian's POSIX sh: -n parses without running; no bashisms ([[, arrays, local, source).
  const parse = await run("dash", ["-n", LAUNCHER], "/");
  assert.equal(parse.code, 0, parse.stderr);
  const code = text.split("\n").filter((line) => !/^\s*#/.test(line)).join("\n");
  assert.doesNotMatch(code, /\[\[|\blocal\b|\bsource\b|\bfunction\b|\$\{#?\w+\[/);
});

/**
 * A folder of stand-in `getconf` and `ldd` answering as another system's would (RHEL 7, Alpine, …),
 * put first on PATH: the launcher asks them which C library this is.
 */
async function withLibc(
  folder: string,
  answers: { getconf?: string; ldd?: string },
  fn: (path: string) => Promise<void>,
): Promise<void> {
  const dir = join(folder, "..", "stand-ins");
  await Deno.mkdir(dir);
  try {
    // No answer: as musl's getconf, which has no GNU_LIBC_VERSION (exit 1, a message on stderr).
    const script = (answer: string | undefined, fallback: string) =>
      answer === undefined ? `#!/bin/sh\necho "${fallback}" >&2\nexit 1\n` : `#!/bin/sh\n${answer}\n`;
    await Deno.writeTextFile(
      join(dir, "getconf"),
      script(answers.getconf, "getconf: GNU_LIBC_VERSION: invalid"),
    );
    await Deno.writeTextFile(join(dir, "ldd"), script(answers.ldd, "ldd: unknown option"));
    for (const f of ["getconf", "ldd"]) await Deno.chmod(join(dir, f), 0o755);
    await fn(`${dir}:/usr/bin:/bin`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const RHEL7_LDD = `echo "ldd (GNU libc) 2.17"; echo "Copyright (C) 2012 Free Software Foundation, Inc."`;
const MUSL_LDD = `printf 'musl libc (x86_64)\\nVersion 1.2.4\\nDynamic Program Loader\\n' >&2; exit 1`;

Deno.test("launcher: glibc older than 2.27, or musl → one line naming what it found and what is needed, exit 1", async () => {
  await withRelease(async (_root, folder) => {
    const cases = [
      {
        what: "RHEL 7 (getconf)",
        answers: { getconf: `echo "glibc 2.17"`, ldd: RHEL7_LDD },
        has: "glibc 2.17",
      },
      { what: "RHEL 7 (ldd only)", answers: { ldd: RHEL7_LDD }, has: "glibc 2.17" },
      { what: "glibc 2.26 (Amazon Linux 2)", answers: { getconf: `echo "glibc 2.26"` }, has: "glibc 2.26" },
      { what: "glibc 1.9", answers: { getconf: `echo "glibc 1.99"` }, has: "glibc 1.99" },
      { what: "Alpine (musl)", answers: { ldd: MUSL_LDD }, has: "musl libc 1.2.4" },
      {
        what: "musl without a version line",
        answers: { ldd: `echo "musl libc (x86_64)" >&2; exit 1` },
        has: "musl libc",
      },
    ];
    for (const { what, answers, has } of cases) {
      await withLibc(folder, answers, async (PATH) => {
        for (const shell of ["sh", "dash", "bash"]) {
          const r = await run(shell, [NAME, "-v"], folder, { PATH });
          assert.deepEqual(
            r,
            {
              code: 1,
              stdout: "", // the program did not start
              stderr: `logintc-sync: needs glibc 2.27 or newer (RHEL 8+); this system has ${has}\n`,
            },
            `${what} under ${shell}`,
          );
        }
      });
    }
  });
});

Deno.test("launcher: glibc 2.27 or newer, or a C library it cannot identify → the program starts", async () => {
  await withRelease(async (_root, folder) => {
    const cases = [
      { what: "RHEL 8", answers: { getconf: `echo "glibc 2.28"` } },
      { what: "exactly 2.27 (Ubuntu 18.04)", answers: { getconf: `echo "glibc 2.27"` } },
      { what: "RHEL 10", answers: { getconf: `echo "glibc 2.39"` } },
      { what: "a development snapshot", answers: { getconf: `echo "glibc 2.40.9000"` } },
      { what: "a future major", answers: { getconf: `echo "glibc 3.0"` } },
      {
        what: "ldd only, Debian's wording",
        answers: { ldd: `echo "ldd (Debian GLIBC 2.36-9+deb12u14) 2.36"` },
      },
      { what: "neither answers", answers: {} },
      { what: "getconf gives no version", answers: { getconf: `echo "glibc"` } },
      { what: "ldd names another C library", answers: { ldd: `echo "uClibc-ng 1.0.45"` } },
    ];
    for (const { what, answers } of cases) {
      await withLibc(folder, answers, async (PATH) => {
        const r = await run("sh", [NAME, ...ARGS], folder, { PATH });
        assert.equal(r.stderr, "", what);
        assert.equal(r.stdout, expected(folder, folder), what);
        assert.equal(r.code, 7, what);
      });
    }
  });
});
