/**
 * The state directory's file I/O (src/state/stateFiles.ts) against the attacks of issue 21, item 1:
 * links planted in the state directory (the lock, jobs/, a job record, a hard link), a folder
 * others can write, and private modes (issue 20, item 4). The attacks that need a second user
 * (a folder or file owned by `nobody`) or a program (mkfifo) are in
 * tests/integration/state/stateFiles_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ExitCode, UnsafeStateError } from "../../../src/errors.ts";
import { newJob } from "../../../src/state/jobRecord.ts";
import { acquireLock, LOCK_FILE, OWNER_FILE, probeLock, readOwner } from "../../../src/state/lock.ts";
import { jobPath, readJob, writeJob } from "../../../src/state/jobStore.ts";
import {
  ensureStateFolder,
  openStateDir,
  openStateFile,
  readStateFile,
  writeStateFile,
} from "../../../src/state/stateFiles.ts";
import { readWriteOnlyValues, saveWriteOnlyValues } from "../../../src/state/writeOnlyValues.ts";
import { withTempDir } from "../../support/tempDir.ts";

const T0 = new Date("2017-08-02T17:46:43.123Z");
const ID = "0371a83b752fcdbe6141cec14091527acd84c5a1";
const OPTS = { syncMode: "add_only", syncTokenMode: "do_not_issue_token", maxRemoveLimit: 0 } as const;
const lockDeps = { now: () => T0, pid: 4242, hostname: "hostA", sleep: () => Promise.resolve() };
const posix = Deno.build.os !== "windows";

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("logintc-statefiles-", fn);

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

const modeOf = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

function unsafe(path: string, problem: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof UnsafeStateError, String(e));
    assert.equal(e.exitCode, ExitCode.USAGE);
    assert.ok(e.message.startsWith(path), e.message);
    assert.match(e.message, problem);
    return true;
  };
}

Deno.test("state files: a planted lock link (-> /etc/nologin) is refused; its target is not created", async () => {
  await withDir(async (dir) => {
    const target = join(dir, "victim", "nologin");
    await Deno.mkdir(join(dir, "victim"));
    const state = join(dir, "state");
    await Deno.mkdir(state, { mode: 0o700 });
    await Deno.symlink(target, join(state, LOCK_FILE), { type: "file" });
    await assert.rejects(acquireLock(state, lockDeps), unsafe(join(state, LOCK_FILE), /is a symbolic link/));
    assert.equal(await exists(target), false, "the run created the link's target");
    assert.equal(await exists(join(state, OWNER_FILE)), false);
    // -j's probe does not follow it either.
    await assert.rejects(probeLock(state), UnsafeStateError);
  });
});

Deno.test("state files: a planted owner-file link is replaced, never written through", async () => {
  await withDir(async (dir) => {
    const target = join(dir, "target");
    await Deno.writeTextFile(target, "root's file\n");
    await Deno.symlink(target, join(dir, OWNER_FILE), { type: "file" });
    // The loser's read of the owner file does not follow it either.
    assert.equal(await readOwner(join(dir, OWNER_FILE)), undefined);
    const lock = await acquireLock(dir, lockDeps);
    try {
      assert.equal(await Deno.readTextFile(target), "root's file\n");
      assert.equal((await Deno.lstat(join(dir, OWNER_FILE))).isSymlink, false);
    } finally {
      await lock.release();
    }
    assert.equal(await Deno.readTextFile(target), "root's file\n");
  });
});

Deno.test("state files: jobs/ as a link to another folder: no record is written there", async () => {
  await withDir(async (dir) => {
    const elsewhere = join(dir, "elsewhere");
    await Deno.mkdir(elsewhere);
    await Deno.symlink(elsewhere, join(dir, "jobs"), { type: "dir" });
    const job = newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS);
    await assert.rejects(writeJob(dir, job), unsafe(join(dir, "jobs"), /is a symbolic link/));
    assert.deepEqual(await Array.fromAsync(Deno.readDir(elsewhere)), []);
    // And -j does not look through it.
    await Deno.writeTextFile(join(elsewhere, `${ID}.json`), JSON.stringify({ ...job, type: "SyncUsersJob" }));
    await assert.rejects(readJob(dir, ID), unsafe(join(dir, "jobs"), /is a symbolic link/));
    // written/ (write-only values) the same.
    await Deno.symlink(elsewhere, join(dir, "written"), { type: "dir" });
    await assert.rejects(saveWriteOnlyValues(dir, "h", "d".repeat(40), {}), UnsafeStateError);
    const read = await readWriteOnlyValues(dir, "h", "d".repeat(40));
    assert.deepEqual(read.values, {});
    assert.match(read.problem ?? "", /is a symbolic link/);
  });
});

Deno.test("state files: -j of a record that links elsewhere is refused and never quotes the target", async () => {
  await withDir(async (dir) => {
    const secret = join(dir, "shadow");
    await Deno.writeTextFile(secret, "root:$6$SECRETHASH:19000:0:99999:7:::\n");
    await Deno.mkdir(join(dir, "jobs"));
    await Deno.symlink(secret, jobPath(dir, ID), { type: "file" });
    await assert.rejects(readJob(dir, ID), (e) => {
      unsafe(jobPath(dir, ID), /is a symbolic link/)(e);
      assert.doesNotMatch((e as Error).message, /SECRETHASH|root:/);
      return true;
    });
    // A hard link to it (where the OS allows one): refused too.
    await Deno.remove(jobPath(dir, ID));
    await Deno.link(secret, jobPath(dir, ID));
    await assert.rejects(readJob(dir, ID), unsafe(jobPath(dir, ID), /has another hard link/));
  });
});

Deno.test("state files: a record that does not parse is named, its contents never quoted", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(join(dir, "jobs"));
    for (const text of ["root:$6$SECRETHASH:19000\n", '{"type": "other", "note": "SECRETHASH"}', "null"]) {
      await Deno.writeTextFile(jobPath(dir, ID), text);
      await assert.rejects(readJob(dir, ID), (e) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, /is not a valid job record \((not JSON|not a SyncUsersJob)\)$/);
        assert.doesNotMatch(e.message, /SECRETHASH|root:|6\$/);
        return true;
      });
    }
  });
});

Deno.test("state files: the state directory is refused when others can write it, or a folder above it", async () => {
  if (!posix) return;
  await withDir(async (dir) => {
    const shared = join(dir, "shared");
    await Deno.mkdir(shared);
    for (const mode of [0o777, 0o775, 0o1777]) {
      await Deno.chmod(shared, mode);
      await assert.rejects(openStateDir(shared, { create: true }), (e) => {
        assert.ok(e instanceof UnsafeStateError);
        assert.equal(
          e.message,
          `the state directory ${shared} can be written by other users: whoever can write it can make this ` +
            `run create, overwrite or read files elsewhere. Use a folder that only root or the user running ` +
            `logintc-sync can write (chmod 700, owned by that user), named by --state-dir or ` +
            `LOGINTC_SYNC_STATE_DIR.`,
        );
        return true;
      });
      assert.deepEqual(await Array.fromAsync(Deno.readDir(shared)), [], "nothing created in it");
    }
    // A folder above it that others can write (no sticky bit): they could rename ours away.
    await Deno.chmod(shared, 0o777);
    const inside = join(shared, "state");
    await assert.rejects(openStateDir(inside, { create: true }), (e) => {
      assert.ok(e instanceof UnsafeStateError);
      assert.match(e.message, new RegExp(`^the state directory ${inside} is inside ${shared}, which can be`));
      return true;
    });
    assert.equal(await exists(inside), false, "refused before creating anything");
    // With the sticky bit (/tmp, /var/tmp), others cannot rename or remove what is ours.
    await Deno.chmod(shared, 0o1777);
    assert.equal(await openStateDir(inside, { create: true }), await Deno.realPath(inside));
    assert.equal(await modeOf(inside), 0o700);
  });
});

Deno.test("state files: the state directory is made 0700 and used by its real path", async () => {
  if (!posix) return;
  await withDir(async (dir) => {
    const real = await Deno.realPath(dir);
    const state = join(dir, "a", "b");
    assert.equal(await openStateDir(state, { create: false }), state, "a reader creates nothing");
    assert.equal(await exists(state), false);
    assert.equal(await openStateDir(state, { create: true }), join(real, "a", "b"));
    assert.equal(await modeOf(join(dir, "a")), 0o700);
    assert.equal(await modeOf(state), 0o700);
    // Through a link: the real folder, so the link cannot be repointed during the run.
    await Deno.symlink(state, join(dir, "link"), { type: "dir" });
    assert.equal(await openStateDir(join(dir, "link"), { create: true }), join(real, "a", "b"));
    // Not a folder.
    await Deno.writeTextFile(join(dir, "file"), "");
    await assert.rejects(openStateDir(join(dir, "file"), { create: true }), /is not a folder/);
  });
});

Deno.test("state files: what is written is private (0600 files, 0700 folders); wider ones are tightened", async () => {
  if (!posix) return;
  await withDir(async (dir) => {
    const lock = await acquireLock(dir, lockDeps);
    assert.equal(await modeOf(join(dir, LOCK_FILE)), 0o600);
    assert.equal(await modeOf(join(dir, OWNER_FILE)), 0o600);
    const job = newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS);
    await writeJob(dir, job);
    await lock.release();
    assert.equal(await modeOf(join(dir, "jobs")), 0o700);
    assert.equal(await modeOf(jobPath(dir, ID)), 0o600);
    await saveWriteOnlyValues(dir, "h", "d".repeat(40), {});
    assert.equal(await modeOf(join(dir, "written")), 0o700);
    assert.equal(await modeOf(join(dir, "written", `${"d".repeat(40)}.json`)), 0o600);

    // Records from before (0644 under the usual umask, in a 0755 folder): -j tightens them.
    await Deno.chmod(join(dir, "jobs"), 0o755);
    await Deno.chmod(jobPath(dir, ID), 0o644);
    await Deno.chmod(join(dir, LOCK_FILE), 0o644);
    assert.equal((await readJob(dir, ID)).id, ID);
    assert.equal(await modeOf(join(dir, "jobs")), 0o700);
    assert.equal(await modeOf(jobPath(dir, ID)), 0o600);
    await (await acquireLock(dir, lockDeps)).release();
    assert.equal(await modeOf(join(dir, LOCK_FILE)), 0o600);
  });
});

Deno.test("state files: the primitives: create never through a link, write replaces the name, no temp left", async () => {
  await withDir(async (dir) => {
    const target = join(dir, "target");
    const name = join(dir, "journal");
    await Deno.symlink(target, name, { type: "file" });
    await assert.rejects(openStateFile(name, { append: true, create: true }), /is a symbolic link/);
    assert.equal(await exists(target), false);
    await writeStateFile(name, "new\n");
    assert.equal(await exists(target), false, "written through the link");
    assert.equal(await readStateFile(name), "new\n");
    assert.equal(await readStateFile(join(dir, "absent")), undefined);
    const file = await openStateFile(join(dir, "log"), { append: true, create: true });
    await file.write(new TextEncoder().encode("a\n"));
    file.close();
    const again = await openStateFile(join(dir, "log"), { append: true, create: true });
    await again.write(new TextEncoder().encode("b\n"));
    again.close();
    assert.equal(await readStateFile(join(dir, "log")), "a\nb\n");
    await assert.rejects(openStateFile(join(dir, "none"), { read: true }), Deno.errors.NotFound);
    await ensureStateFolder(join(dir, "sub"));
    await ensureStateFolder(join(dir, "sub"));
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(),
      ["journal", "log", "sub"],
    );
  });
});
