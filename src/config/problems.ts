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

/**
 * A value as a problem quotes it: `'value'`, unless it could be a secret typed into the wrong key
 * (a password in `bind_password_file`, the API key in `host`): then only its length. A value that
 * parses is never quoted, so this is for values that did not, which are the ones pasted by
 * mistake. Whatever the key, the problem still names it and its line.
 */
export function shownValue(value: string): string {
  return couldBeSecret(value)
    ? `the value (${value.length} characters, not shown: it could be a secret)`
    : `'${value}'`;
}

/**
 * Password- or key-like: 8 or more characters without spaces that mix three of lowercase,
 * uppercase, digits and symbols that no config syntax uses (a password policy's rule; `.`, `:`,
 * `/`, `=` and the like do not count), or 20 or more of a token's
 * alphabet (letters, digits, `+/=_-`) with letters and digits (an API key, a base64 secret). Host
 * names, DNs, attribute names and filters that merely fail to parse mostly do not look so.
 */
/** A symbol that host names, ports, paths, DNs, filters and attribute names do not use. */
const NOT_SYNTAX = /[^A-Za-z0-9.\-_:[\]/\\,=()*&|!~<>@]/;

export function couldBeSecret(value: string): boolean {
  if (value.length < 8 || /\s/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, NOT_SYNTAX].filter((c) => c.test(value)).length;
  if (classes >= 3) return true;
  return value.length >= 20 && /^[A-Za-z0-9+/=_-]+$/.test(value) && /[A-Za-z]/.test(value) &&
    /[0-9]/.test(value);
}
