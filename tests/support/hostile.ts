/**
 * Hostile text for the terminal-safety tests: what a terminal acts on (escape sequences, C1, bidi
 * controls) mixed with backslashes and ordinary letters, and the check that none reaches output.
 */
import assert from "node:assert/strict";
import fc from "./fastCheck.ts";

// deno-lint-ignore no-control-regex -- the characters a terminal acts on are the point
export const UNSAFE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
// deno-lint-ignore no-control-regex -- the same, except the line feeds between our own lines
export const UNSAFE_IN_LINES = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** Hostile text: escape sequences, C1, bidi, backslashes, next to ordinary letters. */
export const hostile = fc.array(
  fc.oneof(
    fc.constantFrom(
      "\x1b[2J",
      "\x1b]0;pwned\x07",
      "\x9b31m",
      "\x9d0;t\x9c",
      "\u202e",
      "\u2066",
      "\r",
      "\n",
      "\t",
      "\x00",
      "\x7f",
      "\\",
      "\\x1b",
      "\\u202e",
      "\\\\",
      "x",
      "u",
    ),
    fc.constantFrom("a", "Z", " ", "ü", "日", "😀", ",", "="),
    fc.integer({ min: 0, max: 0x2100 }).map((c) => String.fromCharCode(c)),
  ),
  { maxLength: 12 },
).map((parts) => parts.join(""));

/** The property the issue asks for: no ESC, C1 or bidi control reaches the terminal from data. */
export function assertTerminalSafe(text: string): void {
  assert.ok(!UNSAFE_IN_LINES.test(text), JSON.stringify(text));
  const bytes = new TextEncoder().encode(text);
  assert.ok(!bytes.includes(0x1b), "an ESC byte");
}
