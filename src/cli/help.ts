/**
 * The original tool's 13 flags (its guide's option table, in its order:
 * https://www.logintc.com/docs/tools/user-sync/) and the texts for --help and --version. One table feeds both commander and the help text.
 */
import { VERSION } from "../version.ts";

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
];

/** `-m, --sync-mode <arg>`: how commander names a flag in its messages, and how we do. */
export function flagLabel(f: FlagSpec): string {
  return `${f.short ? `-${f.short}, ` : ""}--${f.long}${f.arg ? ` <${f.argName ?? "arg"}>` : ""}`;
}

export function helpText(): string {
  const width = Math.max(...FLAGS.map((f) => flagLabel(f).length + (f.short ? 0 : 4))) + 2;
  const options = FLAGS.flatMap((f) =>
    wrap(f.help, HELP_WIDTH - 2 - width).map((line, i) =>
      `  ${(i === 0 ? (f.short ? "" : "    ") + flagLabel(f) : "").padEnd(width)}${line}`
    )
  );
  return [
    "Usage: logintc-sync [options] <config-file>",
    "",
    "One-way sync of users from an LDAP directory into a LoginTC Admin domain.",
    "",
    "Options:",
    ...options,
    "",
    "Exit codes:",
    "  0  success, or nothing to do",
    "  1  runtime failure (directory or LoginTC unreachable, or a request rejected)",
    "  2  usage or config error (nothing was contacted, nothing changed)",
    "  3  a guard stopped it: removals withheld (the rest of the plan ran), or",
    "     another sync holds the lock in the state directory (nothing ran)",
    "  4  some steps failed (the others were done)",
    "  5  a configured feature this LoginTC lacks was skipped (the rest ran):",
    "     aliases, phones, -g or -l; see docs/logintc-api.md",
    "  6  --check: changes pending (a real run would write)",
    "",
    "Example: logintc-sync --dry-run config.cfg",
  ].join("\n");
}

/** Fits an 80-column terminal (and cmd.exe's default window). */
const HELP_WIDTH = 80;

/** Greedy word wrap; a word longer than the width gets a line of its own. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

export function versionText(): string {
  return `logintc-sync ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})`;
}
