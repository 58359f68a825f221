/**
 * delete_after_days' due date: the UTC date of the first absent run plus N days (months, years and
 * leap days rolled over), due from the start of that date, whatever the time of day of either run.
 */
import assert from "node:assert/strict";
import { deletionDue, isDue, shownDate } from "../../../src/sync/dueDate.ts";

Deno.test("dueDate: the absence's UTC date plus N days, rolled over months, years and leap days", () => {
  assert.equal(deletionDue("2026-03-02T06:00:03.120Z", 30), "2026-04-01");
  assert.equal(deletionDue("2026-03-02T23:59:59.999Z", 30), "2026-04-01");
  assert.equal(deletionDue("2026-12-15T00:00:00.000Z", 30), "2027-01-14");
  assert.equal(deletionDue("2028-02-28T12:00:00.000Z", 1), "2028-02-29");
  assert.equal(deletionDue("2026-02-28T12:00:00.000Z", 1), "2026-03-01");
  assert.equal(deletionDue("2026-01-01T00:00:00.000Z", 3650), "2035-12-30");
});

Deno.test("dueDate: due from the start of the due date (UTC), not a second before", () => {
  assert.equal(isDue("2026-04-01", new Date("2026-03-31T23:59:59.999Z")), false);
  assert.equal(isDue("2026-04-01", new Date("2026-04-01T00:00:00.000Z")), true);
  assert.equal(isDue("2026-04-01", new Date("2026-04-01T06:00:00.000Z")), true);
  assert.equal(isDue("2026-04-01", new Date("2027-01-01T00:00:00.000Z")), true);
  // A daily run at 06:00 that took a few seconds longer the first time still deletes on the date.
  const due = deletionDue("2026-03-02T06:00:09.000Z", 30);
  assert.equal(isDue(due, new Date("2026-04-01T06:00:01.000Z")), true);
  assert.equal(shownDate("2026-03-02T06:00:09.000Z"), "2026-03-02");
});
