import type { Output } from "../../src/output/output.ts";

/** An Output that records everything; for tests. */
export function memoryOutput(isTerminal = false): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    isTerminal,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
  };
}
