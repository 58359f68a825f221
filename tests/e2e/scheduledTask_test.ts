/**
 * The scheduled command line exactly as docs/operations.md gives it for replacing the original's
 * task, run for real: under `deno task test:windows` through cmd.exe as Task Scheduler would, in the
 * Linux suite through sh as cron would. See ./windows_test.ts for the other Windows promises.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { baseEnv } from "../support/cli.ts";
import { cliScript, exists, IS_WINDOWS, USERS, withScene } from "../support/windows/scene.ts";

/**
 * The scheduled command line exactly as docs/operations.md gives it for replacing the original's task:
 * Task Scheduler's `cmd /c "cd /d "<folder>" && logintc-sync … >> sync.log 2>&1"` on Windows, the
 * drop-in crontab line `cd <folder> && sh logintc-sync … >> sync.log 2>&1` elsewhere. Only the folder
 * is replaced (by the scene's, whose name has spaces). The folder holds what a release would, with a
 * stand-in for the program that runs this checkout: logintc-sync.cmd on Windows (cmd finds it as
 * `logintc-sync` through PATHEXT, as it finds logintc-sync.exe), and on Linux the real launcher
 * (scripts/launcher.sh) beside a logintc-sync.bin script.
 */
async function documentedTaskLine(): Promise<{ folder: string; rest: string }> {
  const doc = await Deno.readTextFile(new URL("../../docs/operations.md", import.meta.url));
  const m = IS_WINDOWS
    ? doc.match(/^cmd \/c "cd \/d "([^"]+)" && (logintc-sync [^"]*)"$/m)
    : doc.match(/^15 2 \* \* \* cd (\S+) && (sh logintc-sync .*)$/m);
  assert.ok(m, "docs/operations.md gives the scheduled command line");
  return { folder: m[1], rest: m[2] };
}

async function installStandIn(dir: string, sep: string): Promise<void> {
  if (IS_WINDOWS) {
    await Deno.writeTextFile(`${dir}${sep}logintc-sync.cmd`, cliScript());
    return;
  }
  await Deno.copyFile(
    fileURLToPath(new URL("../../scripts/launcher.sh", import.meta.url)),
    `${dir}/logintc-sync`,
  );
  await Deno.writeTextFile(`${dir}/logintc-sync.bin`, cliScript());
  await Deno.chmod(`${dir}/logintc-sync.bin`, 0o755);
}

/** Runs the documented line with the folder replaced and `-r 10` replaced by `-r <limit>`. */
async function runTaskLine(dir: string, limit: number): Promise<number> {
  const { rest } = await documentedTaskLine();
  const line = rest.replace("-r 10", `-r ${limit}`);
  const command = IS_WINDOWS
    ? new Deno.Command("cmd.exe", {
      args: [`/c "cd /d "${dir}" && ${line}"`],
      windowsRawArguments: true,
      clearEnv: true,
      env: baseEnv(),
    })
    : new Deno.Command("sh", {
      args: ["-c", `cd '${dir.replaceAll("'", `'\\''`)}' && ${line}`],
      clearEnv: true,
      env: baseEnv(),
    });
  return (await command.output()).code;
}

Deno.test("windows: the documented scheduled-task command line syncs, appends to its log and returns the exit code", async () => {
  await withScene(USERS, async (s) => {
    const { folder, rest } = await documentedTaskLine();
    assert.equal(folder, IS_WINDOWS ? "C:\\Program Files\\logintc-sync" : "/opt/logintc-sync");
    assert.match(rest, /-r 10 config\.cfg >> sync\.log 2>&1$/);
    await installStandIn(s.dir, s.sep);
    await s.writeConfig("config.cfg", `127.0.0.1:${s.slapd.ldapsPort}`);
    s.emu.seedUser({ username: "carol", name: "Carol", email: "carol@example.com" });

    assert.equal(await runTaskLine(s.dir, 10), 0, "Last Run Result 0x0");
    assert.deepEqual(s.emu.members().map((u) => u.username), ["alice", "jurgen"]);
    const log = `${s.dir}${s.sep}sync.log`;
    const first = await Deno.readTextFile(log);
    assert.match(first, /^Async Job created with id: [0-9a-f]{40}$/m);
    assert.match(first, /^Job completed successfully\.$/m);
    // The relative config path made the folder the state directory: the record is there.
    const id = first.match(/^Async Job created with id: ([0-9a-f]{40})$/m)![1];
    assert.ok(await exists(`${s.dir}${s.sep}jobs${s.sep}${id}.json`));

    // dave must go, but -r 0 withholds it: exit 3, appended to the same log.
    s.emu.seedUser({ username: "dave", name: "Dave", email: "dave@example.com" });
    assert.equal(await runTaskLine(s.dir, 0), 3, "Last Run Result 0x3");
    const both = await Deno.readTextFile(log);
    assert.ok(both.startsWith(first), "appended, not overwritten");
    assert.ok(both.slice(first.length).includes("1 removal(s) withheld: more than --max-remove-limit 0"));
    assert.ok(s.emu.members().some((u) => u.username === "dave"), "the removal was withheld");
  });
});
