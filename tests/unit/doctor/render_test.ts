/** The doctor's report as text (src/doctor/render.ts). */
import assert from "node:assert/strict";
import { renderCheck, renderSummary } from "../../../src/doctor/render.ts";

Deno.test("render: one line per check, continuation and fix aligned under the detail, controls escaped", () => {
  assert.equal(
    renderCheck({
      id: "ldap.sample",
      status: "warn",
      detail: "1 of 2\nbob\x1b[31m: MISSING",
      fix: "give -e",
    }),
    [
      "warn  ldap.sample         1 of 2",
      "                            bob\\x1b[31m: MISSING",
      "                          fix: give -e",
    ].join("\n"),
  );
  assert.equal(
    renderCheck({ id: "ldap.bind", status: "ok", detail: "bound", fix: null }),
    "ok    ldap.bind           bound",
  );
  assert.equal(
    renderSummary([
      { id: "a.b", status: "ok", detail: "", fix: null },
      { id: "a.c", status: "FAIL", detail: "", fix: "f" },
      { id: "a.d", status: "skip", detail: "", fix: null },
    ]),
    "Doctor: 3 check(s): 1 ok, 0 warn, 1 FAIL, 1 skipped. Fix the first FAIL first: later ones often follow from it.",
  );
});
