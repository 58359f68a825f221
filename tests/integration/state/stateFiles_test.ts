/**
 * The state directory's file I/O (src/state/stateFiles.ts) against what another local user can
 * plant (issue 21, item 1): a state directory, a folder above it, jobs/ or a record that belongs
 * to `nobody`, and a FIFO where the lock belongs. Root, as cron and the tests' CI run it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { UnsafeStateError } from "../../../src/errors.ts";
import { newJob } from "../../../src/state/jobRecord.ts";
import { acquireLock, LOCK_FILE } from "../../../src/state/lock.ts";
import { jobPath, readJob, writeJob } from "../../../src/state/jobStore.ts";
import { openStateDir, readStateFile } from "../../../src/state/stateFiles.ts";
import { withTempDir } from "../../support/tempDir.ts";

const T0 = new Date("2017-08-02T17:46:43.123Z");
const ID = "0371a83b752fcdbe6141cec14091527acd84c5a1";
const OPTS = { syncMode: "add_only", syncTokenMode: "do_not_issue_token", maxRemoveLimit: 0 } as const;
const lockDeps = { now: () => T0, pid: 4242, hostname: "hostA", sleep: () => Promise.resolve() };
const NOBODY = 65534;

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("logintc-statefiles-", fn);

function rootOnly() {
  assert.equal(Deno.uid(), 0, "these tests plant files as another user: run them as root (CI does)");
}

Deno.test("state files: a FIFO where the lock belongs is refused, never opened (it would block the run)", async () => {
  await withDir(async (dir) => {
    const fifo = join(dir, LOCK_FILE);
    const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.equal(mk.code, 0);
    await assert.rejects(acquireLock(dir, lockDeps), (e) => {
      assert.ok(e instanceof UnsafeStateError);
      assert.equal(
        e.message,
        `${fifo} is not a regular file; logintc-sync does not follow or use it. Remove it (it is remade as needed).`,
      );
      return true;
    });
    await Deno.mkdir(join(dir, "x.json"));
    await assert.rejects(readStateFile(join(dir, "x.json")), /is not a regular file/);
  });
});

Deno.test("state files (root): a state directory that another user owns is refused", async () => {
  rootOnly();
  await withDir(async (dir) => {
    const theirs = join(dir, "theirs");
    await Deno.mkdir(theirs, { mode: 0o700 });
    await Deno.chown(theirs, NOBODY, NOBODY);
    await assert.rejects(openStateDir(theirs, { create: true }), (e) => {
      assert.ok(e instanceof UnsafeStateError);
      assert.equal(
        e.message,
        `the state directory ${theirs} belongs to user id ${NOBODY}: whoever can write it can make this run ` +
          `create, overwrite or read files elsewhere. Use a folder that only root or the user running ` +
          `logintc-sync can write (chmod 700, owned by that user), named by --state-dir or ` +
          `LOGINTC_SYNC_STATE_DIR.`,
      );
      return true;
    });
    // Ours, inside a folder of theirs: they could rename it away and put theirs in its place.
    const inside = join(theirs, "state");
    await Deno.mkdir(inside, { mode: 0o700 });
    await assert.rejects(
      openStateDir(inside, { create: true }),
      new RegExp(
        `^UnsafeStateError: the state directory ${inside} is inside ${theirs}, which belongs to user`,
      ),
    );
  });
});

Deno.test("state files (root): jobs/ or a record that belongs to another user is refused", async () => {
  rootOnly();
  await withDir(async (dir) => {
    const job = newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS);
    await writeJob(dir, job);
    await Deno.chown(jobPath(dir, ID), NOBODY, NOBODY);
    await assert.rejects(readJob(dir, ID), (e) => {
      assert.ok(e instanceof UnsafeStateError);
      assert.match(e.message, new RegExp(`^${jobPath(dir, ID)} belongs to user id ${NOBODY};`));
      return true;
    });
    await Deno.chown(join(dir, "jobs"), NOBODY, NOBODY);
    await assert.rejects(
      writeJob(dir, job),
      new RegExp(`${join(dir, "jobs")} belongs to user id ${NOBODY};`),
    );
  });
});
