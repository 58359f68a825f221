/** The audit trail's change lines (src/report/auditTrail.ts): what each kind of step records. */
import assert from "node:assert/strict";
import { changeLine } from "../../../src/report/auditTrail.ts";
import type { Step } from "../../../src/sync/stepKinds.ts";

const at = { time: new Date("2026-12-02T10:00:00.123Z"), jobId: "a".repeat(40) };

Deno.test("audit: a change line carries the step's values, never its kind or ids twice", () => {
  const update: Step = {
    kind: "updateUser",
    username: "ann",
    userId: "u1",
    changes: { email: { from: "ann@old.example", to: "ann@example.com" } },
  };
  assert.deepEqual(changeLine(update, "done", at), {
    type: "change",
    format: 1,
    time: "2026-12-02T10:00:00.123Z",
    jobId: "a".repeat(40),
    kind: "updateUser",
    action: "update",
    username: "ann",
    userId: "u1",
    values: { changes: { email: { from: "ann@old.example", to: "ann@example.com" } } },
    outcome: "done",
    error: null,
    answer: null,
  });
  const create: Step = { kind: "createUser", username: "bob", name: "Bob", email: "bob@example.com" };
  const failed = changeLine(create, "failed", {
    ...at,
    failure: {
      message: "LoginTC Admin answered … with 400",
      answer: { status: 400, code: "api.error.validation" },
    },
  });
  assert.equal(failed.userId, null);
  assert.deepEqual(failed.values, { name: "Bob", email: "bob@example.com" });
  assert.deepEqual(failed.answer, { status: 400, code: "api.error.validation", message: null });
  // The id the run used (a create's new id, for the user's later steps) wins over none.
  const join: Step = { kind: "addToDomain", username: "bob" };
  assert.equal(changeLine(join, "unknown", { ...at, userId: "u2" }).userId, "u2");
  assert.deepEqual(changeLine(join, "unknown", at).values, {});
  const group: Step = {
    kind: "addToGroup",
    username: "bob",
    userId: "u2",
    groupId: "g1",
    groupName: "Sales",
  };
  assert.deepEqual(changeLine(group, "done", at).values, { groupId: "g1", groupName: "Sales" });
});
