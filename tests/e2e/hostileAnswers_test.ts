/**
 * Hostile LoginTC answers, end to end (issue 21, item 7): the real CLI against slapd and the emulator
 * answering what a hostile or broken server might.
 *
 * The attacks, reproduced: (1) a domain member whose id is `..`: its removal became
 * `DELETE /api/domains/<id>/` (the URL parser drops the dot-segment), and with `-m delete`
 * `DELETE /api/users/..` became `DELETE /api/`; (2) a body far larger than any LoginTC answer was read
 * whole into memory, on every retry.
 */
import assert from "node:assert/strict";
import { describe, withWorld } from "../support/world.ts";

const USERS = [{ uid: "alice", displayName: "Alice", mail: "alice@example.com" }];

Deno.test("hostile answers: a member id of '..' refuses the read; nothing written, nobody removed", async () => {
  await withWorld({ users: USERS }, async (w) => {
    const listing = `/domains/${w.emulator.domainId}/users`;
    for (const mode of ["remove", "delete"]) {
      // Page 1 of the member listing holds one member with id ".." (page 2, from the emulator, is empty).
      w.emulator.addFault({
        method: "GET",
        path: listing,
        times: 1,
        status: 200,
        body: JSON.stringify([{ id: "..", username: "mallory", email: "m@example.com", name: "M" }]),
      });
      const before = w.emulator.requests.length;
      const r = await w.run(["-m", mode, "-r", "5"]);
      assert.equal(r.code, 1, describe(r));
      assert.deepEqual(w.writesSince(before), [], `-m ${mode}: nothing written`);
      assert.equal(
        r.stderr.trim(),
        `error: LoginTC Admin answered GET /api${listing}?page=1 with 200 but user "mallory" has an id that ` +
          'is not 1–64 letters and digits ("..")',
      );
      w.emulator.clearFaults();
    }
  });
});

Deno.test("hostile answers: a body past 16 MiB is read no further and not retried", async () => {
  await withWorld({ users: USERS }, async (w) => {
    const listing = `/domains/${w.emulator.domainId}/users`;
    w.emulator.addFault({
      method: "GET",
      path: listing,
      status: 200,
      body: `[${" ".repeat(20 * 1024 * 1024)}]`,
    });
    const before = w.emulator.requests.length;
    const r = await w.run(["-d"]);
    assert.equal(r.code, 1, describe(r));
    assert.equal(
      r.stderr.trim(),
      `error: LoginTC Admin answered GET /api${listing}?page=1 with 200 and a body over 16 MiB; stopped reading ` +
        "it (no LoginTC answer is that large: check host in [logintc] and what answers there)",
    );
    const asked = w.emulator.requests.slice(before).filter((q) => q.path === `/api${listing}`);
    assert.equal(asked.length, 1, "asked once, not retried");
  });
});
