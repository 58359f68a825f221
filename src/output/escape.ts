/**
 * Terminal-safe text: the one place that decides how data from the directory or LoginTC is shown.
 *
 * A directory value is written by whoever can edit that entry, and a terminal acts on control
 * characters: `ESC [ 2 J` clears the screen, `ESC ] 0 ; … BEL` sets the window title, the C1 byte
 * 0x9b is a one-byte CSI (ECMA-48 §5.3), and the Unicode bidi embedding/override/isolate controls
 * (Unicode UAX #9 §2) reorder what follows so a name reads differently from what it is. Shown to an
 * admin approving a plan, any of those can hide or fake what is about to happen.
 *
 * So every such character is written as an escape: `\xHH` for C0, DEL and C1 (`\x1b`), `\uHHHH` for
 * the bidi controls (`\u202e`). A backslash stays a backslash (AD DNs are full of `\,`), except where
 * it would read as the start of an escape: before `\`, `x` or `u` (or before an escaped character)
 * it is doubled. So the printed text decodes one way only — `\\` is a backslash, `\x1b` an escape
 * character, `\x1b` in the data prints as `\\x1b` — and plain ASCII and Unicode names print as they
 * are. Column widths are measured on the escaped text, because that is what is printed.
 *
 * Values sent to LoginTC are never escaped: this is for what a person reads.
 *
 * Where it happens: a raw value (a username, a name, a DN held in a record) is escaped where it is
 * rendered (tables, job lines); a message (an error's text, a skip reason, a notice) is text for
 * people already, so the values in it are escaped when it is built, exactly once (escapeText is not
 * idempotent: that is what keeps it unambiguous). Every line written then passes escapeControls,
 * which catches what a library put in a message unescaped.
 */

import { mapOutput, type Output } from "./output.ts";

/** C0, DEL, C1, and the bidi controls U+202A–U+202E and U+2066–U+2069. */
const UNSAFE_CLASS = "\\x00-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069";
const UNSAFE = new RegExp(`[${UNSAFE_CLASS}]`);
/** What escapeText rewrites: unsafe characters, and backslashes that would read as an escape. */
const ESCAPED = new RegExp(`[${UNSAFE_CLASS}]|\\\\(?=[\\\\xu${UNSAFE_CLASS}])`, "g");
/** A quick first test (a plain character class): most values hold none of these, nor a backslash. */
const MAYBE_ESCAPE = new RegExp(`[${UNSAFE_CLASS}\\\\]`);
/** The safety net's set: unsafe characters except the line feed that separates our own lines. */
const UNSAFE_BUT_LF = new RegExp(`(?!\\n)[${UNSAFE_CLASS}]`, "g");

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * One value (a username, a name, a server's message) as it may be printed: no control character,
 * no bidi control, and unambiguous (see above). Text without any of them is returned unchanged.
 */
export function escapeText(value: string): string {
  if (!MAYBE_ESCAPE.test(value)) return value;
  return value.replace(ESCAPED, (c) => c === "\\" ? "\\\\" : escapeChar(c));
}

/** Every character past ASCII, control characters, and backslashes that would read as an escape. */
const PAST_ASCII = new RegExp(`[\\x00-\\x1f\\x7f-\\uffff]|\\\\(?=[\\\\xu\\x00-\\x1f\\x7f-\\uffff])`, "g");

/**
 * escapeText, and every character past ASCII written as its code point too (`\u212aelvin`): for
 * usernames that differ only in how they look (src/usernames.ts), where the admin must see the
 * difference. Decodes one way, as escapeText does.
 */
export function escapeNonAscii(value: string): string {
  return value.replace(PAST_ASCII, (c) => c === "\\" ? "\\\\" : escapeChar(c));
}

/** True when `text` holds a character a terminal could act on (what escapeText rewrites, not `\`). */
export function hasUnsafe(text: string): boolean {
  return UNSAFE.test(text);
}

const UNSAFE_ALL = new RegExp(`[${UNSAFE_CLASS}]`, "g");

/**
 * For text that may already hold escapes made by escapeText (a message, a skip reason): backslashes
 * are left alone and only control and bidi characters are escaped, so applying it again changes
 * nothing. With `keepLineBreaks` (the safety net at the output boundary, src/output/output.ts) our
 * own line feeds stay; in a table cell they are escaped too.
 */
export function escapeControls(text: string, options: { keepLineBreaks?: boolean } = {}): string {
  if (!hasUnsafe(text)) return text;
  return text.replace(options.keepLineBreaks ? UNSAFE_BUT_LF : UNSAFE_ALL, escapeChar);
}

/** What JSON.stringify leaves raw but a terminal acts on: DEL, C1 and the bidi controls. */
const JSON_UNSAFE = /[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON.stringify with every character a terminal could act on escaped. JSON.stringify escapes C0
 * itself (ECMA-262 QuoteJSONString) but leaves DEL, C1 and the bidi controls raw; they become
 * `\u009b` etc., which any JSON reader decodes back to the same value, and the safety net below
 * then has nothing to rewrite (its `\x9b` would not be valid JSON).
 */
export function stringifyJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    JSON_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * The safety net around the process's real output (main.ts): every line passes escapeControls, so
 * nothing written can carry a control sequence, whatever a library put in a message.
 */
export function terminalSafeOutput(output: Output): Output {
  return mapOutput(output, (text) => escapeControls(text, { keepLineBreaks: true }));
}
