/**
 * End to end, as a scheduled job's shell redirects it: the withheld-removals reason goes to stdout
 * (with the plan) and to stderr (for a cron job that keeps only stderr), but a log that receives
 * both (`>log 2>&1`) gets it once. The CLI runs under a real shell (sh; cmd.exe on Windows) with
 * the release permissions, writing to real files.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { baseEnv, CLI_PERMISSIONS, stripStamps } from "../support/cli.ts";
import { withWorld } from "../support/world.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const IS_WINDOWS = Deno.build.os === "windows";
const REASON = "1 removal(s) withheld: more than --max-remove-limit 0";

/** Runs the CLI through the OS's shell with `redirect` appended (e.g. `>"log" 2>&1`). */
async function shell(args: string[], redirect: string, cwd: string): Promise<number> {
  const argv = [Deno.execPath(), "run", "--quiet", ...CLI_PERMISSIONS, MAIN, ...args];
  const command = IS_WINDOWS
    ? new Deno.Command("cmd.exe", {
      // /s /c "…": cmd strips the outer quotes and runs the rest as typed.
      args: ["/d", "/s", "/c", `"${argv.map((a) => `"${a}"`).join(" ")} ${redirect}"`],
      windowsRawArguments: true,
      cwd,
      clearEnv: true,
      env: baseEnv(),
    })
    : new Deno.Command("sh", {
      args: ["-c", `exec ${argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ")} ${redirect}`],
      cwd,
      clearEnv: true,
      env: baseEnv(),
    });
  return (await command.output()).code;
}

const count = (text: string, part: string) => text.split(part).length - 1;

Deno.test("logs: the withheld-removals reason once in a log that gets both streams, and on stderr alone", async () => {
  await withWorld(
    { users: [{ uid: "alice", displayName: "Alice", mail: "alice@example.com" }] },
    async (w) => {
      w.emulator.seedUser({ username: "carol", name: "Carol", email: "carol@example.com" });
      // The first run (plain pipes) is the world's: it also scans the output for secrets.
      const piped = await w.run(["-m", "remove"]);
      assert.equal(piped.code, 3);
      assert.equal(count(piped.stdout, REASON), 1, "with the plan on stdout");
      assert.equal(count(piped.stderr, REASON), 1, "and on stderr (different pipes)");
      assert.match(piped.stderr, new RegExp(`^warning: ${REASON.replace(/[()]/g, "\\$&")}`, "m"));

      // Each run below withholds carol's removal again (exit 3, nothing else to do).
      const both = join(w.dir, "both.log");
      assert.equal(await shell(["-m", "remove", w.config], `>"${both}" 2>&1`, w.dir), 3);
      const log = await Deno.readTextFile(both);
      assert.match(log, /^Fetching users\.\.\./m, "the log holds the run's stdout");
      if (IS_WINDOWS) {
        // Once where the OS reports the files' identity to fstat; never lost either way.
        assert.ok(count(log, REASON) >= 1, log);
      } else {
        assert.equal(count(log, REASON), 1, log);
      }

      const appended = join(w.dir, "appended.log");
      await Deno.writeTextFile(appended, "earlier run\n");
      assert.equal(await shell(["-m", "remove", w.config], `>>"${appended}" 2>&1`, w.dir), 3);
      const appendedLog = await Deno.readTextFile(appended);
      assert.ok(appendedLog.startsWith("earlier run\n"));
      if (!IS_WINDOWS) assert.equal(count(appendedLog, REASON), 1, appendedLog);

      const out = join(w.dir, "out.log");
      const err = join(w.dir, "err.log");
      assert.equal(await shell(["-m", "remove", w.config], `>"${out}" 2>"${err}"`, w.dir), 3);
      assert.equal(count(await Deno.readTextFile(out), REASON), 1);
      const errLog = stripStamps(await Deno.readTextFile(err));
      assert.equal(count(errLog, REASON), 1, "a cron job keeping only stderr still learns why: exit 3");

      // stdout thrown away, stderr kept: the usual "mail me only the problems" cron line.
      const onlyErr = join(w.dir, "only-err.log");
      const devNull = IS_WINDOWS ? "NUL" : "/dev/null";
      assert.equal(await shell(["-m", "remove", w.config], `>${devNull} 2>"${onlyErr}"`, w.dir), 3);
      assert.equal(count(stripStamps(await Deno.readTextFile(onlyErr)), REASON), 1);
      assert.ok(w.memberNames().includes("carol"), "every removal was withheld");
    },
  );
});
