/**
 * For CI and operators, end to end through the real CLI (slapd + the LoginTC emulator):
 * --check's exit codes (0 in sync, 6 pending, 3 withheld), --json in every mode validated against
 * docs/schema/logintc-sync.schema.json (and deterministic but for timings), --max-remove-percent,
 * and the secrets from the environment and from files.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type CliResult } from "../support/cli.ts";
import { reportSchema, validate } from "../support/jsonSchema.ts";
import { API_KEY, BIND_PASSWORD, createRejected, describe, jobIdOf, withWorld } from "../support/world.ts";

const PEOPLE = [
  { uid: "alice", displayName: "Alice Anderson", mail: "alice@example.com" },
  { uid: "bob", displayName: "Bob Brown", mail: "bob@example.com" },
];

const schema = await reportSchema();

/** stdout as the one JSON document it must be, validated against the schema. */
function doc(r: CliResult): Record<string, unknown> & { exitCode: number } {
  let parsed;
  try {
    parsed = JSON.parse(r.stdout);
  } catch (e) {
    assert.fail(`stdout is not one JSON document (${e}):\n${describe(r)}`);
  }
  assert.deepEqual(validate(schema, parsed), [], describe(r));
  assert.equal(parsed.exitCode, r.code, "the document's exitCode is the process's");
  return parsed;
}

/** The document without its timings: the only fields that vary between identical runs. */
function stable(d: Record<string, unknown>): Record<string, unknown> {
  const { timings: _, ...rest } = d;
  return rest;
}

Deno.test("--check: 6 pending → sync → 0 in sync; 3 when removals would be withheld; --json in each", async () => {
  await withWorld({ users: PEOPLE }, async (w) => {
    w.emulator.seedUser({ username: "erin", name: "Erin Evans", email: "erin@example.com" });

    const pending = await w.run(["--check"]);
    assert.equal(pending.code, 6, describe(pending));
    assert.match(pending.stdout, /^Plan: 2 to create, 0 to update, 2 to add to domain, 0 to remove$/m);
    assert.ok(
      pending.stdout.endsWith("Dry run: nothing was changed.\nCheck: 4 change(s) pending (exit 6).\n"),
    );
    assert.equal(pending.stderr, "");

    const before = w.emulator.requests.length;
    const pj = await w.run(["--check", "--json"]);
    assert.deepEqual(w.writesSince(before), [], "--check sends only GETs");
    const d = doc(pj);
    assert.equal(pj.code, 6);
    assert.equal(pj.stderr, "");
    assert.deepEqual([d.mode, d.config, d.job], ["check", w.config, null]);
    assert.deepEqual(d.directory, {
      count: 2,
      skipped: [],
      referrals: { ignored: [], followed: [], partitionsSkipped: [] },
      anchor: { attribute: "entryUUID", from: "server", missing: 0 },
    });
    const plan = d.plan as { total: number; steps: { kind: string; username: string }[] };
    assert.equal(plan.total, 4);
    assert.deepEqual(plan.steps.map((s) => `${s.kind} ${s.username}`), [
      "createUser alice",
      "createUser bob",
      "addToDomain alice",
      "addToDomain bob",
    ]);
    // Deterministic: a second identical run differs in timings only.
    assert.deepEqual(stable(doc(await w.run(["--check", "--json"]))), stable(d));

    // -m remove without -r: erin's removal would be withheld (-r defaults to 0) → 3.
    const withheld = await w.run(["--check", "-m", "remove"]);
    assert.equal(withheld.code, 3, describe(withheld));
    assert.match(withheld.stdout, /^Check: a real run would withhold 1 removal\(s\) \(exit 3\)\.$/m);
    const wj = doc(await w.run(["--check", "--json", "-m", "remove"]));
    assert.deepEqual(wj.guards, {
      maxRemoveLimit: 0,
      maxRemovePercent: null,
      withheld: [{ kind: "removeFromDomain", username: "erin", userId: w.user("erin")!.id }],
      notices: [
        "1 removal(s) withheld: more than --max-remove-limit 0 (-r; over the limit no removal is made); " +
        "rerun with -r 1 to allow them.",
      ],
    });

    // A real sync with --json: the job in the document, nothing human on stdout. erin is the
    // domain's only member: removing her is 100 % of it.
    const sync = await w.run(["--json", "-m", "remove", "--max-remove-percent", "100"]);
    assert.equal(sync.code, 0, describe(sync));
    const sj = doc(sync);
    const job = sj.job as { id: string; status: string; actionsCompleted: number };
    assert.deepEqual([sj.mode, job.status, job.actionsCompleted], ["sync", "Completed", 5]);
    assert.deepEqual(w.memberNames(), ["alice", "bob"]);

    const inSync = await w.run(["--check"]);
    assert.equal(inSync.code, 0, describe(inSync));
    assert.match(inSync.stdout, /^Check: in sync \(exit 0\)\.$/m);
    const ij = doc(await w.run(["--check", "--json"]));
    assert.deepEqual((ij.plan as { total: number }).total, 0);

    // -j with --json: the same job.
    const jj = doc(await w.run(["--json", "-j", job.id]));
    assert.equal(jj.mode, "job-status");
    assert.deepEqual((jj.job as { id: string }).id, job.id);
    assert.deepEqual(jj.job, sj.job);

    // -d with --json.
    const dj = doc(await w.run(["-d", "--json"]));
    assert.deepEqual([dj.mode, dj.exitCode, (dj.plan as { total: number }).total], ["dry-run", 0, 0]);
  });
});

Deno.test("--max-remove-percent: over the percentage none is removed (exit 3); within it all are", async () => {
  await withWorld({ users: PEOPLE }, async (w) => {
    for (const u of ["carol", "dave"]) {
      w.emulator.seedUser({ username: u, name: u, email: `${u}@example.com` });
    }
    for (const u of PEOPLE) w.emulator.seedUser({ username: u.uid, name: u.displayName, email: u.mail });
    // 2 of 4 members = 50 %.
    const held = await w.run(["-m", "remove", "--max-remove-percent", "49.99"]);
    assert.equal(held.code, 3, describe(held));
    assert.match(
      held.stderr,
      /^warning: 2 removal\(s\) withheld: 50% of the domain's 4 member\(s\), more than --max-remove-percent 49\.99 /m,
    );
    assert.deepEqual(w.memberNames(), ["alice", "bob", "carol", "dave"]);
    // With -r too, both apply: -r 1 still withholds.
    const both = await w.run(["-m", "remove", "--max-remove-percent", "50", "-r", "1"]);
    assert.equal(both.code, 3, describe(both));
    assert.deepEqual(w.memberNames(), ["alice", "bob", "carol", "dave"]);
    const ok = await w.run(["-m", "remove", "--max-remove-percent", "50"]);
    assert.equal(ok.code, 0, describe(ok));
    assert.deepEqual(w.memberNames(), ["alice", "bob"]);
  });
});

Deno.test("--json: a config error and a usage error still give one valid document (exit 2)", async () => {
  await withWorld({ users: PEOPLE }, async (w) => {
    const bad = await w.writeConfig("bad.cfg", { ldap: { filter: "(uid=*" } });
    const r = await w.run(["--json", "-d"], { config: bad });
    assert.equal(r.code, 2, describe(r));
    const d = doc(r);
    assert.equal(d.mode, "dry-run");
    assert.deepEqual((d.failures as { kind: string }[]).map((f) => f.kind), ["error"]);
    assert.match(r.stderr, /^error: .*bad\.cfg:\d+: \[ldap\] filter: not a valid LDAP filter/m);

    const u = await w.run(["--json", "--max-remove-percent", "x"]);
    assert.equal(u.code, 2, describe(u));
    assert.deepEqual([doc(u).mode, doc(u).config], [null, null]);
  });
});

Deno.test("secrets: from the environment and from files (mode warned), never printed", async () => {
  await withWorld({ users: PEOPLE }, async (w) => {
    await Deno.writeTextFile(join(w.dir, "bind.secret"), BIND_PASSWORD + "\n", { mode: 0o600 });
    if (Deno.build.os !== "windows") await Deno.chmod(join(w.dir, "bind.secret"), 0o644);
    const config = await w.writeConfig("env.cfg", {
      logintc: { api_key: undefined },
      ldap: { bind_password: undefined, bind_password_file: "bind.secret" },
    });
    const r = await w.dryRun([], { config, env: { LOGINTC_SYNC_API_KEY: API_KEY } });
    assert.match(r.stdout, /^Plan: 2 to create/m);
    if (Deno.build.os !== "windows") {
      assert.equal(
        r.stderr,
        `warning: ${join(w.dir, "bind.secret")} has mode 0644: group or others can access it, and it ` +
          `holds a secret (a *_file key of the config). Restrict it: chmod 600 ${
            join(w.dir, "bind.secret")
          }\n`,
      );
    }
    // Both the key in the file and in the environment: exit 2 naming both.
    const two = await w.run(["-d"], { env: { LOGINTC_SYNC_API_KEY: API_KEY } });
    assert.equal(two.code, 2, describe(two));
    assert.match(
      two.stderr,
      /\[logintc\] api_key: is given more than once: api_key and the environment variable LOGINTC_SYNC_API_KEY; keep exactly one$/m,
    );
    // jobIdOf keeps the world's helpers in use by this file (a real run with env secrets).
    const sync = await w.run([], { config, env: { LOGINTC_SYNC_API_KEY: API_KEY } });
    assert.equal(sync.code, 0, describe(sync));
    assert.ok(jobIdOf(sync.stdout));
  });
});

Deno.test("--json on a sync where a step fails: exit 4, the failure and the job in the document", async () => {
  await withWorld({ users: PEOPLE }, async (w) => {
    w.emulator.addFault(createRejected(2));
    const r = await w.run(["--json", "--concurrency", "1"]);
    assert.equal(r.code, 4, describe(r));
    const d = doc(r);
    const failures = d.failures as { kind: string; username: string; action: string; message: string }[];
    assert.deepEqual(failures.map((f) => [f.kind, f.username, f.action]), [
      ["step", "bob", "create"],
      ["skipped", "bob", "add to domain"],
    ]);
    assert.match(failures[0].message, /Invalid email/);
    assert.equal((d.job as { status: string }).status, "Failed");
    // Human lines went to stderr, stdout is the document alone.
    assert.match(r.stderr, /^error: bob: create: /m);
  });
});

Deno.test("--check and --doctor against a public-only LoginTC with attr_phone: 6 pending, then 5 (phones skipped)", async () => {
  await withWorld({
    users: PEOPLE.map((p) => ({ ...p, telephoneNumber: "+1 555 0100" })),
    ldap: { attr_phone: "telephoneNumber" },
    emulator: { api: "public" },
  }, async (w) => {
    const pending = await w.run(["--check"]);
    assert.equal(pending.code, 6, describe(pending));
    const sync = await w.run([]);
    assert.equal(sync.code, 5, describe(sync));
    // In sync but for a feature this LoginTC lacks: the same 5 a real run ends with.
    const lacking = await w.run(["--check"]);
    assert.equal(lacking.code, 5, describe(lacking));
    assert.match(
      lacking.stdout,
      /^Check: in sync, but 1 configured feature\(s\) this LoginTC lacks would be skipped \(exit 5\)\.$/m,
    );
    const lj = doc(await w.run(["--check", "--json"]));
    assert.equal(lj.exitCode, 5);
    assert.deepEqual(
      (lj.features as { feature: string; support: string; used: boolean }[]).map((
        f,
      ) => [f.feature, f.support, f.used]),
      [["phone", "unsupported", false]],
    );

    const d = await w.run(["--doctor"]);
    assert.equal(d.code, 0, describe(d));
    assert.match(
      d.stdout,
      /^warn +logintc\.extensions +1 asked for: 0 used, 1 skipped\n +attr_phone: unsupported/m,
    );
  });
});
