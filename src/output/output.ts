/** Where the CLI writes. Passed in, so tests capture it and nothing writes to a global. */
export interface Output {
  /** One or more lines for stdout (a trailing newline is added). */
  out(text: string): void;
  /** One or more lines for stderr (a trailing newline is added). */
  err(text: string): void;
  /** True when stdout is a terminal (live progress allowed). */
  readonly isTerminal: boolean;
  /**
   * Resolves true when stderr is the same file as stdout (`>log 2>&1`, one pipe, one terminal): a
   * line meant for both (a reason also given on stderr for cron jobs that keep only stderr) is then
   * written once. Asked only when there is such a line (finding out loads node:fs: ~30 ms).
   */
  errIsOut?(): Promise<boolean>;
  /** Terminal only: replaces the current status line ("" clears it). */
  live?(text: string): void;
}

/** The same output with every line (stdout, stderr, live) passed through `f` first. */
export function mapOutput(output: Output, f: (text: string) => string): Output {
  return {
    isTerminal: output.isTerminal,
    errIsOut: output.errIsOut,
    out: (text) => output.out(f(text)),
    err: (text) => output.err(f(text)),
    live: output.live && ((text) => output.live!(f(text))),
  };
}
