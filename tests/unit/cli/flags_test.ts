import assert from "node:assert/strict";
import { parseFlags } from "../../../src/cli/flags.ts";
import { helpText, versionText } from "../../../src/cli/help.ts";
import { UsageError } from "../../../src/errors.ts";
import { VERSION } from "../../../src/version.ts";

function run(argv: string[]) {
  const parsed = parseFlags(argv);
  assert.equal(parsed.kind, "run");
  return parsed.kind === "run" ? parsed.options : assert.fail();
}

function usage(argv: string[]): string {
  try {
    parseFlags(argv);
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    assert.ok(!e.message.includes("\n"), "one line");
    return e.message;
  }
  assert.fail(`expected a UsageError for ${JSON.stringify(argv)}`);
}

Deno.test("flags: defaults with only the config path", () => {
  assert.deepEqual(run(["config.cfg"]), {
    configPath: "config.cfg",
    localValidation: false,
    dryRun: false,
    defaultEmail: undefined,
    ignoreReferral: false,
    jobStatus: undefined,
    emailNotification: undefined,
    syncMode: "add_only",
    defaultName: undefined,
    maxRemoveLimit: 0,
    syncTokenMode: "do_not_issue_token",
    group: undefined,
    stateDir: undefined,
    concurrency: 4,
  });
});

Deno.test("flags: every short flag", () => {
  // deno-fmt-ignore
  const o = run([
    "-a", "-d", "-i", "-e", "john.doe@example.com", "-j", "0371a83b752fcdbe6141cec14091527acd84c5a1",
    "-l", "administrator@example.com", "-m", "delete", "-n", "John Doe", "-r", "10", "-t",
    "issue_token_without_email", "-g", "Sales", "config.cfg",
  ]);
  assert.deepEqual(o, {
    configPath: "config.cfg",
    localValidation: true,
    dryRun: true,
    defaultEmail: "john.doe@example.com",
    ignoreReferral: true,
    jobStatus: "0371a83b752fcdbe6141cec14091527acd84c5a1",
    emailNotification: "administrator@example.com",
    syncMode: "delete",
    defaultName: "John Doe",
    maxRemoveLimit: 10,
    maxRemoveLimitSet: true,
    syncTokenMode: "issue_token_without_email",
    group: "Sales",
    stateDir: undefined,
    concurrency: 4,
  });
});

Deno.test("flags: long forms, --flag=value, clustered short flags, and the guide's examples", () => {
  // deno-fmt-ignore
  const o = run([
    "--local-validation", "--dry-run", "--ignore-referral", "--default-email=a@example.com",
    "--email-notification", "b@example.com", "--sync-mode", "remove", "--default-name", "N",
    "--max-remove-limit=3", "--sync-token-mode", "issue_token_with_email", "--group", "G",
    "--job-status", "abc123", "c.cfg",
  ]);
  assert.equal(o.syncMode, "remove");
  assert.equal(o.maxRemoveLimit, 3);
  assert.equal(o.defaultEmail, "a@example.com");
  assert.equal(o.jobStatus, "abc123");
  const c = run(["-dimremove", "-r0", "c.cfg"]);
  assert.deepEqual([c.dryRun, c.ignoreReferral, c.syncMode, c.maxRemoveLimit], [true, true, "remove", 0]);
  const g = run([
    "-m",
    "delete",
    "-r",
    "10",
    "-t",
    "issue_token_with_email",
    "-l",
    "administrator@example.com",
    "config.cfg",
  ]);
  assert.deepEqual([g.syncMode, g.maxRemoveLimit, g.emailNotification], [
    "delete",
    10,
    "administrator@example.com",
  ]);
});

Deno.test("flags: exact messages for bad values", () => {
  assert.equal(
    usage(["-m", "weird", "c"]),
    "option '-m, --sync-mode <arg>': 'weird' is not one of add_only, remove, delete",
  );
  assert.equal(
    usage(["-t", "always", "c"]),
    "option '-t, --sync-token-mode <arg>': 'always' is not one of do_not_issue_token, issue_token_with_email, issue_token_without_email",
  );
  for (const r of ["1.5", "-1", "abc", "10x", "", "1e3", " 1"]) {
    assert.equal(
      usage(["-r", r, "c"]),
      `option '-r, --max-remove-limit <arg>': '${r}' is not a whole number of 0 or more`,
    );
  }
  assert.equal(
    usage(["-e", "john.doe", "c"]),
    "option '-e, --default-email <arg>': 'john.doe' is not an email address",
  );
  assert.equal(
    usage(["-l", "a b@x.com", "c"]),
    "option '-l, --email-notification <arg>': 'a b@x.com' is not an email address",
  );
  assert.equal(usage(["-n", " ", "c"]), "option '-n, --default-name <arg>': must not be empty");
  assert.equal(usage(["-g", "", "c"]), "option '-g, --group <arg>': must not be empty");
  assert.equal(
    usage(["-j", "../x", "c"]),
    "option '-j, --job-status <arg>': '../x' is not a job id (letters and digits)",
  );
});

Deno.test("flags: exact messages for commander's errors, on one line", () => {
  assert.equal(usage(["--bogus", "c"]), "unknown option '--bogus'");
  assert.equal(usage(["-x", "c"]), "unknown option '-x'");
  assert.equal(usage(["--dry-rn", "c"]), "unknown option '--dry-rn' (did you mean --dry-run?)");
  assert.equal(usage(["c", "-m"]), "option '-m, --sync-mode <arg>' argument missing");
  assert.equal(usage([]), "missing config file argument");
  assert.equal(usage(["-d"]), "missing config file argument");
  assert.equal(usage(["a.cfg", "b.cfg"]), "expected one config file argument, got 2: a.cfg b.cfg");
});

Deno.test("flags: -h and -v win over other flags, even bad ones; the first of them wins", () => {
  for (
    const argv of [["-h"], ["--help"], ["--bogus", "-h"], ["-m", "weird", "--help"], ["-dh"], ["-h", "-v"]]
  ) {
    assert.deepEqual(parseFlags(argv), { kind: "help" }, JSON.stringify(argv));
  }
  for (const argv of [["-v"], ["--version", "c.cfg"], ["-r", "x", "-v"], ["-v", "-h"]]) {
    assert.deepEqual(parseFlags(argv), { kind: "version" }, JSON.stringify(argv));
  }
  // As a flag's value or after `--`, "-h" is not the help flag (commander's tokenizing).
  assert.equal(run(["-n", "-h", "c"]).defaultName, "-h");
  assert.equal(run(["--", "-h"]).configPath, "-h");
});

Deno.test("flags: help lists every flag and the exit codes; version names the build", () => {
  const help = helpText();
  for (
    const f of [
      "-a, --local-validation",
      "-d, --dry-run",
      "-e, --default-email <arg>",
      "-h, --help",
      "-i, --ignore-referral",
      "-j, --job-status <arg>",
      "-l, --email-notification <arg>",
      "-m, --sync-mode <arg>",
      "-n, --default-name <arg>",
      "-r, --max-remove-limit <arg>",
      "-t, --sync-token-mode <arg>",
      "-g, --group <arg>",
      "-v, --version",
      "    --state-dir <dir>",
      "    --concurrency <n>",
      "    --max-remove-percent <p>",
      "    --check",
      "    --doctor",
      "    --json",
      "    --audit-log <file>",
      "    --metrics-file <file>",
      "    --max-run-time <seconds>",
    ]
  ) assert.ok(help.includes(`  ${f}  `), f);
  assert.match(help, /^Usage: logintc-sync \[options\] <config-file>$/m);
  assert.match(
    help,
    /^Exit codes:\n {2}0 .*\n {2}1 .*\n {5}.*--max-run-time.*\n {2}2 .*\n {2}3 .*\n {5}.*\n {2}4 .*\n {2}5 .*\n {5}.*\n {2}6 .*\n {2}130, 143 .*\n {5}.*$/m,
  );
  for (const line of help.split("\n")) assert.ok(line.length <= 80, line);
  assert.equal(versionText(), `logintc-sync ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})`);
});

Deno.test("flags: our long-only additions --state-dir and --concurrency", () => {
  const o = run(["--state-dir", "/var/lib/logintc-sync", "--concurrency", "16", "config.cfg"]);
  assert.equal(o.stateDir, "/var/lib/logintc-sync");
  assert.equal(o.concurrency, 16);
  for (const bad of ["0", "17", "4.5", "x"]) {
    assert.equal(
      usage(["--concurrency", bad, "config.cfg"]),
      `option '--concurrency <n>': '${bad}' is not a whole number from 1 to 16`,
    );
  }
  assert.equal(usage(["--state-dir", " ", "config.cfg"]), "option '--state-dir <dir>': must not be empty");
});

Deno.test("flags: --max-remove-percent, --check, --json, --doctor", () => {
  const o = run(["--max-remove-percent", "12.5", "--check", "--json", "config.cfg"]);
  assert.deepEqual([o.maxRemovePercent, o.maxRemoveLimitSet, o.check, o.json, o.doctor], [
    12.5,
    undefined,
    true,
    true,
    undefined,
  ]);
  assert.equal(run(["-r", "0", "--max-remove-percent", "0", "c"]).maxRemoveLimitSet, true);
  assert.equal(run(["--max-remove-percent=100", "c"]).maxRemovePercent, 100);
  for (const bad of ["101", "-1", "5%", "1.234", "x", ""]) {
    assert.equal(
      usage(["--max-remove-percent", bad, "config.cfg"]),
      `option '--max-remove-percent <p>': '${bad}' is not a percentage from 0 to 100 (at most 2 decimals)`,
    );
  }
  assert.equal(usage(["--check", "-j", "abc", "c"]), "--check and -j cannot be combined");
  assert.equal(run(["--doctor", "--json", "c"]).doctor, true);
  assert.equal(usage(["--doctor", "--check", "c"]), "--doctor and --check cannot be combined");
  assert.equal(usage(["--doctor", "-d", "c"]), "--doctor and -d cannot be combined");
});

Deno.test("flags: --max-run-time <seconds>, a whole number from 1 to a week", () => {
  assert.equal(run(["config.cfg"]).maxRunTime, undefined);
  assert.equal(run(["--max-run-time", "3600", "config.cfg"]).maxRunTime, 3600);
  assert.equal(run(["--max-run-time", "604800", "config.cfg"]).maxRunTime, 604800);
  for (const bad of ["0", "604801", "1.5", "-1", "1h", " "]) {
    assert.equal(
      usage(["--max-run-time", bad, "config.cfg"]),
      `option '--max-run-time <seconds>': '${bad}' is not a whole number of seconds from 1 to 604800`,
    );
  }
});

Deno.test("flags: --audit-log and --metrics-file (a .prom file)", () => {
  const o = run(["--audit-log", "/var/log/logintc-sync/audit.jsonl", "--metrics-file", "/t/sync.prom", "c"]);
  assert.equal(o.auditLog, "/var/log/logintc-sync/audit.jsonl");
  assert.equal(o.metricsFile, "/t/sync.prom");
  const none = run(["c"]);
  assert.ok(!("auditLog" in none) && !("metricsFile" in none));
  assert.equal(usage(["--audit-log", "", "c"]), "option '--audit-log <file>': must not be empty");
  assert.equal(usage(["--metrics-file", " ", "c"]), "option '--metrics-file <file>': must not be empty");
  assert.equal(
    usage(["--metrics-file", "/t/sync.metrics", "c"]),
    "option '--metrics-file <file>': '/t/sync.metrics' must end in .prom (node_exporter reads only those)",
  );
});
