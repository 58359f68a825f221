/**
 * End to end, the real CLI against slapd + the LoginTC emulator: what stops a run, and what it
 * leaves. LoginTC refusing the API key on writes stops it at once (one error, exit 1, the job Failed);
 * SIGTERM stops it starting steps (exit 143, the job Interrupted with what it made), and before the
 * apply it stops at once, writing nothing; after kill -9, -j still says which actions were made (the
 * job's journal). Failed steps are listed on stderr up to 20.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { CliResult } from "../support/cli.ts";
import { describe, jobIdOf, NOTHING_TO_DO, withWorld } from "../support/world.ts";

const people = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const uid = `user${String(i).padStart(2, "0")}`;
    return { uid, displayName: `User ${i}`, mail: `${uid}@example.com` };
  });

async function waitUntil(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    assert.ok(Date.now() < deadline, `timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const creates = (w: { emulator: { requests: { method: string; path: string; status: number }[] } }) =>
  w.emulator.requests.filter((q) => q.method === "POST" && q.path === "/api/users");

Deno.test("LoginTC refuses the API key on writes: the run stops at once, one error, exit 1, job Failed", async () => {
  const USERS = people(60);
  await withWorld({ users: USERS }, async (w) => {
    // Reads pass; every write is refused as the emulator refuses a wrong key (a key revoked while the
    // sync runs).
    const body = JSON.stringify({
      errors: [{ code: "api.error.unauthorized", message: "Invalid API key." }],
    });
    w.emulator.addFault({ method: "POST", path: "/users", status: 401, body });
    const audit = join(w.dir, "audit.jsonl");
    const r = await w.run(["--concurrency", "4", "--audit-log", audit]);
    assert.equal(r.code, 1, describe(r));
    // Only what was in flight when the first answer came: not 60 creates.
    const sent = creates(w).length;
    assert.ok(sent >= 1 && sent <= 4, `${sent} creates sent`);
    assert.equal(w.writesSince(0).length, sent);
    assert.match(
      r.stderr,
      /^error: LoginTC Admin rejected the API key \(401 api\.error\.unauthorized: Invalid API key\.\) on POST \/api\/users; check api_key in \[logintc\]\n$/,
    );
    const id = jobIdOf(r.stdout);
    assert.match(r.stdout, /^Status: Failed\. Completed 0 of 120 action\(s\) \(approx\.\)\.$/m);
    assert.match(
      r.stdout,
      /^Job failed: LoginTC Admin rejected the API key .* \(0 of 120 action\(s\) made, \d+ not started\)\./m,
    );

    // The audit trail: each create sent, refused with LoginTC's answer; the run's line says why it ended.
    const lines = Deno.readTextFileSync(audit).trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, sent + 1);
    for (const l of lines.slice(0, -1)) {
      assert.deepEqual([l.type, l.outcome, l.action, l.answer?.status], ["change", "failed", "create", 401]);
    }
    const run = lines.at(-1);
    assert.deepEqual([run.type, run.exitCode, run.status], ["run", 1, "Failed"]);
    assert.deepEqual(run.outcomes, {
      done: 0,
      failed: sent,
      notAttempted: 0,
      inFlight: 0,
      notStarted: 120 - sent,
    });
    assert.match(run.error, /^LoginTC Admin rejected the API key/);

    const job = await w.run(["-j", id]);
    assert.equal(job.code, 0, describe(job));
    assert.match(job.stdout, /^Job Status: Failed$/m);
    assert.match(job.stdout, /^Job Error Code: credentials-rejected$/m);
    assert.match(job.stdout, /^Job Done: 0$/m);
    assert.match(job.stdout, new RegExp(`^Job Failed: ${sent}$`, "m"));
    assert.match(job.stdout, new RegExp(`^Job Not Started: ${120 - sent}$`, "m"));

    // With a key that works again, the next run does everything.
    w.emulator.clearFaults();
    const next = await w.run([]);
    assert.equal(next.code, 0, describe(next));
    assert.equal(w.memberNames().length, 60);
  });
});

Deno.test("stderr lists the first 20 failed or skipped steps, then '… and N more'; -j and --json keep all", async () => {
  const USERS = people(30);
  await withWorld({ users: USERS }, async (w) => {
    const invalid = JSON.stringify({ errors: [{ code: "api.error.validation", message: "Invalid email." }] });
    w.emulator.addFault({ method: "POST", path: "/users", status: 400, body: invalid });
    const r = await w.run([]);
    assert.equal(r.code, 4, describe(r));
    const id = jobIdOf(r.stdout);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 21, describe(r));
    const failure = "LoginTC Admin answered POST /api/users with 400 api.error.validation: Invalid email.";
    assert.deepEqual(
      lines.slice(0, 20),
      USERS.slice(0, 20).map((u) => `error: ${u.uid}: create: ${failure}`),
    );
    assert.equal(lines[20], `… and 40 more (every one is in the job record: -j ${id})`);

    const job = await w.run(["-j", id]);
    assert.match(job.stdout, /^Job Failed: 30$/m);
    assert.match(job.stdout, /^Job Not Attempted: 30$/m);
    assert.equal(job.stdout.match(/^ {2}user\d\d create: /gm)?.length, 30, describe(job));
    assert.equal(job.stdout.match(/^ {2}user\d\d add to domain: create failed: /gm)?.length, 30);
    assert.doesNotMatch(job.stdout, /more$/m);

    const json = await w.run(["--json"]);
    assert.equal(json.code, 4, describe(json));
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.failures.filter((f: { kind: string }) => f.kind === "step").length, 30);
    assert.equal(doc.failures.filter((f: { kind: string }) => f.kind === "skipped").length, 30);
    assert.equal(json.stderr.trimEnd().split("\n").length, 21);
  });
});

Deno.test("SIGTERM mid-apply: no step starts after it; exit 143; the job says Interrupted and which actions were made", async () => {
  const USERS = people(40);
  await withWorld({ users: USERS }, async (w) => {
    w.emulator.addFault({ method: "POST", path: "/users", latencyMs: 150 });
    const audit = join(w.dir, "audit.jsonl");
    const { child, result } = w.start(["--concurrency", "1", "--audit-log", audit]);
    let stopped: CliResult;
    try {
      await waitUntil("10 creates made", () => creates(w).filter((q) => q.status === 200).length >= 10);
    } finally {
      child.kill("SIGTERM");
      stopped = await result;
    }
    assert.equal(stopped.code, 143, describe(stopped));
    // The create in flight finished (150 ms, well within the grace period): nothing more was sent.
    const made = w.emulator.users().length;
    assert.equal(creates(w).length, made);
    assert.ok(made >= 10 && made < 40, `${made} created`);
    assert.equal(
      stopped.stderr,
      `error: stopped by SIGTERM (${made} of 80 action(s) made, ${80 - made} not started). The next run ` +
        "plans again from LoginTC's current state.\n",
    );
    const id = jobIdOf(stopped.stdout);
    assert.ok(
      stopped.stdout.endsWith(
        `Status: Interrupted. Completed ${made} of 80 action(s) (approx.).\n` +
          `Job interrupted: stopped by SIGTERM (${made} of 80 action(s) made, ${80 - made} not started). ` +
          "The next run plans again from LoginTC's current state.\n",
      ),
      describe(stopped),
    );

    // The audit trail has each create made, and the run's line its exit code and what was left.
    const lines = Deno.readTextFileSync(audit).trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.type === "change" && l.outcome === "done").length, made);
    const run = lines.at(-1);
    assert.deepEqual([run.type, run.exitCode, run.status], ["run", 143, "Interrupted"]);
    assert.equal(run.outcomes.notStarted, 80 - made);

    const job = await w.run(["-j", id]);
    assert.equal(job.code, 0, describe(job));
    assert.match(job.stdout, /^Job Status: Interrupted$/m);
    assert.match(job.stdout, new RegExp(`^Job Actions \\(approx\\.\\): ${made} of 80$`, "m"));
    assert.match(job.stdout, /^Job Error Code: interrupted$/m);
    assert.match(job.stdout, /^Job Date Completed: \d{4}-.*\+0000$/m);
    const done = [...job.stdout.matchAll(/^ {2}(user\d\d) create$/gm)].map((m) => m[1]);
    assert.match(job.stdout, new RegExp(`^Job Done: ${made}$`, "m"));
    assert.deepEqual(done, w.emulator.users().map((u) => u.username).sort());
    assert.match(job.stdout, new RegExp(`^Job Not Started: ${80 - made}$`, "m"));

    const next = await w.run([]);
    assert.equal(next.code, 0, describe(next));
    assert.deepEqual(w.memberNames(), USERS.map((u) => u.uid));
    assert.ok((await w.run([])).stdout.includes(NOTHING_TO_DO));
  });
});

Deno.test("SIGTERM before the apply: the run stops at once, writes nothing, exit 143; the next run goes ahead", async () => {
  await withWorld({ users: people(3) }, async (w) => {
    const domainPath = `/api/domains/${w.emulator.domainId}`;
    w.emulator.addFault({
      method: "GET",
      path: `/domains/${w.emulator.domainId}`,
      nth: 1,
      latencyMs: 10_000,
    });
    const { child, result } = w.start([]);
    await waitUntil("the run reached LoginTC", () => w.emulator.requests.some((q) => q.path === domainPath));
    const sent = Date.now();
    child.kill("SIGTERM");
    const r = await result;
    assert.ok(Date.now() - sent < 5_000, `stopped within ${Date.now() - sent} ms`);
    assert.equal(r.code, 143, describe(r));
    assert.equal(r.stderr, "error: stopped by SIGTERM; nothing was changed\n");
    assert.doesNotMatch(r.stdout, /Job/);
    assert.deepEqual(w.writesSince(0), []);
    assert.throws(() => Deno.statSync(join(w.dir, "jobs")), Deno.errors.NotFound);
    const next = await w.run([]);
    assert.equal(next.code, 0, describe(next));
    assert.equal(w.memberNames().length, 3);
  });
});

Deno.test("--max-run-time mid-apply: the same stop as SIGTERM — no step after it, job Interrupted — exit 1", async () => {
  const USERS = people(40);
  await withWorld({ users: USERS }, async (w) => {
    // 40 creates of 150 ms one at a time take 6 s or more: a 2 s limit stops the apply partway.
    w.emulator.addFault({ method: "POST", path: "/users", latencyMs: 150 });
    const r = await w.run(["--concurrency", "1", "--max-run-time", "2"]);
    assert.equal(r.code, 1, describe(r));
    const made = w.emulator.users().length;
    assert.equal(creates(w).length, made, "nothing was sent after the stop");
    assert.ok(made >= 1 && made < 40, `${made} created`);
    assert.equal(
      r.stderr,
      `error: stopped after --max-run-time 2 s (${made} of 80 action(s) made, ${80 - made} not started). ` +
        "The next run plans again from LoginTC's current state.\n",
    );
    const job = await w.run(["-j", jobIdOf(r.stdout)]);
    assert.match(job.stdout, /^Job Status: Interrupted$/m);
    assert.match(job.stdout, new RegExp(`^Job Done: ${made}$`, "m"));
    assert.match(job.stdout, new RegExp(`^Job Not Started: ${80 - made}$`, "m"));

    const next = await w.run(["--max-run-time", "600"]);
    assert.equal(next.code, 0, describe(next));
    assert.deepEqual(w.memberNames(), USERS.map((u) => u.uid));
  });
});

Deno.test("--max-run-time before the apply: the run stops at once, writes nothing, exit 1", async () => {
  await withWorld({ users: people(3) }, async (w) => {
    w.emulator.addFault({
      method: "GET",
      path: `/domains/${w.emulator.domainId}`,
      nth: 1,
      latencyMs: 10_000,
    });
    const started = Date.now();
    const r = await w.run(["--max-run-time", "1"]);
    assert.ok(Date.now() - started < 8_000, `stopped after ${Date.now() - started} ms`);
    assert.equal(r.code, 1, describe(r));
    assert.equal(r.stderr, "error: stopped after --max-run-time 1 s; nothing was changed\n");
    assert.deepEqual(w.writesSince(0), []);
    assert.throws(() => Deno.statSync(join(w.dir, "jobs")), Deno.errors.NotFound);
  });
});

Deno.test("SIGKILL mid-apply, after 40 writes: -j says 40 of 120, which ones, Interrupted; the next run compacts it", async () => {
  const USERS = people(60);
  await withWorld({ users: USERS }, async (w) => {
    // One create at a time; the 41st is held until the test lets it go.
    let release = () => {};
    w.emulator.addFault({
      method: "POST",
      path: "/users",
      nth: 41,
      hold: new Promise<void>((r) => release = r),
    });
    const { child, result } = w.start(["--concurrency", "1"]);
    let id: string;
    try {
      await waitUntil("40 creates made", () => w.emulator.users().length >= 40);
      // About a second later, the 40 are on the disk: killing now loses none of them.
      await new Promise((r) => setTimeout(r, 1200));
      const [record] = [...Deno.readDirSync(join(w.dir, "jobs"))].map((e) => e.name).filter((n) =>
        n.endsWith(".json")
      );
      id = record.replace(/\.json$/, "");
      const live = await w.run(["-j", id]);
      assert.match(live.stdout, /^Job Status: Running$/m, describe(live));
      assert.match(live.stdout, /^Job Actions \(approx\.\): 40 of 120$/m, describe(live));
    } finally {
      child.kill("SIGKILL");
      await result;
    }
    const made = w.emulator.users().map((u) => u.username).sort();
    assert.equal(made.length, 40);

    const job = await w.run(["-j", id]);
    assert.equal(job.code, 0, describe(job));
    const lines = job.stdout.trimEnd().split("\n");
    assert.deepEqual(lines.slice(2, 3), ["Job Status: Interrupted"]);
    assert.deepEqual(lines.slice(5, 8), [
      "Job Date Completed:",
      "Job Actions (approx.): 40 of 120",
      "Job Error Code: interrupted",
    ]);
    const done = lines.indexOf("Job Done: 40");
    assert.ok(done > 0, describe(job));
    assert.deepEqual(lines.slice(done + 1, done + 41), made.map((u) => `  ${u} create`));
    assert.deepEqual(lines.slice(done + 41), ["Job Failed: 0", "Job Not Attempted: 0"]);

    // The held create still lands (the dead run had sent it); the next run compacts the journal into
    // the record (Interrupted, for good) and completes the work.
    release();
    await waitUntil("the held create landed", () => w.emulator.requests.every((q) => q.status !== 0));
    const next = await w.run([]);
    assert.equal(next.code, 0, describe(next));
    assert.deepEqual(w.memberNames(), USERS.map((u) => u.uid));
    const names = [...Deno.readDirSync(join(w.dir, "jobs"))].map((e) => e.name);
    assert.ok(!names.some((n) => n.endsWith(".journal")), names.join(" "));
    const record = JSON.parse(Deno.readTextFileSync(join(w.dir, "jobs", `${id}.json`)));
    assert.equal(record.status, "Interrupted");
    assert.equal(record.done.length, 40);
    assert.equal((await w.run(["-j", id])).stdout, job.stdout);
  });
});
