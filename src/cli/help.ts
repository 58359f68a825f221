/** The texts for --help and --version; the options' lines come from the flag table (./flags.ts). */
import { VERSION } from "../version.ts";
import { flagLabel, FLAGS } from "./flags.ts";

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
    "  1  runtime failure (directory or LoginTC unreachable, or a request rejected),",
    "     or stopped by --max-run-time (the job record says Interrupted)",
    "  2  usage or config error (nothing was contacted, nothing changed)",
    "  3  a guard stopped it: removals withheld (the rest of the plan ran), or",
    "     another sync holds the lock in the state directory (nothing ran)",
    "  4  some steps failed (the others were done)",
    "  5  a configured feature this LoginTC lacks was skipped (the rest ran):",
    "     aliases, phones, -g or -l; see docs/logintc-api.md",
    "  6  --check: changes pending (a real run would write)",
    "  130, 143  stopped by Ctrl-C or SIGTERM: no step started after it; the job",
    "     record says Interrupted, with the actions made",
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
