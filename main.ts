/**
 * logintc-sync entry point. The only place that exits: everything else returns an exit code
 * or throws a typed error (src/errors.ts), mapped here.
 */
import { app } from "./src/app.ts";
import { AppError, ConfigError, ExitCode, UsageError } from "./src/errors.ts";
import type { Output } from "./src/output.ts";

const enc = new TextEncoder();
const isTerminal = Deno.stdout.isTerminal();
const output: Output = {
  out: (text) => Deno.stdout.writeSync(enc.encode(text + "\n")),
  err: (text) => Deno.stderr.writeSync(enc.encode(text + "\n")),
  isTerminal,
  // Carriage return + "erase line" (ECMA-48 EL): rewrite the status line in place. Terminal only:
  // cron mail and Task Scheduler logs get plain lines.
  live: isTerminal ? (text) => Deno.stdout.writeSync(enc.encode(`\r\x1b[K${text}`)) : undefined,
};

let code: number;
try {
  code = await app(Deno.args, { output, now: () => new Date() });
} catch (e) {
  if (e instanceof UsageError) {
    output.err(`error: ${e.message}`);
    output.err("Run 'logintc-sync --help' for usage.");
  } else if (e instanceof ConfigError) {
    for (const p of e.problems) output.err(`error: ${p}`);
  } else if (e instanceof AppError) {
    output.err(`error: ${e.message}`);
  } else {
    // A bug, not an admin's mistake: show what we have, without a stack full of internals.
    output.err(`error: unexpected failure: ${e instanceof Error ? e.message : String(e)}`);
  }
  code = e instanceof AppError ? e.exitCode : ExitCode.FAILURE;
}
Deno.exit(code);
