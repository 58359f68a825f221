/**
 * What only a Windows run can prove, run for real by `deno task test:windows` (deno.exe under Wine):
 * a Notepad config under `C:\Program Files\…`, the default state directory and job records there,
 * the lock against a concurrent run, exit codes through a .cmd launcher as Task Scheduler starts it,
 * and plain output when not on a terminal. The same tests run in the Linux suite with a temp folder
 * whose name has spaces and a shell launcher, so both platforms make the same promises.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { baseEnv, CLI_PERMISSIONS, type CliResult, runCli, stripStamps } from "../support/cli.ts";
import { freePort } from "../support/net.ts";
import { IS_WINDOWS, waitFor, withScene } from "./scene.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const USERS = [
  { uid: "alice", cn: "Alice Adams", mail: "alice@example.com" },
  { uid: "jurgen", cn: "Jürgen Müller", mail: "jurgen@example.com" },
];
const show = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

Deno.test("windows: Deno.build.os matches the suite that runs this file", () => {
  // Under `deno task test:windows` the bridge variable is set: this must then be the Windows build.
  assert.equal(Deno.build.os === "windows", Deno.env.get("LOGINTC_TEST_REMOTE") !== undefined);
});

Deno.test("windows: a config saved by Notepad (BOM, CRLF) in a folder with spaces: dry run lists the users", async () => {
  await withScene(USERS, async (s) => {
    if (IS_WINDOWS) {
      assert.match(s.config, /^C:\\Program Files\\LoginTC Sync [0-9a-f]{8}\\logintc-sync\.cfg$/);
    }
    const raw = await Deno.readFile(s.config);
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], "the file starts with a UTF-8 BOM");
    assert.ok(new TextDecoder().decode(raw).includes("\r\n"));
    const r = await runCli(["-d", s.config]);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /alice\s+\|\s+Alice Adams/, show(r));
    assert.match(r.stdout, /jurgen\s+\|\s+Jürgen Müller/, show(r));
    assert.ok(s.emu.requests.every((q) => q.method === "GET"), "a dry run only reads");
    assert.ok(!(await exists(`${s.dir}${s.sep}jobs`)), "a dry run writes no job record");
  });
});

Deno.test("windows: default state directory is the config's folder: job record there, -j reads it back", async () => {
  await withScene(USERS, async (s) => {
    const r = await runCli([s.config]);
    assert.equal(r.code, 0, show(r));
    const id = r.stdout.match(/^Job created with id: ([0-9a-f]{40})$/m)?.[1];
    assert.ok(id, show(r));
    assert.deepEqual(s.emu.members().map((u) => u.username), ["alice", "jurgen"]);
    const record = `${s.dir}${s.sep}jobs${s.sep}${id}.json`;
    assert.equal(JSON.parse(await Deno.readTextFile(record)).id, id);
    assert.ok(!(await exists(`${s.dir}${s.sep}logintc-sync.lock`)), "the lock is released");
    const j = await runCli(["-j", id, s.config]);
    assert.equal(j.code, 0, show(j));
    assert.match(j.stdout, new RegExp(`^Job ID: ${id}$`, "m"));
    assert.match(j.stdout, /^Job Actions: (\d+) of \1$/m);
  });
});

Deno.test("windows: a second run while the first holds the lock exits 3; the first completes", async () => {
  await withScene(USERS, async (s) => {
    // The first run's first LoginTC call is held back: it holds the lock meanwhile.
    s.emu.addFault({ method: "GET", path: `/domains/${s.emu.domainId}`, nth: 1, latencyMs: 4000 });
    const first = runCli([s.config]);
    const lock = `${s.dir}${s.sep}logintc-sync.lock`;
    assert.ok(await waitFor(() => s.emu.requests.length > 0, 30_000), "the first run reached LoginTC");
    assert.ok(await exists(lock), "the first run holds the lock");
    const second = await runCli([s.config]);
    assert.equal(second.code, 3, show(second));
    assert.equal(second.stdout, "");
    assert.ok(second.stderr.startsWith("error: another logintc-sync run (pid "), show(second));
    assert.ok(
      second.stderr.includes(` holds ${lock}; if it is no longer running, delete the file`),
      show(second),
    );
    const done = await first;
    assert.equal(done.code, 0, show(done));
    assert.ok(!(await exists(lock)), "released after the first run");
    assert.deepEqual(s.emu.members().map((u) => u.username), ["alice", "jurgen"]);
  });
});

/**
 * A scheduled task's action as admins write it: a launcher script around the CLI (a .cmd file on
 * Windows, which Deno starts through cmd.exe; a shell script elsewhere). "Last Run Result" is the
 * exit code the launcher returns.
 */
async function writeLauncher(dir: string, sep: string): Promise<string> {
  const deno = Deno.execPath();
  if (IS_WINDOWS) {
    const path = `${dir}${sep}run sync.cmd`;
    const flags = CLI_PERMISSIONS.map((f) => `"${f}"`).join(" ");
    await Deno.writeTextFile(
      path,
      ["@echo off", `"${deno}" run --quiet ${flags} "${MAIN}" %*`, "exit /b %ERRORLEVEL%", ""].join("\r\n"),
    );
    return path;
  }
  const path = `${dir}${sep}run sync.sh`;
  const q = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\nexec ${q(deno)} run --quiet ${CLI_PERMISSIONS.map(q).join(" ")} ${q(MAIN)} "$@"\n`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

/** Runs the launcher with the CLI tests' controlled environment (runCli's base, minus `drop`). */
async function launch(launcher: string, args: string[], drop: string[] = []): Promise<CliResult> {
  const env = baseEnv();
  for (const key of drop) delete env[key];
  const out = await new Deno.Command(launcher, {
    args,
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  const stderrRaw = dec.decode(out.stderr);
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: stripStamps(stderrRaw), stderrRaw };
}

Deno.test("windows: exit codes 0/1/2/3 as a scheduled task's launcher returns them", async () => {
  await withScene(USERS, async (s) => {
    s.emu.seedUser({ username: "carol", name: "Carol", email: "carol@example.com" });
    const launcher = await writeLauncher(s.dir, s.sep);

    const ok = await launch(launcher, ["-d", s.config]);
    assert.equal(ok.code, 0, show(ok));
    assert.match(ok.stdout, /Jürgen Müller/);

    const down = await s.writeConfig("unreachable.cfg", `127.0.0.1:${freePort()}`);
    const failure = await launch(launcher, ["-d", down]);
    assert.equal(failure.code, 1, show(failure));
    assert.match(failure.stderr, /^error: /m);

    const usage = await launch(launcher, ["--no-such-flag", s.config]);
    assert.equal(usage.code, 2, show(usage));
    assert.match(usage.stderr, /--no-such-flag/);

    // carol is in LoginTC but not in the directory: -m remove with the default -r 0 withholds it.
    const guard = await launch(launcher, ["-m", "remove", s.config]);
    assert.equal(guard.code, 3, show(guard));
    assert.ok(s.emu.members().some((u) => u.username === "carol"), "the removal was withheld");
    assert.ok(s.emu.members().some((u) => u.username === "alice"), "the rest of the plan ran");
  });
});

Deno.test("windows: not a terminal and NO_COLOR unset: no ANSI escape codes in any output", async () => {
  await withScene(USERS, async (s) => {
    const launcher = await writeLauncher(s.dir, s.sep);
    const runs = [
      { args: ["-d", s.config], code: 0 },
      { args: ["--help"], code: 0 },
      { args: ["-m", "bogus", s.config], code: 2 },
      { args: [s.config], code: 0 },
    ];
    for (const { args, code } of runs) {
      // Deliberately no NO_COLOR: the output must be plain because it is not a terminal.
      const r = await launch(launcher, args, ["NO_COLOR"]);
      assert.equal(r.code, code, `${args.join(" ")}\n${show(r)}`);
      assert.ok(r.stdout.length + r.stderrRaw.length > 0, "the run printed something");
      assert.ok(!r.stdout.includes("\x1b") && !r.stderrRaw.includes("\x1b"), `ANSI codes in: ${show(r)}`);
    }
  });
});
