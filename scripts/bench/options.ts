/**
 * `deno task bench`'s flags, and what every section is handed: the options, the rows and
 * detail lines it adds to the report, and the progress log (stderr).
 */
import type { Row } from "./stats.ts";

export interface BenchOptions {
  full: boolean;
  /** Directory sizes read (`--sizes 10000,100000`). */
  sizes: number[];
  /** Creates per apply figure (`--apply-users`; 1k, or 10k with --full). */
  applyUsers: number;
  /** The first-sync figure's size (`--first-sync-users`; target: 10k). */
  firstSyncUsers: number;
  /** `--only start|directory|apply|first-sync`: one part, while working on it. */
  only: string | undefined;
  runs: number;
}

/** What a section reports into; printed once at the end (../bench.ts). */
export interface BenchContext {
  readonly opts: BenchOptions;
  readonly rows: Row[];
  readonly details: string[];
  log(s: string): void;
}

export const MB = 1024 * 1024;

/** `--sizes 1000,5000` / `--apply-users 200`: quick runs while working on the bench itself. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const full = argv.includes("--full");
  const optionAt = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
  return {
    full,
    sizes: (optionAt("--sizes") ?? "10000,100000").split(",").map(Number),
    applyUsers: Number(optionAt("--apply-users") ?? (full ? 10_000 : 1_000)),
    firstSyncUsers: Number(optionAt("--first-sync-users") ?? 10_000),
    only: optionAt("--only"),
    runs: Math.max(1, Number(optionAt("--runs") ?? 3) || 3),
  };
}
