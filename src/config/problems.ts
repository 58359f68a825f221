/** A config problem before it is given the file name: kept structured so problems sort by line. */
export interface Problem {
  /** 1-based line; undefined for a problem with the file as a whole (e.g. a missing section). */
  line?: number;
  message: string;
}

/** `file:line: message` (or `file: message`), sorted by line, file-level problems last. */
export function formatProblems(file: string, problems: readonly Problem[]): string[] {
  return problems
    .map((p, order) => ({ ...p, order }))
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || a.order - b.order)
    .map((p) => (p.line === undefined ? `${file}: ${p.message}` : `${file}:${p.line}: ${p.message}`));
}
