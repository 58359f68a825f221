/**
 * THE list of tests that do not run under `deno task test:windows` (deno.exe under Wine), each by its
 * exact name with the reason. Nothing else is excluded: tests/windows/run.ts builds deno test's
 * --filter from this list, prints every entry with its reason, and fails the run when the number
 * deno reports as filtered out differs from the list (a renamed test must not drop out silently).
 */

export interface Exclusion {
  /** The test file, relative to the repo. */
  file: string;
  /** The exact top-level Deno.test name. */
  test: string;
  why: string;
}

export const WINE_EXCLUSIONS: readonly Exclusion[] = [];

/** RegExp source for `deno test --filter "/…/"`: every test name except the excluded ones. */
export function exclusionFilter(list: readonly Exclusion[]): string | undefined {
  if (list.length === 0) return undefined;
  const names = [...new Set(list.map((e) => e.test))].sort();
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return `/^(?!(?:${escaped.join("|")})$)/`;
}
