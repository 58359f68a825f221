/**
 * The state directory's lock (src/state/lock.ts): held by the operating system, refused to a
 * second holder with who holds it, released when the holder ends in any way (here: a child
 * process killed with SIGKILL, TerminateProcess on Windows), and probed for `-j`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ExitCode, GuardError, UsageError } from "../../../src/errors.ts";
import {
  acquireLock,
  LOCK_FILE,
  type LockDeps,
  OWNER_FILE,
  probeLock,
  readOwner,
} from "../../../src/state/lock.ts";
import { withTempDir } from "../../support/tempDir.ts";

const T0 = new Date("2017-08-02T17:46:43.123Z");

function lockDeps(over: Partial<LockDeps> = {}): LockDeps {
  return { now: () => T0, pid: 4242, hostname: "hostA", sleep: () => Promise.resolve(), ...over };
}

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("logintc-lock-", fn);

Deno.test("lock: a second holder is refused with who holds it; release frees it", async () => {
  await withDir(async (dir) => {
    const lockPath = join(dir, LOCK_FILE);
    const lock = await acquireLock(dir, lockDeps());
    assert.equal(lock.path, lockPath);
    assert.deepEqual(await readOwner(join(dir, OWNER_FILE)), {
      pid: 4242,
      hostname: "hostA",
      started: "2017-08-02T17:46:43+0000",
    });
    // Another open file description of the same file: refused, as another process would be.
    await assert.rejects(acquireLock(dir, lockDeps({ pid: 5000 })), (e) => {
      assert.ok(e instanceof GuardError);
      assert.equal(e.exitCode, ExitCode.GUARD);
      assert.equal(
        e.message,
        `another logintc-sync run (pid 4242 on host hostA, started 2017-08-02T17:46:43+0000) holds the lock ` +
          `${lockPath}; this run changed nothing. The lock ends with that run, however it ends.`,
      );
      return true;
    });
    await lock.claimJob("a".repeat(40));
    assert.equal((await readOwner(join(dir, OWNER_FILE)))?.job, "a".repeat(40));
    assert.deepEqual(await probeLock(dir), {
      held: true,
      owner: { pid: 4242, hostname: "hostA", started: "2017-08-02T17:46:43+0000", job: "a".repeat(40) },
    });
    await lock.release();
    // The lock file stays (removing it would race); the owner file goes.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [LOCK_FILE]);
    assert.deepEqual(await probeLock(dir), { held: false });
    const again = await acquireLock(dir, lockDeps({ pid: 5000 }));
    assert.equal((await readOwner(join(dir, OWNER_FILE)))?.pid, 5000);
    await again.release();
  });
});

Deno.test("lock: a holder that has not written its owner file yet is 'owner not recorded yet'", async () => {
  await withDir(async (dir) => {
    const lock = await acquireLock(dir, lockDeps());
    await Deno.remove(join(dir, OWNER_FILE));
    let waits = 0;
    await assert.rejects(
      acquireLock(dir, lockDeps({ sleep: () => Promise.resolve(void waits++) })),
      (e) =>
        e instanceof GuardError && e.message.startsWith("another logintc-sync run (owner not recorded yet)"),
    );
    assert.equal(waits, 10, "it waited a little for the owner file");
    await lock.release();
  });
});

Deno.test("lock: no state directory lock file yet → probe says free and creates nothing", async () => {
  await withDir(async (dir) => {
    assert.deepEqual(await probeLock(dir), { held: false });
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

/** Deno code for a child that takes the lock, says so, then waits to be killed. */
function holderScript(dir: string): string {
  const lockModule = new URL("../../../src/state/lock.ts", import.meta.url).href;
  return `import { acquireLock, defaultLockDeps } from ${JSON.stringify(lockModule)};
await acquireLock(${JSON.stringify(dir)}, defaultLockDeps(() => new Date()));
console.log("locked");
await new Promise(() => setInterval(() => {}, 60_000));`;
}

Deno.test("lock: a holder killed outright (SIGKILL / TerminateProcess) leaves nothing that blocks", async () => {
  await withDir(async (dir) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", holderScript(dir)],
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.getReader();
    try {
      const { value } = await reader.read();
      assert.equal(new TextDecoder().decode(value).trim(), "locked");
      await assert.rejects(
        acquireLock(dir, lockDeps()),
        (e) =>
          e instanceof GuardError &&
          e.message.includes(`(pid ${child.pid} on host ${Deno.hostname()}, started `),
      );
      assert.equal((await probeLock(dir)).held, true);
    } finally {
      child.kill("SIGKILL");
      reader.releaseLock();
      await child.stdout.cancel();
      await child.status;
    }
    // The kernel released it with the process: the next run takes it at once, no takeover needed.
    assert.deepEqual(await probeLock(dir), { held: false });
    const lock = await acquireLock(dir, lockDeps());
    assert.equal(
      (await readOwner(join(dir, OWNER_FILE)))?.pid,
      4242,
      "the dead run's owner file is replaced",
    );
    await lock.release();
  });
});

Deno.test("lock: an unusable state directory is a UsageError naming the path and how to choose another", async () => {
  await withDir(async (dir) => {
    // The state directory would be below a regular file: mkdir fails (the OS's reason follows the
    // colon: "Not a directory" on Linux, "File already exists (os error 183)" on Windows).
    await Deno.writeTextFile(join(dir, "file"), "");
    const stateDir = join(dir, "file", "state");
    await assert.rejects(
      acquireLock(stateDir, lockDeps()),
      (e) => {
        assert.ok(e instanceof UsageError, String(e));
        const head = `cannot lock ${join(stateDir, LOCK_FILE)}: `;
        const tail = ". Job records and the lock live in the state directory; choose a writable one with " +
          "--state-dir or LOGINTC_SYNC_STATE_DIR.";
        assert.ok(e.message.startsWith(head), e.message);
        assert.ok(e.message.endsWith(tail), e.message);
        assert.ok(e.message.length > head.length + tail.length, `the OS's reason is given: ${e.message}`);
        return true;
      },
    );
  });
});
