/**
 * What a scheduled run (cron, systemd timer, Task Scheduler) needs from the CLI, through the real
 * subprocess with the binary's exact permissions (src/cli/permissions.ts):
 * - a config file group/others can read gets an ssh-style warning with the fix (POSIX);
 * - stderr lines carry an ISO 8601 UTC timestamp when stderr is not a terminal; stdout never does;
 * - no escape sequences (colour, progress) when stdout is not a terminal;
 * - a config saved by Notepad (UTF-8 BOM, CRLF) in a directory with spaces works, and that
 *   directory is the default state directory.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, STDERR_STAMP } from "../support/cli.ts";
import { withTempDir } from "../support/tempDir.ts";
import { escapeText } from "../../src/output/escape.ts";

const JOB = "0123456789abcdef0123456789abcdef01234567";

/** A valid config; nothing is contacted because every run here is -j (reads the state dir only). */
const CONFIG = [
  "[logintc]",
  "host = 127.0.0.1:9",
  `api_key = ${"k".repeat(64)}`,
  "domain_id = 9120580e94f134cb7c9f27cd1e43dbc82980e152",
  "[ldap]",
  "host = 127.0.0.1:9",
  "encryption = none",
  "bind_dn = cn=Manager,dc=example,dc=com",
  "bind_password = Secret#1;x",
  "base_dn = dc=example,dc=com",
  "attr_username = uid",
  "attr_name = cn",
  "attr_email = mail",
  "filter = (objectClass=inetOrgPerson)",
];

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("logintc sched ", fn); // a space, as in "Program Files"

/** The record's path as messages show it: escaped (src/output/escape.ts), as a Windows path holds "\\u". */
const jobFile = (stateDir: string) => escapeText(join(stateDir, "jobs", `${JOB}.json`));

const noJob = (dir: string) =>
  `error: -j/--job-status: no job ${JOB}: ${jobFile(dir)} does not exist. Job records are kept in ` +
  `the state directory of the run that made them (--state-dir or LOGINTC_SYNC_STATE_DIR; default: the ` +
  `config file's directory).\nRun 'logintc-sync --help' for usage.\n`;

Deno.test("scheduled: a config readable by group or others → warning with chmod 600; a private one → none", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/config.cfg`;
    await Deno.writeTextFile(path, CONFIG.join("\n") + "\n");
    await Deno.chmod(path, 0o644);
    const open = await runCli(["-j", JOB, path]);
    assert.equal(open.code, 2);
    assert.equal(
      open.stderr,
      `warning: ${path} has mode 0644: group or others can access it, and it holds the LoginTC API key and ` +
        `the bind password. Restrict it: chmod 600 '${path}'\n` + noJob(dir),
    );
    assert.ok(!open.stderr.includes("Secret#1;x") && !open.stderr.includes("k".repeat(64)));

    await Deno.chmod(path, 0o600);
    const closed = await runCli(["-j", JOB, path]);
    assert.equal(closed.code, 2);
    assert.equal(closed.stderr, noJob(dir));
  });
});

Deno.test("scheduled: every stderr line starts with an ISO 8601 UTC timestamp; stdout has none", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "config.cfg");
    await Deno.writeTextFile(path, CONFIG.join("\n") + "\n", { mode: 0o644 });
    const before = Date.now() - 1000;
    const r = await runCli(["-j", JOB, path]);
    const after = Date.now() + 1000;
    const lines = r.stderrRaw.trimEnd().split("\n");
    // The mode warning is POSIX only (Windows has ACLs, not mode bits: src/config/fileMode.ts).
    const expected = Deno.build.os === "windows" ? ["error", "hint"] : ["warning", "error", "hint"];
    assert.equal(lines.length, expected.length, r.stderrRaw);
    for (const line of lines) {
      const stamp = line.match(STDERR_STAMP)?.[0];
      assert.ok(stamp, `no timestamp: ${line}`);
      const t = Date.parse(stamp.trim());
      assert.ok(t >= Math.floor(before / 1000) * 1000 && t <= after, stamp);
    }
    const line = (kind: string) => lines[expected.indexOf(kind)];
    if (expected.includes("warning")) {
      assert.match(line("warning"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ warning: /);
    }
    assert.match(line("error"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ error: -j\/--job-status: no job /);
    assert.match(line("hint"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ Run 'logintc-sync --help' for usage\.$/);

    const help = await runCli(["--help"]);
    assert.match(help.stdout, /^Usage: logintc-sync /);
    assert.equal(help.stderrRaw, "");
  });
});

Deno.test("scheduled: a Notepad config (BOM, CRLF) in a directory with spaces; state dir defaults to it", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "config file.cfg");
    await Deno.writeTextFile(path, "\uFEFF" + CONFIG.join("\r\n") + "\r\n", { mode: 0o600 });
    const r = await runCli(["-j", JOB, path], { env: { NO_COLOR: "1" } });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, noJob(dir)); // the config parsed; the job was looked for next to it
    assert.ok(!r.stdout.includes("\x1b") && !r.stderrRaw.includes("\x1b"), "no escape sequences");

    const state = join(dir, "state dir");
    const viaEnv = await runCli(["-j", JOB, path], { env: { LOGINTC_SYNC_STATE_DIR: state } });
    assert.equal(viaEnv.code, 2);
    assert.ok(
      viaEnv.stderr.includes(`no job ${JOB}: ${jobFile(state)} does not exist`),
      viaEnv.stderr,
    );
  });
});
