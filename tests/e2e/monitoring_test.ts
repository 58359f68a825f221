/**
 * End to end, the real CLI against slapd + the LoginTC emulator: what monitoring reads. The metrics
 * file (--metrics-file, [sync] metrics_file) after every real run, failed ones included, replaced
 * whole, readable by node_exporter; and --doctor's look at the last run the state directory recorded.
 * promtool's verdict on the text: tests/integration/report/metrics_test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, withWorld } from "../support/world.ts";

const USERS = ["alice", "bob", "carol"].map((uid) => ({
  uid,
  displayName: uid[0].toUpperCase() + uid.slice(1),
  mail: `${uid}@example.com`,
}));

/** name{labels} → value, from the exposition text. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

Deno.test("metrics: written after every real run, failed ones too; the last success is kept", async () => {
  await withWorld({ users: USERS }, async (w) => {
    const prom = join(w.dir, "logintc-sync.prom");
    const before = Date.now() / 1000;
    const r = await w.run(["--metrics-file", prom]);
    assert.equal(r.code, 0, describe(r));
    const text = Deno.readTextFileSync(prom);
    if (Deno.build.os !== "windows") {
      assert.equal(Deno.statSync(prom).mode! & 0o777, 0o644, "node_exporter reads it");
    }
    const m = samples(text);
    assert.equal(m.get("logintc_sync_last_run_exit_code"), 0);
    assert.equal(m.get("logintc_sync_directory_users"), 3);
    assert.equal(m.get('logintc_sync_steps{kind="createUser",outcome="done"}'), 3);
    assert.equal(m.get('logintc_sync_steps{kind="addToDomain",outcome="done"}'), 3);
    assert.equal(m.get('logintc_sync_steps{kind="createUser",outcome="failed"}'), 0);
    assert.equal(m.get('logintc_sync_steps_planned{kind="createUser"}'), 3);
    assert.equal(m.get("logintc_sync_removals_withheld"), 0);
    const ran = m.get("logintc_sync_last_run_timestamp_seconds")!;
    assert.ok(ran >= before && ran <= Date.now() / 1000, `${ran}`);
    assert.equal(m.get("logintc_sync_last_success_timestamp_seconds"), ran);
    assert.ok(m.get("logintc_sync_last_run_duration_seconds")! > 0);

    // A run that fails (LoginTC refuses the key): exit 1 in the file, the last success kept.
    const wrongKey = await w.writeConfig("wrong-key.cfg", { logintc: { api_key: "W".repeat(64) } });
    const failed = await w.run(["--metrics-file", prom], { config: wrongKey });
    assert.equal(failed.code, 1, describe(failed));
    const after = Deno.readTextFileSync(prom);
    const f = samples(after);
    assert.equal(f.get("logintc_sync_last_run_exit_code"), 1);
    assert.ok(f.get("logintc_sync_last_run_timestamp_seconds")! > ran);
    assert.equal(f.get("logintc_sync_last_success_timestamp_seconds"), ran);
    assert.equal(f.get("logintc_sync_directory_users"), 3, "the directory was read");
    assert.ok(!f.has('logintc_sync_steps{kind="createUser",outcome="done"}'), "nothing applied");

    // A config error: exit 2, still in the file; and a dry run writes none.
    const broken = await w.writeConfig("broken.cfg", { ldap: { filter: "(uid=*" } });
    assert.equal((await w.run(["--metrics-file", prom], { config: broken })).code, 2);
    const c = samples(Deno.readTextFileSync(prom));
    assert.equal(c.get("logintc_sync_last_run_exit_code"), 2);
    assert.equal(c.get("logintc_sync_last_success_timestamp_seconds"), ran);
    const dry = join(w.dir, "dry.prom");
    await w.dryRun(["--metrics-file", dry]);
    assert.throws(() => Deno.statSync(dry), Deno.errors.NotFound);
    // Replaced whole each time: no temporary file left beside it.
    assert.deepEqual([...Deno.readDirSync(w.dir)].map((e) => e.name).filter((n) => n.includes(".prom")), [
      "logintc-sync.prom",
    ]);
  });
});

Deno.test("metrics: a feature this LoginTC lacks, withheld removals; [sync] metrics_file; a folder that is not there is exit 2", async () => {
  await withWorld(
    { users: USERS, emulator: { api: "public" }, ldap: { attr_phone: "telephoneNumber" } },
    async (w) => {
      w.emulator.seedUser({ username: "leaver", name: "Leaver", email: "leaver@example.com" });
      const config = await w.writeConfig("metrics.cfg");
      await Deno.writeTextFile(config, "\n[sync]\nmetrics_file = sync.prom\n", { append: true });
      const r = await w.run(["-m", "remove"], { config });
      assert.equal(r.code, 3, describe(r));
      const text = Deno.readTextFileSync(join(w.dir, "sync.prom"));
      const m = samples(text);
      assert.equal(m.get("logintc_sync_last_run_exit_code"), 3);
      assert.equal(m.get("logintc_sync_removals_withheld"), 1);
      assert.equal(m.get('logintc_sync_feature_skipped{feature="phone"}'), 1);
      // The job completed (the withheld removal aside): a success.
      assert.equal(
        m.get("logintc_sync_last_success_timestamp_seconds"),
        m.get("logintc_sync_last_run_timestamp_seconds"),
      );

      const missing = join(w.dir, "nowhere", "sync.prom");
      const bad = await w.run(["--metrics-file", missing], { config });
      assert.equal(bad.code, 2, describe(bad));
      assert.match(
        bad.stderr,
        /^error: --metrics-file: cannot write .*nowhere.sync\.prom: its folder does not exist\n$/,
      );
      assert.equal(bad.stdout, "");
    },
  );
});

Deno.test("--doctor: the last run the state directory recorded, its exit code; a warning when no success for 2 days", async () => {
  await withWorld({ users: USERS }, async (w) => {
    const doctorLine = async () => {
      const r = await w.run(["--doctor"]);
      const line = r.stdout.split("\n").findIndex((l) => / state\.last-run /.test(l));
      assert.ok(line >= 0, describe(r));
      return r.stdout.split("\n").slice(line, line + 2).join("\n");
    };
    assert.match(await doctorLine(), /^ok +state\.last-run +no sync run recorded in .* yet$/m);
    const sync = await w.run([]);
    assert.equal(sync.code, 0, describe(sync));
    const id = sync.stdout.match(/Async Job created with id: (\w+)/)![1];
    assert.match(
      await doctorLine(),
      new RegExp(
        `^ok +state\\.last-run +last run ended \\d+ s ago \\(\\S+Z\\), exit 0, job ${id}; last success \\d+ s ago`,
        "m",
      ),
    );

    // Three days without a success: the last run (exit 1) is recorded, the success is old.
    const file = join(w.dir, "last-run.json");
    const last = JSON.parse(Deno.readTextFileSync(file));
    const old = new Date(Date.now() - 3 * 86400_000).toISOString();
    last.lastSuccess.end = old;
    last.lastRun.exitCode = 1;
    Deno.writeTextFileSync(file, JSON.stringify(last));
    const stale = await doctorLine();
    assert.match(
      stale,
      /^warn +state\.last-run +last run ended .*, exit 1, job \w+; last success 3 day\(s\) ago/m,
    );
    assert.match(stale, /fix: no sync has completed its job for over 2 days: .* and -j \w+$/m);
  });
});
