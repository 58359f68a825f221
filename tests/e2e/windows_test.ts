/**
 * What only a Windows run can prove, run for real by `deno task test:windows` (deno.exe under Wine):
 * a Notepad config under `C:\Program Files\…`, the default state directory and job records there,
 * the lock against a concurrent run and after TerminateProcess, exit codes through a .cmd launcher as Task Scheduler starts it,
 * and plain output when not on a terminal. The same tests run in the Linux suite with a temp folder
 * whose name has spaces and a shell launcher, so both platforms make the same promises.
 */
import assert from "node:assert/strict";
import { baseEnv, cliCommand, type CliResult, collectCli, runCli, stripStamps } from "../support/cli.ts";
import { freePort } from "../support/net.ts";
import { cliScript, exists, IS_WINDOWS, USERS, waitFor, withScene } from "../support/windows/scene.ts";

const show = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

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
    const id = r.stdout.match(/^Async Job created with id: ([0-9a-f]{40})$/m)?.[1];
    assert.ok(id, show(r));
    assert.deepEqual(s.emu.members().map((u) => u.username), ["alice", "jurgen"]);
    const record = `${s.dir}${s.sep}jobs${s.sep}${id}.json`;
    assert.equal(JSON.parse(await Deno.readTextFile(record)).id, id);
    // The lock file stays (an OS lock on it is what counts); the owner file goes with the run.
    assert.ok(!(await exists(`${s.dir}${s.sep}logintc-sync.owner.json`)), "the lock is released");
    const j = await runCli(["-j", id, s.config]);
    assert.equal(j.code, 0, show(j));
    assert.match(j.stdout, new RegExp(`^Job ID: ${id}$`, "m"));
    assert.match(j.stdout, /^Job Actions \(approx\.\): (\d+) of \1$/m);
  });
});

Deno.test("windows: a second run while the first holds the lock exits 3; the first completes", async () => {
  await withScene(USERS, async (s) => {
    // The first run's first LoginTC call is held back: it holds the lock meanwhile.
    s.emu.addFault({ method: "GET", path: `/domains/${s.emu.domainId}`, nth: 1, latencyMs: 4000 });
    const first = runCli([s.config]);
    const lock = `${s.dir}${s.sep}logintc-sync.lock`;
    const owner = `${s.dir}${s.sep}logintc-sync.owner.json`;
    assert.ok(await waitFor(() => s.emu.requests.length > 0, 30_000), "the first run reached LoginTC");
    assert.ok(await exists(owner), "the first run holds the lock and says so");
    const second = await runCli([s.config]);
    assert.equal(second.code, 3, show(second));
    assert.equal(second.stdout, "");
    assert.ok(second.stderr.startsWith("error: another logintc-sync run (pid "), show(second));
    assert.ok(
      second.stderr.includes(` holds the lock ${lock}; this run changed nothing.`),
      show(second),
    );
    const done = await first;
    assert.equal(done.code, 0, show(done));
    assert.ok(!(await exists(owner)), "released after the first run");
    assert.deepEqual(s.emu.members().map((u) => u.username), ["alice", "jurgen"]);
  });
});

Deno.test("windows: a run ended by TerminateProcess mid-apply blocks nothing; the next run converges", async () => {
  const many = Array.from({ length: 30 }, (_, i) => {
    const uid = `user${String(i).padStart(2, "0")}`;
    return { uid, cn: `User ${i}`, mail: `${uid}@example.com` };
  });
  await withScene(many, async (s) => {
    // Slow creates, one at a time: the kill lands in the middle of the apply.
    s.emu.addFault({ method: "POST", path: "/users", latencyMs: 300 });
    const child = cliCommand(["--concurrency", "1", s.config]).spawn();
    const created = () => s.emu.requests.filter((q) => q.method === "POST" && q.status === 200).length;
    let killed: CliResult;
    try {
      assert.ok(await waitFor(() => created() >= 5, 60_000), "the run started creating users");
    } finally {
      // Deno's kill on Windows is TerminateProcess: no handler runs, nothing is cleaned up.
      child.kill("SIGKILL");
      killed = await collectCli(child);
    }
    assert.notEqual(killed.code, 0, show(killed));
    const made = s.emu.users().length;
    assert.ok(made >= 5 && made < many.length, `killed mid-apply: ${made} of ${many.length} created`);
    // A write the dead run had in flight still lands at LoginTC: wait for it, so that what follows
    // does not depend on timing (else the next run may plan that create again and get "exists").
    assert.ok(
      await waitFor(() => s.emu.requests.every((q) => q.status !== 0), 30_000),
      "in-flight writes landed",
    );
    // The dead run's files are still there; the operating system has dropped its lock.
    assert.ok(await exists(`${s.dir}${s.sep}logintc-sync.owner.json`), "the killed run left its owner file");

    const next = await runCli([s.config]);
    assert.equal(next.code, 0, show(next));
    assert.equal(next.stderr, "");
    assert.deepEqual(s.emu.members().map((u) => u.username), many.map((u) => u.uid));
    const again = await runCli([s.config]);
    assert.equal(again.code, 0, show(again));
    assert.match(again.stdout, /Nothing to do/);
  });
});

/**
 * A scheduled task's action as admins write it: a launcher script around the CLI (a .cmd file on
 * Windows, which Deno starts through cmd.exe; a shell script elsewhere). "Last Run Result" is the
 * exit code the launcher returns.
 */
async function writeLauncher(dir: string, sep: string): Promise<string> {
  const path = `${dir}${sep}${IS_WINDOWS ? "run sync.cmd" : "run sync.sh"}`;
  await Deno.writeTextFile(path, cliScript());
  if (!IS_WINDOWS) await Deno.chmod(path, 0o755);
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
