/** The Wine exclusion list (tests/support/windows/exclusions.ts): exact names, each in its file, each with a reason. */
import assert from "node:assert/strict";
import { type Exclusion, exclusionFor, WINE_EXCLUSIONS } from "../../../support/windows/exclusions.ts";

Deno.test("exclusions: looked up by exact test name; every entry names a test file and a reason", () => {
  const list: Exclusion[] = [{ file: "a_test.ts", test: "uses (symlinks) $HOME", why: "x" }];
  assert.equal(exclusionFor(list, "uses (symlinks) $HOME")?.file, "a_test.ts");
  assert.equal(exclusionFor(list, "uses (symlinks) $HOME too"), undefined, "a longer name is not excluded");
  assert.equal(exclusionFor(list, "uses"), undefined);
  for (const e of WINE_EXCLUSIONS) {
    assert.ok(e.why.length > 20 && e.file.endsWith("_test.ts"), e.test);
    assert.ok(
      Deno.readTextFileSync(e.file).includes(JSON.stringify(e.test).slice(1, -1)),
      `${e.file} has "${e.test}"`,
    );
  }
});
