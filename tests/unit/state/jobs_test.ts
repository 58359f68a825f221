import assert from "node:assert/strict";
import { join } from "node:path";
import { LoginTCError, RunStopped, UsageError } from "../../../src/errors.ts";
import {
  finishJob,
  formatJobDate,
  interruptedJob,
  newJob,
  randomJobId,
  startJob,
  withJournal,
} from "../../../src/state/jobRecord.ts";
import { acquireLock } from "../../../src/state/lock.ts";
import { jobAsSeen, jobPath, readJob, writeJob } from "../../../src/state/jobStore.ts";
import { renderJob, renderJobDetails, renderJobOutcome } from "../../../src/report/renderJob.ts";
import { resolveStateDir } from "../../../src/state/stateDir.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { dirUser, state } from "../../support/syncModel.ts";
import { withTempDir } from "../../support/tempDir.ts";

const T0 = new Date("2017-08-02T17:46:43.123Z");
const ID = "0371a83b752fcdbe6141cec14091527acd84c5a1";
const OPTS = { syncMode: "add_only", syncTokenMode: "do_not_issue_token", maxRemoveLimit: 0 } as const;

function twoStepPlan() {
  const plan = planSync([dirUser("john.doe")], state([]), {
    syncMode: "add_only",
    syncTokenMode: "do_not_issue_token",
  });
  return applyGuards(plan, {
    maxRemoveLimit: 0,
    directoryCount: 1,
    memberCount: 0,
    baseDn: "b",
    filter: "f",
  });
}

Deno.test("jobs: ids are 40 lowercase hex and dates use the guide's format", () => {
  assert.match(randomJobId(), /^[0-9a-f]{40}$/);
  assert.notEqual(randomJobId(), randomJobId());
  assert.equal(formatJobDate(T0), "2017-08-02T17:46:43+0000");
});

Deno.test("jobs: a completed job renders exactly the guide's -j lines", () => {
  const checked = twoStepPlan();
  let job = newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS);
  assert.equal(job.status, "Pending");
  job = startJob(job, checked, T0);
  job = finishJob(job, { done: checked.plan.steps, failed: [], notAttempted: [] }, checked, T0);
  assert.equal(
    renderJob(job),
    `Job ID: 0371a83b752fcdbe6141cec14091527acd84c5a1
Job Type: SyncUsersJob
Job Status: Completed
Job Date Created: 2017-08-02T17:46:43+0000
Job Date Started: 2017-08-02T17:46:43+0000
Job Date Completed: 2017-08-02T17:46:43+0000
Job Actions (approx.): 2 of 2
Job Error Code:
Job Error Message:`,
  );
  assert.equal(
    renderJobOutcome(job),
    "Status: Completed. Completed 2 of 2 action(s) (approx.).\nJob completed successfully.",
  );
});

Deno.test("jobs: a failed step makes the job Failed with the failure recorded", () => {
  const checked = twoStepPlan();
  const job = finishJob(
    startJob(newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS), checked, T0),
    {
      done: [],
      failed: [{ step: checked.plan.steps[0], message: "LoginTC rejected the email" }],
      notAttempted: [{ step: checked.plan.steps[1], reason: "create failed" }],
    },
    checked,
    T0,
  );
  assert.equal(job.status, "Failed");
  assert.equal(job.errorCode, "steps-failed");
  assert.deepEqual([job.failed, job.failures], [1, [{
    username: "john.doe",
    action: "create",
    reason: "LoginTC rejected the email",
  }]]);
  assert.deepEqual([job.notAttempted, job.notAttemptedActions], [1, [{
    username: "john.doe",
    action: "add to domain",
    reason: "create failed",
  }]]);
  assert.match(
    renderJobOutcome(job),
    /^Status: Failed\. Completed 0 of 2 action\(s\) \(approx\.\)\.\nJob failed: 1 action/,
  );
});

Deno.test("jobs: -j names every action failed or not attempted, and who was left out, with reasons", () => {
  const users = Array.from({ length: 25 }, (_, i) => dirUser(`u${String(i).padStart(2, "0")}`));
  const plan = planSync(users, state([]), { syncMode: "add_only", syncTokenMode: "do_not_issue_token" });
  const checked = {
    ...applyGuards(plan, { maxRemoveLimit: 0, directoryCount: 25, memberCount: 0, baseDn: "b", filter: "f" }),
  };
  checked.plan = {
    ...checked.plan,
    leftOut: [{ username: "nomail", dn: "uid=nomail,dc=x", reason: "no email address (mail)" }],
  };
  const creates = checked.plan.steps.filter((st) => st.kind === "createUser");
  const adds = checked.plan.steps.filter((st) => st.kind === "addToDomain");
  const job = finishJob(
    startJob(newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS), checked, T0),
    {
      done: [],
      failed: creates.map((step) => ({ step, message: "Invalid email." })),
      notAttempted: adds.slice(0, 2).map((step) => ({ step, reason: "create failed: Invalid email." })),
    },
    checked,
    T0,
  );
  // stderr lists only the first 20 (src/cli/runSync.ts): the record keeps every one.
  assert.equal(job.failures.length, 25);
  const details = renderJobDetails(job).split("\n");
  assert.deepEqual(details.slice(0, 6), [
    "Job Mode: -m add_only -t do_not_issue_token -r 0",
    "Job Steps: createUser 25, addToDomain 25",
    "Job Withheld: 0",
    "Job Skipped: 1",
    "  nomail: no email address (mail)",
    "Job Failed: 25",
  ]);
  assert.deepEqual(details.slice(6, 8), ["  u00 create: Invalid email.", "  u01 create: Invalid email."]);
  assert.deepEqual(details.slice(30), [
    "  u24 create: Invalid email.",
    "Job Not Attempted: 2",
    "  u00 add to domain: create failed: Invalid email.",
    "  u01 add to domain: create failed: Invalid email.",
  ]);
  // A record of an earlier version named the first 20 only: -j says how many more there were.
  const older = { ...job, failures: job.failures.slice(0, 20) };
  assert.deepEqual(renderJobDetails(older).split("\n").slice(25, 27), [
    "  u19 create: Invalid email.",
    "  … and 5 more",
  ]);
});

Deno.test("jobs: a run that stopped: Interrupted (a signal) or Failed (refused credentials), with what it made", () => {
  const users = Array.from({ length: 4 }, (_, i) => dirUser(`u${i}`));
  const plan = planSync(users, state([]), { syncMode: "add_only", syncTokenMode: "do_not_issue_token" });
  const checked = applyGuards(plan, {
    maxRemoveLimit: 0,
    directoryCount: 4,
    memberCount: 0,
    baseDn: "b",
    filter: "f",
  });
  const [c0, c1, c2] = checked.plan.steps;
  const running = startJob(newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS), checked, T0);
  const stopped = finishJob(
    running,
    {
      done: [c0],
      failed: [],
      notAttempted: [],
      stopped: { reason: new RunStopped("stopped by SIGTERM", 143), inFlight: [c1], notStarted: 6 },
    },
    checked,
    T0,
  );
  assert.equal(stopped.status, "Interrupted");
  assert.equal(stopped.errorCode, "interrupted");
  assert.equal(stopped.dtCompleted, "2017-08-02T17:46:43+0000");
  const message =
    "stopped by SIGTERM (1 of 8 action(s) made, 1 in flight with no answer yet, 6 not started). " +
    "The next run plans again from LoginTC's current state.";
  assert.equal(stopped.errorMessage, message);
  assert.equal(
    renderJobOutcome(stopped),
    `Status: Interrupted. Completed 1 of 8 action(s) (approx.).\nJob interrupted: ${message}`,
  );
  assert.deepEqual(renderJobDetails(stopped).split("\n").slice(3), [
    "Job Skipped: 0",
    "Job Done: 1",
    "  u0 create",
    "Job Failed: 0",
    "Job Not Attempted: 0",
    "Job In Flight (outcome unknown): 1",
    "  u1 create",
    "Job Not Started: 6",
  ]);

  const key = new LoginTCError("LoginTC Admin rejected the API key (401) on POST /api/users", {
    status: 401,
    credentials: "api-key",
  });
  const refused = finishJob(
    running,
    {
      done: [c0],
      failed: [{ step: c2, message: key.message, refusedCredentials: true }],
      notAttempted: [],
      stopped: { reason: key, inFlight: [], notStarted: 6 },
    },
    checked,
    T0,
  );
  assert.equal(refused.status, "Failed");
  assert.equal(refused.errorCode, "credentials-rejected");
  assert.match(
    refused.errorMessage,
    /^LoginTC Admin rejected the API key \(401\) on POST \/api\/users \(1 of 8 /,
  );
  // A job that ran its whole plan names no actions made.
  assert.equal(
    finishJob(running, { done: checked.plan.steps, failed: [], notAttempted: [] }, checked, T0).done,
    undefined,
  );
});

Deno.test("jobs: progress from the journal while applying, and a run that died: Interrupted with what it made", () => {
  const checked = twoStepPlan();
  const running = startJob(newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS), checked, T0);
  const mid = withJournal(running, [
    { at: "2017-08-02T17:46:44.500Z", outcome: "done", username: "john.doe", action: "create" },
    { at: "2017-08-02T17:46:45.250Z", outcome: "failed", username: "jane", action: "update", reason: "400" },
  ]);
  assert.equal(mid.status, "Running");
  assert.equal(mid.actionsCompleted, 1);
  assert.equal(mid.dtProgress, "2017-08-02T17:46:45+0000");
  assert.deepEqual(mid.done, [{ username: "john.doe", action: "create", reason: "" }]);
  assert.deepEqual(mid.failures, [{ username: "jane", action: "update", reason: "400" }]);
  assert.equal(mid.failed, 1);
  // No journal, or a finished record: the record as it is.
  assert.equal(withJournal(running, undefined), running);
  const finished = finishJob(
    running,
    { done: checked.plan.steps, failed: [], notAttempted: [] },
    checked,
    T0,
  );
  assert.equal(
    withJournal(finished, [{ at: T0.toISOString(), outcome: "done", username: "x", action: "create" }]),
    finished,
  );
  const seen = interruptedJob(mid);
  assert.equal(
    renderJob(seen),
    `Job ID: 0371a83b752fcdbe6141cec14091527acd84c5a1
Job Type: SyncUsersJob
Job Status: Interrupted
Job Date Created: 2017-08-02T17:46:43+0000
Job Date Started: 2017-08-02T17:46:43+0000
Job Date Completed:
Job Actions (approx.): 1 of 2
Job Error Code: interrupted
Job Error Message: the run ended before the job finished (killed, crashed, or its machine stopped), after 1 of ` +
      `2 action(s) (as recorded at 2017-08-02T17:46:45+0000). Nothing needs doing: the next run plans again ` +
      `from LoginTC's current state.`,
  );
  assert.match(renderJobDetails(seen), /^Job Progress Recorded: 2017-08-02T17:46:45\+0000$/m);
  assert.match(
    renderJobDetails(seen),
    /^Job Done: 1\n {2}john\.doe create\nJob Failed: 1\n {2}jane update: 400$/m,
  );
});

Deno.test("jobs: -j sees Running only while the job's run holds the lock, else Interrupted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const running = startJob(
      newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS),
      twoStepPlan(),
      T0,
    );
    const deps = { now: () => T0, pid: 1, hostname: "h" };
    // No lock ever taken here: the run is gone.
    assert.equal((await jobAsSeen(dir, running)).status, "Interrupted");
    const lock = await acquireLock(dir, deps);
    // Held, but by a run working on another job (a later run after this one died).
    await lock.claimJob("e".repeat(40));
    assert.equal((await jobAsSeen(dir, running)).status, "Interrupted");
    await lock.claimJob(ID);
    assert.equal((await jobAsSeen(dir, running)).status, "Running");
    assert.equal((await jobAsSeen(dir, { ...running, status: "Pending" })).status, "Pending");
    await lock.release();
    assert.equal((await jobAsSeen(dir, running)).status, "Interrupted");
    // A finished record is shown as written, lock or not.
    const done = finishJob(
      running,
      { done: twoStepPlan().plan.steps, failed: [], notAttempted: [] },
      twoStepPlan(),
      T0,
    );
    assert.equal(await jobAsSeen(dir, done), done);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("jobs: write then read round-trips, atomically (no temp files left), ids case-insensitive", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const job = newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), { ...OPTS, group: "Sales" });
    const path = await writeJob(dir, job);
    assert.equal(path, jobPath(dir, ID));
    await writeJob(dir, { ...job, status: "Completed" });
    const entries = [...Deno.readDirSync(`${dir}/jobs`)].map((e) => e.name);
    assert.deepEqual(entries, [`${ID}.json`]);
    const read = await readJob(dir, ID.toUpperCase());
    assert.equal(read.status, "Completed");
    assert.deepEqual(read.mode, {
      syncMode: "add_only",
      syncTokenMode: "do_not_issue_token",
      group: "Sales",
      maxRemoveLimit: 0,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("jobs: a bad or unknown id is a UsageError saying where it looked", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      readJob(dir, "xyz"),
      (e) => e instanceof UsageError && /40 hex characters, got "xyz"/.test(e.message),
    );
    await assert.rejects(
      readJob(dir, "a".repeat(40)),
      (e) =>
        e instanceof UsageError &&
        e.message.includes(`${join(dir, "jobs", `${"a".repeat(40)}.json`)} does not exist`),
    );
    await Deno.mkdir(join(dir, "jobs"));
    await Deno.writeTextFile(jobPath(dir, "b".repeat(40)), "{not json");
    await assert.rejects(
      readJob(dir, "b".repeat(40)),
      (e) => e instanceof UsageError && /not a valid job record/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("state dir: --state-dir, then LOGINTC_SYNC_STATE_DIR, then the config file's directory", () => {
  assert.equal(resolveStateDir({ flag: "/s", env: "/e", configPath: "/etc/x/config.cfg" }), "/s");
  assert.equal(resolveStateDir({ env: "/e", configPath: "/etc/x/config.cfg" }), "/e");
  assert.equal(resolveStateDir({ env: "", configPath: "/etc/x/config.cfg" }), "/etc/x");
  assert.equal(resolveStateDir({ configPath: "config.cfg" }), ".");
  assert.equal(resolveStateDir({ configPath: "C:\\sync\\config.cfg", os: "windows" }), "C:\\sync");
  assert.equal(resolveStateDir({ configPath: "C:\\config.cfg", os: "windows" }), "C:\\");
  assert.equal(resolveStateDir({ configPath: "/config.cfg" }), "/");
});

Deno.test("jobs: a record edited to forge lines: every field shown escaped, line feeds too; wrong types named", async () => {
  await withTempDir("logintc-forged-", async (dir) => {
    const forged = "x\nJob completed successfully.\x1b[2J";
    const job = {
      ...newJob({ now: () => T0, newId: () => ID }, "d".repeat(40), OPTS),
      status: "Failed",
      errorCode: forged,
      errorMessage: forged,
      dtCreated: forged,
      mode: { syncMode: forged, syncTokenMode: forged, maxRemoveLimit: 0, group: forged },
      counts: { [forged]: 1 },
      failures: [{ username: forged, action: forged, reason: forged }],
      skippedFeatures: [forged],
      kept: 1,
      keptUsers: [{ username: forged, action: "keep", reason: forged }],
      disabled: { count: 1, handling: "include", users: [{ username: forged, action: "", reason: forged }] },
    };
    await Deno.mkdir(join(dir, "jobs"));
    await Deno.writeTextFile(jobPath(dir, ID), JSON.stringify(job));
    const read = await readJob(dir, ID);
    const lines = [...renderJob(read).split("\n"), ...renderJobDetails(read).split("\n")];
    // Every line is one of ours: a label, or an indented name; the forged text stays inside its line.
    for (const line of lines) assert.match(line, /^(Job [A-Za-z ().]+:( |$)| {2})/, line);
    assert.ok(!lines.includes("Job completed successfully."));
    assert.ok(
      lines.includes("Job Error Message: x\\x0aJob completed successfully.\\x1b[2J"),
      lines.join("\n"),
    );
    assert.match(lines.find((l) => l.startsWith("Job Mode:"))!, /^Job Mode: -m x\\x0aJob/);

    for (
      const [field, value] of [
        ["status", "Done"],
        ["errorMessage", 42],
        ["actionsTotal", "7\nJob"],
        ["mode", { syncMode: 1 }],
        ["failures", "x"],
        ["skippedUsers", [{ username: 1 }]],
        ["counts", { createUser: "1" }],
        ["kept", -1],
        ["keptUsers", [{ username: forged, reason: 3 }]],
        ["disabled", { count: 1, handling: forged, users: [] }],
        ["disabled", { count: 1, handling: "exclude", users: "x" }],
      ] as const
    ) {
      await Deno.writeTextFile(jobPath(dir, ID), JSON.stringify({ ...job, [field]: value }));
      await assert.rejects(
        readJob(dir, ID),
        new RegExp(`is not a valid job record \\("${field}"\\)$`),
      );
    }
  });
});
