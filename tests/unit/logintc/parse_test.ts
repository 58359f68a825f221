/** Reading LoginTC's answers (src/logintc/parse.ts): ids are what LoginTC issues, or the answer is refused. */
import assert from "node:assert/strict";
import { toDomain, toGroup, toPage, toUser } from "../../../src/logintc/parse.ts";

const HEX = "0123456789abcdef0123456789abcdef01234567";

Deno.test("parse: a user, group or domain id that is not letters and digits refuses the answer", () => {
  assert.deepEqual(toUser({ id: HEX, username: "a" }), { ok: true, value: { id: HEX, username: "a" } });
  assert.equal(toUser({ id: "U1x", username: "a" }).ok, true, "letters and digits of any case");
  for (const id of ["..", ".", "a/b", "a b", "%2e%2e", "x".repeat(65), "\u0430bc"]) {
    const p = toUser({ id, username: "mallory" });
    assert.equal(p.ok, false, id);
    assert.match(!p.ok ? p.problem : "", /^user "mallory" has an id that is not 1–64 letters and digits \(/);
  }
  const long = toUser({ id: "/".repeat(1_000_000), username: "m" });
  assert.ok(!long.ok && long.problem.length < 200, "a huge id is not quoted whole");
  const ctl = toUser({ id: "a\x1b[2Jb", username: "m" });
  assert.ok(!ctl.ok && ctl.problem.includes("\\x1b[2J") && !ctl.problem.includes("\x1b"), "shown escaped");
  assert.match(
    (toUser({ id: 42, username: "m" }) as { problem: string }).problem,
    /user has no id or username/,
  );
  assert.equal(toGroup({ id: "..", name: "Staff" }).ok, false);
  assert.equal(toDomain({ id: "../x", name: "D" }).ok, false);
  // One bad member spoils the page: nothing is planned from it.
  const page = toPage([{ id: HEX, username: "a" }, { id: "..", username: "b" }], toUser);
  assert.equal(page.ok, false);
});
