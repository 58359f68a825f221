/**
 * Issue 21, items 1 and 8, end to end as root (as cron runs the sync): another local user
 * (`nobody`) plants links in a state directory it can write, or text in a file the run reads; the
 * CLI refuses with one message (exit 2) and creates, writes and prints nothing of theirs. No server
 * is contacted: the state directory is checked, and the lock taken, before the directory is read.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { acquireLock, LOCK_FILE, OWNER_FILE } from "../../src/state/lock.ts";
import { runCli, view } from "../support/cli.ts";
import { text } from "../support/configText.ts";
import { withTempDir } from "../support/tempDir.ts";

const ID = "0371a83b752fcdbe6141cec14091527acd84c5a1";
const FIX = "Use a folder that only root or the user running logintc-sync can write (chmod 700, owned by " +
  "that user), named by --state-dir or LOGINTC_SYNC_STATE_DIR.";

/** Runs a command as `nobody` (runuser, util-linux): what another local user can do. */
async function asNobody(...args: string[]): Promise<void> {
  const r = await new Deno.Command("runuser", { args: ["-u", "nobody", "--", ...args] }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** A temp folder others can reach, with a config (0600) in a private folder of its own. */
async function withSetup(fn: (dir: string, config: string) => Promise<void>): Promise<void> {
  assert.equal(Deno.uid(), 0, "this test plays two users: run it as root (CI does)");
  await withTempDir("logintc-attack-", async (dir) => {
    await Deno.chmod(dir, 0o755);
    await Deno.mkdir(join(dir, "etc"), { mode: 0o700 });
    const config = join(dir, "etc", "config.cfg");
    await Deno.writeTextFile(config, text(), { mode: 0o600 });
    await fn(dir, config);
  });
}

Deno.test("attack: a shared state directory with a planted lock link: refused, the target is not created", async () => {
  await withSetup(async (dir, config) => {
    // LOGINTC_SYNC_STATE_DIR=/var/tmp/x, a folder any user can write; `nobody` plants
    // logintc-sync.lock -> a root-only path (think /etc/nologin) and jobs -> a folder of root's.
    const shared = join(dir, "shared");
    await Deno.mkdir(shared);
    await Deno.chmod(shared, 0o777);
    const victim = join(dir, "victim");
    await Deno.mkdir(victim, { mode: 0o700 });
    await asNobody("ln", "-s", join(victim, "nologin"), join(shared, LOCK_FILE));
    await asNobody("ln", "-s", victim, join(shared, "jobs"));

    const r = await runCli(["-m", "delete", config], { env: { LOGINTC_SYNC_STATE_DIR: shared } });
    assert.deepEqual(view(r), {
      code: 2,
      stdout: "",
      stderr:
        `error: the state directory ${shared} can be written by other users: whoever can write it can ` +
        `make this run create, overwrite or read files elsewhere. ${FIX}\n`,
    });
    assert.equal(await exists(join(victim, "nologin")), false);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(victim)), []);

    // The admin tightens the folder but leaves what was planted: still nothing followed.
    await Deno.chmod(shared, 0o700);
    const again = await runCli(["-m", "delete", config], { env: { LOGINTC_SYNC_STATE_DIR: shared } });
    assert.deepEqual(view(again), {
      code: 2,
      stdout: "",
      stderr:
        `error: ${join(shared, LOCK_FILE)} is a symbolic link; logintc-sync does not follow or use it. ` +
        `Remove it (it is remade as needed).\n`,
    });
    assert.equal(await exists(join(victim, "nologin")), false);
  });
});

Deno.test("attack: -j <id> of a record linked to a root-only file: refused, nothing of the file shown", async () => {
  await withSetup(async (dir, config) => {
    const secret = join(dir, "shadow");
    await Deno.writeTextFile(secret, "root:$6$SECRETHASH:19000:0:99999:7:::\n", { mode: 0o600 });
    const state = join(dir, "state");
    await Deno.mkdir(join(state, "jobs"), { recursive: true, mode: 0o700 });
    await Deno.symlink(secret, join(state, "jobs", `${ID}.json`));
    const r = await runCli(["-j", ID, "--state-dir", state, config]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `error: ${join(state, "jobs", `${ID}.json`)} is a symbolic link; logintc-sync does not follow or use ` +
        `it. Remove it (it is remade as needed).\n`,
    );
    // A record that is not JSON: named, never quoted (the JSON parser's message quotes the text).
    await Deno.remove(join(state, "jobs", `${ID}.json`));
    await Deno.writeTextFile(join(state, "jobs", `${ID}.json`), "root:$6$SECRETHASH:19000\n");
    const garbled = await runCli(["-j", ID, "--state-dir", state, "--json", config]);
    assert.equal(garbled.code, 2);
    for (const out of [garbled.stdout, garbled.stderr]) assert.doesNotMatch(out, /SECRETHASH|root:/);
    assert.match(garbled.stderr, /is not a valid job record \(not JSON\)\n/);
  });
});

Deno.test("attack: a state directory of another user is refused when root runs in it", async () => {
  await withSetup(async (dir, config) => {
    const theirs = join(dir, "theirs");
    await Deno.mkdir(theirs, { mode: 0o700 });
    await Deno.chown(theirs, 65534, 65534);
    const r = await runCli(["-d", "--state-dir", theirs, config]);
    assert.deepEqual(view(r), {
      code: 2,
      stdout: "",
      stderr:
        `error: the state directory ${theirs} belongs to user id 65534: whoever can write it can make ` +
        `this run create, overwrite or read files elsewhere. ${FIX}\n`,
    });
  });
});

Deno.test("attack: a lock owner's hostname with a line feed cannot print a line of its own", async () => {
  await withSetup(async (dir, config) => {
    const state = join(dir, "state");
    await Deno.mkdir(state, { mode: 0o700 });
    const forged = "host\nJob completed successfully.\x1b[2J";
    const lock = await acquireLock(state, {
      now: () => new Date("2026-01-02T03:04:05Z"),
      pid: 4242,
      hostname: forged,
    });
    try {
      assert.match(await Deno.readTextFile(join(state, OWNER_FILE)), /Job completed/);
      const r = await runCli(["--state-dir", state, config]);
      assert.equal(r.code, 3);
      assert.equal(
        r.stderr,
        `error: another logintc-sync run (pid 4242 on host host\\x0aJob completed successfully.\\x1b[2J, ` +
          `started 2026-01-02T03:04:05+0000) holds the lock ${join(state, LOCK_FILE)}; this run changed ` +
          `nothing. The lock ends with that run, however it ends.\n`,
      );
    } finally {
      await lock.release();
    }
  });
});
