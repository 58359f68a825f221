import assert from "node:assert/strict";
import { REDACTED, redactingOutput, redactor } from "../../../src/output/redact.ts";
import { memoryOutput } from "../../support/output.ts";

Deno.test("redactor replaces every secret, longest first, and its URL-encoded form", () => {
  const redact = redactor(["ab#c;d", "ab#c;d-longer", undefined, "p@ss word"]);
  assert.equal(redact("bind ab#c;d-longer failed"), `bind ${REDACTED} failed`);
  assert.equal(redact("x ab#c;d y ab#c;d"), `x ${REDACTED} y ${REDACTED}`);
  assert.equal(redact("http://u:p%40ss%20word@proxy"), `http://u:${REDACTED}@proxy`);
});

Deno.test("redactor leaves very short secrets alone rather than garbling output", () => {
  const redact = redactor(["a", ""]);
  assert.equal(redact("a banana"), "a banana");
});

Deno.test("redactingOutput filters both streams and keeps isTerminal", () => {
  const mem = memoryOutput(true);
  const out = redactingOutput(mem, redactor(["s3cret!"]));
  out.out("key s3cret!");
  out.err("err s3cret!");
  assert.deepEqual(mem.stdout, [`key ${REDACTED}`]);
  assert.deepEqual(mem.stderr, [`err ${REDACTED}`]);
  assert.equal(out.isTerminal, true);
});
