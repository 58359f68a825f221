/**
 * The release's RPM (scripts/rpm/logintc-sync.spec, built by scripts/packageRpm.ts with Debian's
 * rpmbuild), built here around a small stand-in program so that each test takes seconds: what the
 * package holds (files, modes, owners, config files), its scriptlets run against stand-in getent,
 * groupadd, useradd and systemctl, and installs into throwaway roots (rpm --root, no scriptlets),
 * checked with rpm -V, through the installed /usr/bin/logintc-sync, across an upgrade and an erase,
 * and with systemd-analyze. The RPM of the real compiled program (its dependencies come from the
 * program's ELF header) is checked by ./compile_test.ts; the pure half by tests/unit/scripts/rpm_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../../../src/version.ts";
import { packageRpm } from "../../../scripts/packageRpm.ts";
import { rpmFileName } from "../../../scripts/rpm.ts";
import { rpmIn, rpmQuery, systemdChecks } from "../../support/rpm.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const dec = new TextDecoder();
const WHEN = new Date("2026-01-02T03:04:05Z");

async function run(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; clearEnv?: boolean } = {},
) {
  const r = await new Deno.Command(cmd, { args, ...opts, stdout: "piped", stderr: "piped" }).output();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/**
 * A temp folder with a stand-in program (prints where it runs and its arguments, exit 7) and the
 * RPMs built around it: one per entry of `builds`.
 */
async function withRpms(
  builds: ReadonlyArray<{ version: string; notice?: string }>,
  fn: (rpms: string[], dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "logintc-rpm-" });
  try {
    const program = join(dir, "program");
    await Deno.writeTextFile(
      program,
      `#!/bin/sh\necho "program=$0"\nfor a in "$@"; do echo "[$a]"; done\nexit 7\n`,
    );
    await Deno.chmod(program, 0o755);
    const rpms = [];
    for (const b of builds) {
      const out = join(dir, `out-${rpms.length}`);
      await Deno.mkdir(out);
      rpms.push(await packageRpm({ binary: program, out, version: b.version, when: WHEN, notice: b.notice }));
    }
    await fn(rpms, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Each packaged file: mode, owner, group, rpm's flags (c config, n noreplace, d doc, l license), path. */
const FILES_FORMAT =
  "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILEFLAGS:fflags} %{FILENAMES}\n]";

const PROGRAM_FILES = [
  "drwxr-x--- root:logintc-sync  /etc/logintc-sync",
  "-rw------- logintc-sync:logintc-sync cn /etc/logintc-sync/config.cfg",
  "-rw-r--r-- root:root cn /etc/sysconfig/logintc-sync",
  "lrwxrwxrwx root:root  /usr/bin/logintc-sync",
  "-rw-r--r-- root:root  /usr/lib/systemd/system/logintc-sync.service",
  "-rw-r--r-- root:root  /usr/lib/systemd/system/logintc-sync.timer",
  "drwxr-xr-x root:root  /usr/libexec/logintc-sync",
  "-rwxr-xr-x root:root  /usr/libexec/logintc-sync/logintc-sync",
  "-rwxr-xr-x root:root  /usr/libexec/logintc-sync/logintc-sync.bin",
];

Deno.test("rpm: name, version, dependencies, the files with their modes, owners and config marks; a stand-in build is marked", async () => {
  await withRpms(
    [{ version: VERSION }, { version: "0.2.0-rc.1", notice: "NOT SHIPPABLE: test\n" }, { version: VERSION }],
    async ([real, marked, again]) => {
      // Built twice from the same files and time: the same bytes.
      assert.deepEqual(await Deno.readFile(again), await Deno.readFile(real));
      assert.equal(real.replace(/^.*\//, ""), `logintc-sync-${VERSION}-1.x86_64.rpm`);
      assert.equal(
        await rpmQuery(real, "--qf", "%{NAME} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE} %{BUILDTIME}\n"),
        `logintc-sync ${VERSION} 1 x86_64 MIT ${WHEN.getTime() / 1000}\n`,
      );
      assert.deepEqual((await rpmQuery(real, "--qf", FILES_FORMAT)).trim().split("\n"), [
        ...PROGRAM_FILES,
        "-rw-r--r-- root:root d /usr/share/doc/logintc-sync/README.md",
        "-rw-r--r-- root:root l /usr/share/licenses/logintc-sync/LICENSE",
        "drwx------ logintc-sync:logintc-sync  /var/lib/logintc-sync",
      ]);
      // What it needs, and for which step: useradd & co. before installing, sh for the scriptlets and
      // the launcher. (The real program adds the libraries its ELF header names: ./compile_test.ts.)
      const requires = await rpmQuery(real, "--qf", "[%{REQUIREFLAGS:deptype} %{REQUIRENAME}\n]");
      assert.deepEqual(
        [...new Set(requires.trim().split("\n"))].filter((r) => !r.startsWith("rpmlib ")).sort(),
        [
          "auto /bin/sh",
          "config config(logintc-sync)",
          "post,interp /bin/sh",
          "postun,interp /bin/sh",
          "pre shadow-utils",
          "pre,interp /bin/sh",
          "preun,interp /bin/sh",
        ],
      );
      assert.match(
        await rpmQuery(real, "--qf", "[%{FILENAMES} -> %{FILELINKTOS}\n]"),
        /^\/usr\/bin\/logintc-sync -> \.\.\/libexec\/logintc-sync\/logintc-sync$/m,
      );
      assert.match(
        await rpmQuery(real, "--qf", "%{SUMMARY}\n%{DESCRIPTION}\n"),
        /^One-way sync of users from an LDAP/,
      );
      assert.doesNotMatch(await rpmQuery(real, "--qf", "%{SUMMARY}\n%{DESCRIPTION}\n"), /NOT SHIPPABLE/);

      // The mark: in the package name (so in its file name and in rpm -qa), the summary, and a NOTICE.txt.
      assert.equal(marked.replace(/^.*\//, ""), "logintc-sync-NOT-SHIPPABLE-0.2.0~rc.1-1.x86_64.rpm");
      assert.equal(rpmFileName("0.2.0-rc.1", true), "logintc-sync-NOT-SHIPPABLE-0.2.0~rc.1-1.x86_64.rpm");
      assert.match(await rpmQuery(marked, "--qf", "%{SUMMARY}\n"), /^NOT SHIPPABLE: /);
      assert.match(
        await rpmQuery(marked, "--qf", "%{DESCRIPTION}\n"),
        /^NOT SHIPPABLE: built with a stand-in runtime/,
      );
      assert.deepEqual((await rpmQuery(marked, "--qf", FILES_FORMAT)).trim().split("\n"), [
        ...PROGRAM_FILES,
        "-rw-r--r-- root:root d /usr/share/doc/logintc-sync-NOT-SHIPPABLE/NOTICE.txt",
        "-rw-r--r-- root:root d /usr/share/doc/logintc-sync-NOT-SHIPPABLE/README.md",
        "-rw-r--r-- root:root l /usr/share/licenses/logintc-sync-NOT-SHIPPABLE/LICENSE",
        "drwx------ logintc-sync:logintc-sync  /var/lib/logintc-sync",
      ]);
      assert.match(
        await rpmQuery(marked, "--qf", "[%{FILENAMES} %{FILESIZES}\n]"),
        /^\/usr\/share\/doc\/logintc-sync-NOT-SHIPPABLE\/NOTICE\.txt 20$/m, // "NOT SHIPPABLE: test\n"
      );
    },
  );
});

/** `rpm -qp --scripts`: each scriptlet's text by rpm's name for it; all must run under /bin/sh. */
function scriptlets(listing: string): Record<string, string> {
  const out: Record<string, string> = {};
  let name = "";
  for (const line of listing.replace(/\n$/, "").split("\n")) {
    const head = /^(\w+) scriptlet \(using (\S+)\):$/.exec(line);
    if (head) {
      assert.equal(head[2], "/bin/sh", line);
      name = head[1];
      out[name] = "";
    } else out[name] += `${line}\n`;
  }
  return out;
}

/**
 * Runs a scriptlet as rpm does (`/bin/sh <file> <count>`: $1 is how many copies of the package
 * remain once the step is over), with PATH holding only stand-ins for getent, groupadd, useradd and
 * systemctl that log each call; `present`: getent finds the user and group; `failing`: every other
 * stand-in fails, saying so on stderr; `systemctl: false`: there is none (a container, a chroot).
 */
async function runScriptlet(
  dir: string,
  text: string,
  count: number,
  opts: { present?: boolean; failing?: boolean; systemctl?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string; calls: string[] }> {
  const bin = join(dir, "stand-ins");
  await Deno.mkdir(bin);
  try {
    const log = join(dir, "calls.log");
    await Deno.writeTextFile(log, "");
    const logCall = `printf '%s\\n' "\${0##*/} $*" >> '${log}'`;
    const commands = ["getent", "groupadd", "useradd", ...(opts.systemctl === false ? [] : ["systemctl"])];
    for (const cmd of commands) {
      const body = cmd === "getent"
        ? (opts.present ? `echo "logintc-sync:x:990:"\nexit 0` : "exit 2") // 2: no such key
        : (opts.failing ? `echo "${cmd}: failed (stand-in)" >&2\nexit 1` : "exit 0");
      await Deno.writeTextFile(join(bin, cmd), `#!/bin/sh\n${logCall}\n${body}\n`);
      await Deno.chmod(join(bin, cmd), 0o755);
    }
    const script = join(dir, "scriptlet.sh");
    await Deno.writeTextFile(script, text);
    const r = await run("/bin/sh", [script, String(count)], { clearEnv: true, env: { PATH: bin } });
    const calls = (await Deno.readTextFile(log)).split("\n").filter((l) => l !== "");
    return { ...r, calls };
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
}

const ADD_USER = [
  "getent group logintc-sync",
  "groupadd -r logintc-sync",
  "getent passwd logintc-sync",
  "useradd -r -g logintc-sync -d /var/lib/logintc-sync -s /sbin/nologin -c logintc-sync: LDAP to LoginTC user sync logintc-sync",
];

Deno.test("rpm: scriptlets add the service user only if absent, tell systemd, enable nothing, and tolerate no systemctl", async () => {
  await withRpms([{ version: VERSION }], async ([rpm], dir) => {
    const s = scriptlets(await rpmQuery(rpm, "--scripts"));
    assert.deepEqual(Object.keys(s), ["preinstall", "postinstall", "preuninstall", "postuninstall"]);
    const cases: Array<[string, number, Parameters<typeof runScriptlet>[3], string[]]> = [
      ["preinstall", 1, {}, ADD_USER],
      ["preinstall", 2, { present: true }, [ADD_USER[0], ADD_USER[2]]], // an upgrade, or an admin made it
      ["postinstall", 1, {}, ["systemctl daemon-reload"]],
      ["postinstall", 2, {}, ["systemctl daemon-reload"]],
      ["preuninstall", 1, {}, []], // an upgrade: the timer stays as the admin left it
      ["preuninstall", 0, {}, [
        "systemctl --no-reload disable --now logintc-sync.timer",
        "systemctl stop logintc-sync.service",
      ]],
      ["postuninstall", 1, {}, ["systemctl daemon-reload"]],
      ["postuninstall", 0, {}, ["systemctl daemon-reload"]],
    ];
    const all: string[] = [];
    for (const [name, count, opts, calls] of cases) {
      const r = await runScriptlet(dir, s[name], count, opts);
      assert.deepEqual(r, { code: 0, stdout: "", stderr: "", calls }, `${name} ${count}`);
      all.push(...r.calls);
    }
    // Installed, not enabled or started: the admin does that once the config is filled in.
    assert.deepEqual(
      all.filter((c) => /^systemctl .*\b(enable|reenable|preset|start|restart)\b/.test(c)),
      [],
    );

    // No systemctl, or one that fails (no systemd running): the package still installs and erases.
    for (const [name, count] of [["postinstall", 1], ["preuninstall", 0], ["postuninstall", 0]] as const) {
      const none = await runScriptlet(dir, s[name], count, { systemctl: false });
      assert.deepEqual(none, { code: 0, stdout: "", stderr: "", calls: [] }, `${name} without systemctl`);
      const failing = await runScriptlet(dir, s[name], count, { failing: true });
      assert.deepEqual(
        [failing.code, failing.stdout, failing.stderr],
        [0, "", ""],
        `${name}, systemctl failing`,
      );
    }
    // useradd failing is shown (rpm then installs the files as root, and says so), not fatal.
    const failed = await runScriptlet(dir, s.preinstall, 1, { failing: true });
    assert.deepEqual([failed.code, failed.stdout], [0, ""]);
    assert.equal(failed.stderr, "groupadd: failed (stand-in)\nuseradd: failed (stand-in)\n");
  });
});

/** Each path's type and mode, owner uid:gid, under `root`, for the paths given (absolute inside it). */
async function modes(root: string, paths: readonly string[]): Promise<string[]> {
  const out = [];
  for (const p of paths) {
    const st = await Deno.lstat(join(root, p));
    const type = st.isSymlink ? "l" : st.isDirectory ? "d" : "-";
    out.push(`${type}${(st.mode! & 0o7777).toString(8).padStart(4, "0")} ${st.uid}:${st.gid} ${p}`);
  }
  return out;
}

Deno.test("rpm: installed into a throwaway root, files land with their modes and owners; upgrade and erase keep the config and the state", async () => {
  await withRpms([{ version: VERSION }, { version: "99.0.0" }], async ([rpm, newer], dir) => {
    const root = join(dir, "root");
    // The user and group the preinstall scriptlet would have added (it does not run here).
    await Deno.mkdir(join(root, "etc"), { recursive: true });
    await Deno.writeTextFile(
      join(root, "etc/passwd"),
      "root:x:0:0:root:/root:/bin/sh\nlogintc-sync:x:990:990::/var/lib/logintc-sync:/sbin/nologin\n",
    );
    await Deno.writeTextFile(join(root, "etc/group"), "root:x:0:\nlogintc-sync:x:990:\n");
    await rpmIn(root, "-i", rpm);

    const files = (await rpmQuery(rpm, "--qf", "[%{FILENAMES}\n]")).trim().split("\n");
    assert.deepEqual(await modes(root, files), [
      "d0750 0:990 /etc/logintc-sync",
      "-0600 990:990 /etc/logintc-sync/config.cfg",
      "-0644 0:0 /etc/sysconfig/logintc-sync",
      "l0777 0:0 /usr/bin/logintc-sync",
      "-0644 0:0 /usr/lib/systemd/system/logintc-sync.service",
      "-0644 0:0 /usr/lib/systemd/system/logintc-sync.timer",
      "d0755 0:0 /usr/libexec/logintc-sync",
      "-0755 0:0 /usr/libexec/logintc-sync/logintc-sync",
      "-0755 0:0 /usr/libexec/logintc-sync/logintc-sync.bin",
      "-0644 0:0 /usr/share/doc/logintc-sync/README.md",
      "-0644 0:0 /usr/share/licenses/logintc-sync/LICENSE",
      "d0700 990:990 /var/lib/logintc-sync",
    ]);
    const repo = (p: string) => Deno.readTextFile(join(ROOT, p));
    const installed = (p: string) => Deno.readTextFile(join(root, p));
    assert.equal(await installed("etc/logintc-sync/config.cfg"), await repo("sample.cfg"));
    assert.equal(await installed("usr/libexec/logintc-sync/logintc-sync"), await repo("scripts/launcher.sh"));
    for (const unit of ["logintc-sync.service", "logintc-sync.timer"]) {
      assert.equal(await installed(`usr/lib/systemd/system/${unit}`), await repo(`scripts/rpm/${unit}`));
    }
    // rpm's own check of every file against the package: nothing differs.
    assert.equal(await rpmIn(root, "-V", "logintc-sync"), "");

    // The command on PATH is the launcher, through the symlink, and it runs the program beside it.
    const cmd = await run(join(root, "usr/bin/logintc-sync"), ["-v", "a b"], {
      clearEnv: true,
      env: { PATH: "/usr/bin:/bin" },
    });
    assert.deepEqual(cmd, {
      code: 7,
      stdout: `program=${await Deno.realPath(
        join(root, "usr/libexec/logintc-sync"),
      )}/logintc-sync.bin\n[-v]\n[a b]\n`,
      stderr: "",
    });

    // systemd reads both units without a complaint (unknown keys, a missing ExecStart, …), and rates
    // the hardening (0 safest, 10 unprotected; 9.5 for the same service with only User=).
    const systemd = await systemdChecks(root, ["logintc-sync.service", "logintc-sync.timer"]);
    assert.deepEqual(systemd.verify, { code: 0, stdout: "", stderr: "" });
    assert.ok(Number.parseFloat(systemd.exposure) <= 4, `exposure ${systemd.exposure}`);

    // An admin's edit, and a job record: an upgrade keeps both (config.cfg is %config(noreplace)).
    const edited = (await repo("sample.cfg")) + "# edited by the admin\n";
    await Deno.writeTextFile(join(root, "etc/logintc-sync/config.cfg"), edited);
    await Deno.mkdir(join(root, "var/lib/logintc-sync/jobs"));
    await Deno.writeTextFile(join(root, "var/lib/logintc-sync/jobs/0123.json"), "{}\n");
    await rpmIn(root, "-U", newer);
    assert.equal(await rpmIn(root, "-q", "logintc-sync"), "logintc-sync-99.0.0-1.x86_64\n");
    assert.equal(await installed("etc/logintc-sync/config.cfg"), edited);
    assert.deepEqual(await modes(root, ["/etc/logintc-sync/config.cfg"]), [
      "-0600 990:990 /etc/logintc-sync/config.cfg",
    ]);
    assert.equal(await installed("var/lib/logintc-sync/jobs/0123.json"), "{}\n");

    // Erased: the program and units go; the edited config is kept as .rpmsave, the job records stay.
    await rpmIn(root, "-e", "logintc-sync");
    for (
      const gone of [
        "usr/bin/logintc-sync",
        "usr/libexec/logintc-sync",
        "usr/lib/systemd/system/logintc-sync.service",
        "etc/logintc-sync/config.cfg",
      ]
    ) {
      await assert.rejects(Deno.lstat(join(root, gone)), Deno.errors.NotFound, gone);
    }
    assert.equal(await installed("etc/logintc-sync/config.cfg.rpmsave"), edited);
    assert.equal(await installed("var/lib/logintc-sync/jobs/0123.json"), "{}\n");
    assert.equal(rpmFileName("99.0.0", false), newer.replace(/^.*\//, ""));
  });
});
