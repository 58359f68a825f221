/**
 * The flags: the original tool's 13 (its guide's option table, in its order:
 * https://www.logintc.com/docs/tools/user-sync/) and our long-only additions, in one table that feeds
 * both commander and --help (./help.ts); and their parsing into Options. Commander is never allowed to
 * write or exit (exitOverride + silent output); every problem becomes ONE UsageError line naming the
 * flag. main.ts adds the "Run 'logintc-sync --help'" hint.
 *
 * -h and -v win over everything else on the line, bad flags included (the first of the two
 * wins): someone asking for help should get it, not an error about another flag.
 */
import { Command, CommanderError } from "commander";
import { UsageError } from "../errors.ts";
import type { SyncMode, SyncOptions, TokenMode } from "../types.ts";

/** The original tool's flags and ours, parsed. */
export interface Options extends SyncOptions {
  configPath: string;
  dryRun: boolean; // -d
  jobStatus?: string; // -j
  // ---- our additions (long form only)
  /** --state-dir: job records and the lock. */
  stateDir?: string;
  /** --concurrency: LoginTC requests in flight while applying (1–16, default 4). */
  concurrency: number;
  /** --check: a dry run whose exit code says whether LoginTC is in sync (0, 6 pending, 3 withheld). */
  check?: boolean;
  /** --json: stdout is one JSON document (docs/schema/logintc-sync.schema.json). */
  json?: boolean;
  /** --doctor: check every link between the tool and LoginTC, change nothing. */
  doctor?: boolean;
  /** --max-run-time: seconds after which the run stops starting steps (src/cli/signals.ts). */
  maxRunTime?: number;
  /** --audit-log: append one JSON line per change a real run attempts, and one per run (over [sync] audit_log). */
  auditLog?: string;
  /** --metrics-file: Prometheus text for node_exporter's textfile collector, after every real run. */
  metricsFile?: string;
}

export type ParsedFlags =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "run"; options: Options };

export interface FlagSpec {
  /** Absent for our own additions, which have a long form only (the original's letters stay free). */
  short?: string;
  long: string;
  /** True when the flag takes a value (`<arg>`, as the original tool's guide writes it). */
  arg: boolean;
  /** The value's name in help and messages when not `arg` (our additions: `<dir>`, `<n>`). */
  argName?: string;
  /** Help text, wrapped to the help's width. */
  help: string;
}

/** --max-run-time's bound: a week, well inside a timer's range (2^31 - 1 ms, about 24.8 days). */
export const MAX_RUN_TIME_S = 604_800;

export const FLAGS: readonly FlagSpec[] = [
  {
    short: "a",
    long: "local-validation",
    arg: false,
    help: "Validate user data locally; fail if data is missing.",
  },
  { short: "d", long: "dry-run", arg: false, help: "Fetch users from LDAP but don't sync them." },
  {
    short: "e",
    long: "default-email",
    arg: true,
    help: "Email to use when a user has none, e.g. john.doe@example.com.",
  },
  { short: "h", long: "help", arg: false, help: "Display this help message." },
  { short: "i", long: "ignore-referral", arg: false, help: "Ignore LDAP referrals." },
  { short: "j", long: "job-status", arg: true, help: "Show the status of the job with this id." },
  {
    short: "l",
    long: "email-notification",
    arg: true,
    help: "Email a summary of added and removed users to this address; it must match an existing " +
      "administrator's email or it is ignored.",
  },
  {
    short: "m",
    long: "sync-mode",
    arg: true,
    help: "add_only | remove | delete. add_only only adds users; remove also removes users from the " +
      "domain; delete also deletes them from the organization. Default: add_only.",
  },
  { short: "n", long: "default-name", arg: true, help: "Name to use when a user has none, e.g. John Doe." },
  {
    short: "r",
    long: "max-remove-limit",
    arg: true,
    help: "Maximum number of remove actions (remove from domain or delete); if the limit is reached, " +
      "no remove actions are made. Default: 0.",
  },
  {
    short: "t",
    long: "sync-token-mode",
    arg: true,
    help: "do_not_issue_token | issue_token_with_email | issue_token_without_email: whether newly " +
      "added users get a token, with or without an email. Default: do_not_issue_token.",
  },
  { short: "g", long: "group", arg: true, help: "Add all users to this LoginTC group, e.g. Sales." },
  { short: "v", long: "version", arg: false, help: "Display the version number." },
  // Our additions (long form only).
  {
    long: "state-dir",
    arg: true,
    argName: "dir",
    help: "Where job records and the run lock live. Default: $LOGINTC_SYNC_STATE_DIR, else the config " +
      "file's directory.",
  },
  {
    long: "concurrency",
    arg: true,
    argName: "n",
    help: "LoginTC requests in flight at once while syncing, 1 to 16. Default: 4.",
  },
  {
    long: "max-remove-percent",
    arg: true,
    argName: "p",
    help: "Withhold all removals when they would be more than this percentage (0 to 100) of the " +
      "domain's members. Alone it replaces -r; with -r both limits apply. Default: off.",
  },
  {
    long: "check",
    arg: false,
    help: "A dry run for CI: exit 0 in sync, 6 changes pending, 3 a real run would withhold removals.",
  },
  {
    long: "doctor",
    arg: false,
    help: "Check each link to the directory and LoginTC, one line per check; reads only. Exit 0 when " +
      "nothing failed, else 1.",
  },
  { long: "json", arg: false, help: "Print one JSON document to stdout; messages go to stderr." },
  {
    long: "audit-log",
    arg: true,
    argName: "file",
    help: "Append one JSON line per change a sync attempts, and one per run, to this file (created " +
      "0600). Overrides audit_log in [sync].",
  },
  {
    long: "metrics-file",
    arg: true,
    argName: "file",
    help: "After every sync, write its metrics to this file (Prometheus text format, for " +
      "node_exporter's textfile collector). Overrides metrics_file in [sync].",
  },
  {
    long: "max-run-time",
    arg: true,
    argName: "seconds",
    help: `Stop starting steps after this many seconds (1 to ${MAX_RUN_TIME_S}): the job is recorded ` +
      "Interrupted and the run exits 1. Default: no limit.",
  },
];

/** `-m, --sync-mode <arg>`: how commander names a flag in its messages, and how we do. */
export function flagLabel(f: FlagSpec): string {
  return `${f.short ? `-${f.short}, ` : ""}--${f.long}${f.arg ? ` <${f.argName ?? "arg"}>` : ""}`;
}

const SYNC_MODES: readonly SyncMode[] = ["add_only", "remove", "delete"];
const TOKEN_MODES: readonly TokenMode[] = [
  "do_not_issue_token",
  "issue_token_with_email",
  "issue_token_without_email",
];
/** Loose on purpose: LoginTC Admin decides what it accepts; this only catches slips like a missing '@'. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*$/;

export function parseFlags(argv: string[]): ParsedFlags {
  const early = helpOrVersion(argv);
  if (early !== undefined) return { kind: early };

  const program = new Command()
    .name("logintc-sync")
    .helpOption(false)
    .allowExcessArguments()
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  for (const f of FLAGS) program.option(flagLabel(f));
  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // "error: unknown option '--dry-rn'\n(Did you mean --dry-run?)" → one line, no "error: ".
      throw new UsageError(
        e.message.replace(/^error: /, "").replace(/\n\(Did/, " (did").replace(/\s*\n\s*/g, " "),
      );
    }
    throw e;
  }
  const args = program.args;
  if (args.length === 0) throw new UsageError("missing config file argument");
  if (args.length > 1) {
    throw new UsageError(`expected one config file argument, got ${args.length}: ${args.join(" ")}`);
  }
  return { kind: "run", options: toOptions(args[0], program.opts()) };
}

function toOptions(configPath: string, o: Record<string, string | boolean | undefined>): Options {
  const value = (long: string): string | undefined => {
    const v = o[camel(long)];
    return typeof v === "string" ? v : undefined;
  };
  const bad = (long: string, why: string): never => {
    const spec = FLAGS.find((f) => f.long === long)!;
    throw new UsageError(`option '${flagLabel(spec)}': ${why}`);
  };
  const oneOf = <T extends string>(long: string, allowed: readonly T[], fallback: T): T => {
    const v = value(long);
    if (v === undefined) return fallback;
    return allowed.find((a) => a === v) ?? bad(long, `'${v}' is not one of ${allowed.join(", ")}`);
  };
  const email = (long: string) => {
    const v = value(long);
    if (v !== undefined && !EMAIL.test(v)) bad(long, `'${v}' is not an email address`);
    return v;
  };
  const nonEmpty = (long: string) => {
    const v = value(long);
    if (v !== undefined && v.trim() === "") bad(long, "must not be empty");
    return v;
  };

  // node_exporter's textfile collector reads only *.prom files (its documentation).
  const metricsFile = (path: string) =>
    path.endsWith(".prom")
      ? path
      : bad("metrics-file", `'${path}' must end in .prom (node_exporter reads only those)`);

  const limitText = value("max-remove-limit");
  let maxRemoveLimit = 0;
  if (limitText !== undefined) {
    maxRemoveLimit = Number(limitText);
    if (!/^[0-9]+$/.test(limitText) || !Number.isSafeInteger(maxRemoveLimit)) {
      bad("max-remove-limit", `'${limitText}' is not a whole number of 0 or more`);
    }
  }
  const concurrencyText = value("concurrency");
  let concurrency = 4;
  if (concurrencyText !== undefined) {
    concurrency = Number(concurrencyText);
    if (!/^[0-9]+$/.test(concurrencyText) || concurrency < 1 || concurrency > 16) {
      bad("concurrency", `'${concurrencyText}' is not a whole number from 1 to 16`);
    }
  }
  const percentText = value("max-remove-percent");
  let maxRemovePercent: number | undefined;
  if (percentText !== undefined) {
    maxRemovePercent = Number(percentText);
    // At most two decimals: applyGuards compares in hundredths of a percent, exactly.
    if (!/^[0-9]{1,3}(\.[0-9]{1,2})?$/.test(percentText) || maxRemovePercent > 100) {
      bad("max-remove-percent", `'${percentText}' is not a percentage from 0 to 100 (at most 2 decimals)`);
    }
  }
  const runTimeText = value("max-run-time");
  let maxRunTime: number | undefined;
  if (runTimeText !== undefined) {
    maxRunTime = Number(runTimeText);
    if (!/^[0-9]+$/.test(runTimeText) || maxRunTime < 1 || maxRunTime > MAX_RUN_TIME_S) {
      bad("max-run-time", `'${runTimeText}' is not a whole number of seconds from 1 to ${MAX_RUN_TIME_S}`);
    }
  }
  // Each of these is a run of its own; together they would leave the exit code ambiguous.
  const runs = [
    o.doctor === true && "--doctor",
    o.check === true && "--check",
    value("job-status") !== undefined && "-j",
  ].filter((x): x is string => typeof x === "string");
  if (runs.length > 1) throw new UsageError(`${runs.join(" and ")} cannot be combined`);
  if (o.doctor === true && o.dryRun === true) throw new UsageError("--doctor and -d cannot be combined");
  const jobStatus = value("job-status");
  // The id goes into a URL path; LoginTC job ids are 40 hex characters (guide), letters/digits suffice.
  if (jobStatus !== undefined && !/^[A-Za-z0-9]+$/.test(jobStatus)) {
    bad("job-status", `'${jobStatus}' is not a job id (letters and digits)`);
  }

  return {
    configPath,
    localValidation: o.localValidation === true,
    dryRun: o.dryRun === true,
    defaultEmail: email("default-email"),
    ignoreReferral: o.ignoreReferral === true,
    jobStatus,
    emailNotification: email("email-notification"),
    syncMode: oneOf("sync-mode", SYNC_MODES, "add_only"),
    defaultName: nonEmpty("default-name"),
    maxRemoveLimit,
    syncTokenMode: oneOf("sync-token-mode", TOKEN_MODES, "do_not_issue_token"),
    group: nonEmpty("group"),
    stateDir: nonEmpty("state-dir"),
    ...(value("audit-log") !== undefined ? { auditLog: nonEmpty("audit-log") } : {}),
    ...(value("metrics-file") !== undefined ? { metricsFile: metricsFile(nonEmpty("metrics-file")!) } : {}),
    concurrency,
    ...(limitText !== undefined ? { maxRemoveLimitSet: true } : {}),
    ...(maxRemovePercent !== undefined ? { maxRemovePercent } : {}),
    ...(o.check === true ? { check: true } : {}),
    ...(o.json === true ? { json: true } : {}),
    ...(o.doctor === true ? { doctor: true } : {}),
    ...(maxRunTime !== undefined ? { maxRunTime } : {}),
  };
}

function camel(long: string): string {
  return long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Whether -h/--help or -v/--version appears as a flag (not as the value of another flag, and
 * not after `--`), tokenized the way commander does: value flags take the next argument even
 * when it starts with '-', and short flags cluster (`-dh`; `-mremove` is -m with "remove").
 */
function helpOrVersion(argv: string[]): "help" | "version" | undefined {
  const byShort = new Map(FLAGS.filter((f) => f.short).map((f) => [f.short!, f]));
  const byLong = new Map(FLAGS.map((f) => [f.long, f]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") return undefined;
    if (a.startsWith("--")) {
      const f = byLong.get(a.slice(2));
      if (f?.long === "help" || f?.long === "version") return f.long;
      if (f?.arg) i++;
      continue;
    }
    if (!a.startsWith("-") || a === "-") continue;
    for (let j = 1; j < a.length; j++) {
      const f = byShort.get(a[j]);
      if (f === undefined) break;
      if (f.long === "help" || f.long === "version") return f.long;
      if (f.arg) {
        if (j === a.length - 1) i++;
        break;
      }
    }
  }
  return undefined;
}
