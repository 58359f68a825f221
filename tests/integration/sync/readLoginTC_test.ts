/**
 * Reading LoginTC for a sync against the emulator: the domain checked first, the members listed
 * page by page, each directory user not among them looked up once, the -g group found.
 */
import assert from "node:assert/strict";
import { LoginTCError } from "../../../src/errors.ts";
import { readLoginTC } from "../../../src/sync/readLoginTC.ts";
import { readState, withClient } from "../../support/emulated.ts";
import { dirUser } from "../../support/syncModel.ts";

Deno.test("readLoginTC: wrong domain fails first; group matched case-insensitively or named when missing", async () => {
  await withClient({ pageSize: 2 }, async (emu, api) => {
    emu.seedGroup("Sales");
    emu.seedUser({ username: "m1", name: "M1", email: "m1@x.com" });
    emu.seedUser({ username: "m2", name: "M2", email: "m2@x.com" });
    emu.seedUser({ username: "m3", name: "M3", email: "m3@x.com" });
    emu.seedUser({ username: "Org", name: "Org", email: "org@x.com", domains: [] });
    const dir = [dirUser("M1"), dirUser("org"), dirUser("ORG"), dirUser("absent")];

    await assert.rejects(readLoginTC(api, "f".repeat(40), dir, {}), LoginTCError);
    assert.equal(emu.requests.length, 1, "nothing else is read after the domain check fails");

    await assert.rejects(
      readState(api, emu, dir, "Marketing"),
      (e) => e instanceof LoginTCError && e.message === `group "Marketing" not found in LoginTC Admin`,
    );

    emu.requests.length = 0;
    const state = await readState(api, emu, dir, "SALES", 2);
    assert.equal(state.group?.name, "Sales");
    assert.deepEqual(state.members.map((u) => u.username).sort(), ["m1", "m2", "m3"]);
    assert.deepEqual(state.orgUsers.map((u) => u.username), ["Org"]);
    // One lookup per directory user not among the members (org/ORG asked once).
    const lookups = emu.requests.filter((r) => r.path === "/api/users" && r.query.username !== undefined);
    assert.deepEqual(lookups.map((r) => r.query.username).sort(), ["absent", "org"]);
  });
});
