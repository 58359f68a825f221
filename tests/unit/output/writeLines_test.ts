/**
 * writeLines: big text goes to the Output in batches of lines, with exactly the bytes one out()
 * of the joined text would write (each out() call ends with a newline).
 */
import assert from "node:assert/strict";
import { memoryOutput } from "../../support/output.ts";
import { REDACTED, redactingOutput, redactor } from "../../../src/output/redact.ts";
import { writeLines } from "../../../src/output/writeLines.ts";

/** What a terminal or pipe receives: every out() text plus its newline. */
const bytes = (stdout: string[]) => stdout.map((t) => t + "\n").join("");
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);

Deno.test("writeLines: one out() per batch, the same bytes as one out() of the joined lines", () => {
  for (
    const [n, batch, calls] of [[2500, 1000, 3], [2000, 1000, 2], [999, 1000, 1], [3, 1, 3], [1, 1000, 1]]
  ) {
    const lines = numbered(n);
    const output = memoryOutput();
    writeLines(output, lines, batch);
    assert.equal(output.stdout.length, calls, `${n} lines, batch ${batch}`);
    assert.equal(bytes(output.stdout), lines.join("\n") + "\n", `${n} lines, batch ${batch}`);
    assert.deepEqual(output.stderr, []);
  }
  const output = memoryOutput();
  writeLines(output, numbered(2500), 1000);
  assert.deepEqual(output.stdout.map((t) => t.split("\n").length), [1000, 1000, 500]);
});

Deno.test("writeLines: no lines write one empty line, as out('') of the empty join would", () => {
  const output = memoryOutput();
  writeLines(output, []);
  assert.deepEqual(output.stdout, [""]);
});

Deno.test("writeLines: empty lines and lines of spaces survive the batch joins", () => {
  const lines = ["", "a", "", "", " ", "b", ""];
  for (const batch of [1, 2, 3, 7, 100]) {
    const output = memoryOutput();
    writeLines(output, lines, batch);
    assert.equal(bytes(output.stdout), lines.join("\n") + "\n", `batch ${batch}`);
  }
});

Deno.test("writeLines: pulls lines as it writes (a generator is never drained into memory first)", () => {
  const output = memoryOutput();
  const writtenWhenYielding: number[] = [];
  function* gen() {
    for (let i = 0; i < 10; i++) {
      writtenWhenYielding.push(output.stdout.length);
      yield `l${i}`;
    }
  }
  writeLines(output, gen(), 4);
  assert.deepEqual(writtenWhenYielding, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
  assert.deepEqual(output.stdout, ["l0\nl1\nl2\nl3", "l4\nl5\nl6\nl7", "l8\nl9"]);
});

Deno.test("writeLines: through the redacting Output, every batch is redacted", () => {
  const inner = memoryOutput();
  const output = redactingOutput(inner, redactor(["s3cret-key"]));
  const lines = Array.from({ length: 25 }, (_, i) => `row ${i} s3cret-key`);
  writeLines(output, lines, 10);
  assert.equal(inner.stdout.length, 3);
  assert.equal(bytes(inner.stdout), lines.map((l) => l.replace("s3cret-key", REDACTED)).join("\n") + "\n");
});
