/**
 * A strict INI reader for the sync tool's config file.
 *
 * Why our own and not a library (measured: docs/development.md, section "INI libraries"):
 * - @std/ini coerces values: `00123` becomes 123 and `key =` becomes 0, so an API key or a
 *   password that looks numeric would change.
 * - npm `ini` treats an unquoted `#` or `;` anywhere as a comment and silently cuts a
 *   password such as `ab#c;d` to `ab`; it also loses the first section after a UTF-8 BOM
 *   (Windows Notepad writes one) and after `[ldap] ; comment`.
 * A wrong secret or a lost section must be an error, never a silent change, so:
 * - every value is a string exactly as written, outer whitespace trimmed;
 * - a line splits on its FIRST `=`, so `base_dn = ou=a,dc=b` and `filter = (&(a=b)(c=d))` work;
 * - comments are whole lines whose first non-blank character is `#` or `;`; there are NO
 *   inline comments (`bind_password = ab#c;d` is `ab#c;d`);
 * - quotes are NOT special: `key = "x"` is the three characters `"x"`; there are no escapes;
 * - CRLF, LF and a leading UTF-8 BOM are accepted (UTF-16 is decoded before: src/config/decode.ts);
 * - a key is one word: on a line like `bind_password Zz9Secret=Tail` only the first word is named;
 * - section and key names are case-insensitive (stored lowercased).
 * Every problem is collected (not just the first), each as `file:line: message`. Messages
 * never quote a value, so a mistyped line holding a password does not end up in a log.
 */
import type { Problem } from "./problems.ts";

export interface IniEntry {
  /** Lowercased key name. */
  key: string;
  /** The value as written, outer whitespace trimmed; may be "". */
  value: string;
  /** 1-based line number. */
  line: number;
}

export interface IniSection {
  /** Lowercased section name. */
  name: string;
  /** Line of the (first) header. */
  line: number;
  /** Entries by lowercased key, in file order; the first of duplicate keys wins. */
  entries: Map<string, IniEntry>;
}

export interface IniDocument {
  file: string;
  /** Sections by lowercased name, in file order; duplicates are merged into the first. */
  sections: Map<string, IniSection>;
}

export interface IniResult {
  doc: IniDocument;
  /** Structured, so callers can merge and sort them; see formatProblems. */
  problems: Problem[];
}

const BOM = "\uFEFF";

export function parseIni(text: string, file: string): IniResult {
  const sections = new Map<string, IniSection>();
  const problems: Problem[] = [];
  const report = (line: number, message: string) => problems.push({ line, message });
  let current: IniSection | undefined;
  let afterBadHeader = false;

  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;

    if (line.startsWith("[")) {
      const header = parseHeader(line);
      if (header.problem !== undefined) report(lineNo, header.problem);
      if (header.name === undefined) {
        current = undefined; // keys below belong to no known section; don't misfile them
        afterBadHeader = true;
        continue;
      }
      afterBadHeader = false;
      const existing = sections.get(header.name);
      if (existing) {
        report(lineNo, `duplicate section [${header.name}] (first at line ${existing.line})`);
        current = existing;
      } else {
        current = { name: header.name, line: lineNo, entries: new Map() };
        sections.set(header.name, current);
      }
      continue;
    }

    const eq = line.indexOf("=");
    if (eq < 0) {
      report(lineNo, "expected '[section]', 'key = value' or a comment starting with '#' or ';'");
      continue;
    }
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === "") {
      report(lineNo, "missing key name before '='");
      continue;
    }
    const space = key.search(/\s/);
    if (space >= 0) {
      // `bind_password Zz9Secret=Tail` (the '=' forgotten, another one in the password): the text
      // after the first word may be a secret, so only the first word is named.
      report(lineNo, `expected 'key = value': '${key.slice(0, space)}' is followed by more text before '='`);
      continue;
    }
    if (current === undefined) {
      // After a broken header, the header's own problem says it all.
      if (!afterBadHeader) report(lineNo, `key '${key}' is outside any section; add a [section] above it`);
      continue;
    }
    const first = current.entries.get(key);
    if (first) {
      report(lineNo, `duplicate key '${key}' in [${current.name}] (first at line ${first.line})`);
      continue;
    }
    current.entries.set(key, { key, value, line: lineNo });
  }
  return { doc: { file, sections }, problems };
}

/** A header's name (when one can be read) and its problem (when it has one). */
function parseHeader(line: string): { name?: string; problem?: string } {
  const close = line.indexOf("]");
  if (close < 0) return { problem: "section header is missing its closing ']'" };
  const name = line.slice(1, close).trim().toLowerCase();
  if (name === "") return { problem: "empty section name '[]'" };
  if (line.slice(close + 1).trim() !== "") {
    // Still read it as [name], so its keys are checked and not reported as missing.
    return { name, problem: `unexpected text after [${name}]; comments must be on a line of their own` };
  }
  return { name };
}
