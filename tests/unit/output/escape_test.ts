/**
 * Terminal-safe output (src/output/escape.ts): data is shown with its control and bidi characters
 * escaped, unambiguously; the last net over all output; secrets redacted in their escaped form too;
 * JSON with nothing a terminal acts on. Every rendering of data: ./escapedViews_test.ts.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { escapeControls, escapeText, stringifyJson, terminalSafeOutput } from "../../../src/output/escape.ts";
import { REDACTED, redactor } from "../../../src/output/redact.ts";
import { memoryOutput } from "../../support/output.ts";
import { hostile, UNSAFE, UNSAFE_IN_LINES } from "../../support/hostile.ts";

/** Reads escapeText's output back: `\\` → `\`, `\xHH`, `\uHHHH` → the character, other `\` as is. */
function unescape(text: string): string {
  return text.replace(/\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})?/g, (all, esc: string | undefined) => {
    if (esc === undefined) return all;
    if (esc === "\\") return "\\";
    return String.fromCharCode(parseInt(esc.slice(1), 16));
  });
}

Deno.test("escapeText: known forms", () => {
  assert.equal(escapeText("\x1b[2J"), "\\x1b[2J");
  assert.equal(escapeText("a\x9bb"), "a\\x9bb");
  assert.equal(escapeText("evil\u202eexe.txt"), "evil\\u202eexe.txt");
  assert.equal(escapeText("two\nlines\r"), "two\\x0alines\\x0d");
  // A backslash is doubled only where it would read as an escape.
  assert.equal(escapeText("CN=Doe\\, John"), "CN=Doe\\, John");
  assert.equal(escapeText("EXAMPLE\\alice"), "EXAMPLE\\alice");
  assert.equal(escapeText("\\x1b"), "\\\\x1b");
  assert.equal(escapeText("a\\\\b"), "a\\\\\\b");
  assert.equal(escapeText("a\\\x1b"), "a\\\\\\x1b");
  assert.equal(escapeText("end\\"), "end\\");
});

Deno.test("escapeText: plain ASCII and Unicode names are unchanged", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
    fc.pre(!UNSAFE.test(s) && !s.includes("\\"));
    assert.equal(escapeText(s), s);
  }));
  for (const name of ["John Doe", "Jürgen Müller", "田中 太郎", "O'Brien-Smith", "אבי כהן", "😀 👍🏽"]) {
    assert.equal(escapeText(name), name);
  }
});

Deno.test("escapeText: nothing unsafe is left, and the text reads back as the data (unambiguous)", () => {
  fc.assert(
    fc.property(fc.oneof(hostile, fc.string({ unit: "binary" })), (s) => {
      const shown = escapeText(s);
      assert.ok(!UNSAFE.test(shown), JSON.stringify(shown));
      assert.equal(unescape(shown), s);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("escapeControls: idempotent, keeps backslashes, and line feeds only when asked", () => {
  fc.assert(fc.property(hostile, (s) => {
    const once = escapeControls(s);
    assert.equal(escapeControls(once), once);
    assert.ok(!UNSAFE.test(once));
    assert.equal(escapeControls(escapeText(s)), escapeText(s));
    const lines = escapeControls(s, { keepLineBreaks: true });
    assert.ok(!UNSAFE_IN_LINES.test(lines));
    assert.equal(lines.split("\n").length, s.split("\n").length);
  }));
});

Deno.test("terminalSafeOutput: the net keeps our line breaks and escapes what slipped through", () => {
  const mem = memoryOutput();
  const out = terminalSafeOutput(mem);
  out.out("line one\nline \x1b[2Jtwo \\x1b");
  out.err("oops\x9b");
  assert.deepEqual(mem.stdout, ["line one\nline \\x1b[2Jtwo \\x1b"]);
  assert.deepEqual(mem.stderr, ["oops\\x9b"]);
});

Deno.test("redactor also knows a secret's escaped form", () => {
  const redact = redactor(["pa\\x55word\x1b"]);
  assert.equal(redact(`bind ${escapeText("pa\\x55word\x1b")} failed`), `bind ${REDACTED} failed`);
});

Deno.test("stringifyJson: valid JSON of the same value, nothing a terminal acts on", () => {
  fc.assert(
    fc.property(fc.array(hostile, { maxLength: 4 }), (values) => {
      const doc = { values, nested: { name: values[0] ?? "" } };
      const text = stringifyJson(doc, 2);
      assert.deepEqual(JSON.parse(text), doc);
      assert.ok(!UNSAFE_IN_LINES.test(text), text);
      // The safety net leaves it alone (it would break JSON otherwise).
      assert.equal(escapeControls(text, { keepLineBreaks: true }), text);
    }),
    { numRuns: 500 },
  );
});
