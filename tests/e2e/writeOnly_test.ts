/**
 * End to end, a LoginTC whose extensions exist but do not show their values (write-only): -g and
 * attr_phone are written once, remembered in the state directory, and written again only when the
 * directory changes; aliases wait until a user object shows LoginTC keeps them. No scheduled run
 * repeats a write (request log).
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../src/errors.ts";
import { PEOPLE_DN } from "../support/slapdData.ts";
import { describe, runWrites, warnings, withWorld } from "../support/world.ts";

Deno.test("write-only extensions (values not shown): -g and attr_phone written once, remembered, written again only on change", async () => {
  await withWorld({
    users: [
      { uid: "alice", displayName: "Alice", mail: "alice@example.com", telephoneNumber: "+1 555 0101" },
      { uid: "bob", displayName: "Bob", mail: "bob@example.com", telephoneNumber: "+1 555 0102" },
    ],
    ldap: { attr_phone: "telephoneNumber" },
    emulator: { userObject: "public" },
  }, async (w) => {
    const staff = w.emulator.seedGroup("Staff");
    const file = `${w.dir}/written/${w.emulator.domainId}.json`;
    const args = ["-g", "Staff"];
    const phonesAdded = (writes: string[]) => writes.filter((x) => x.endsWith("/phones")).length;
    const groupAdds = (writes: string[]) => writes.filter((x) => x.startsWith("PUT /api/groups/")).length;

    // Run 1 starts from an empty organization: no user object shows whether phones exist, so
    // attr_phone is skipped (exit 5); the groups API answers, so -g is used and remembered.
    const one = await runWrites(w, args);
    assert.equal(one.r.code, ExitCode.UNSUPPORTED, describe(one.r));
    assert.match(warnings(one.r).join("\n"), /^warning: attr_phone: skipped: no user object to look at yet/);
    assert.equal(warnings(one.r).length, 1, describe(one.r));
    assert.equal(groupAdds(one.writes), 2);
    assert.equal(phonesAdded(one.writes), 0);
    const ids = ["alice", "bob"].map((u) => w.user(u)!.id);
    const written = JSON.parse(await Deno.readTextFile(file));
    assert.deepEqual(written.users, { [ids[0]]: { groups: [staff.id] }, [ids[1]]: { groups: [staff.id] } });

    // Run 2: phones' path exists (405) but user objects show none: write-only, added once.
    const two = await runWrites(w, args);
    assert.equal(two.r.code, ExitCode.OK, describe(two.r));
    assert.equal(two.r.stderr, "");
    assert.deepEqual([groupAdds(two.writes), phonesAdded(two.writes)], [0, 2]);
    const three = await runWrites(w, args);
    assert.deepEqual(three.writes, [], describe(three.r));

    // The directory value changes: exactly that write.
    await w.slapd.ldapModify(
      `dn: uid=alice,${PEOPLE_DN}\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: +1 555 0199\n`,
    );
    const four = await runWrites(w, args);
    assert.deepEqual(four.writes, [`POST /api/users/${ids[0]}/phones`], describe(four.r));

    // A dry run reads the file but never writes it.
    await Deno.remove(file);
    const dry = await w.dryRun(args);
    assert.match(
      dry.stdout,
      /^Plan: 0 to create, 0 to update, 0 to add to domain, 2 to add to group, 2 phone\(s\) to add, 0 to remove$/m,
    );
    await assert.rejects(Deno.stat(file), Deno.errors.NotFound);

    // A damaged file: one warning, every remembered write made once more, then quiet again.
    await Deno.writeTextFile(file, "{not json");
    const five = await runWrites(w, args);
    assert.equal(five.r.code, ExitCode.OK, describe(five.r));
    assert.match(
      five.r.stderr,
      /^warning: .*written[\\/][0-9a-f]{40}\.json: not JSON; write-only values \(-g, attr_phone\) are written once more\n$/,
    );
    assert.deepEqual([groupAdds(five.writes), phonesAdded(five.writes)], [2, 2]);
    const six = await runWrites(w, args);
    assert.deepEqual(six.writes, [], describe(six.r));
    assert.equal(six.r.stderr, "");
  });
});

Deno.test("aliases on a first sync from an empty organization: skipped until a user object shows LoginTC keeps them", async () => {
  await withWorld({
    users: [{
      uid: "alice",
      displayName: "Alice",
      mail: "alice@example.com",
      extra: { employeeNumber: "A-1" },
    }],
    ldap: { attr_alias1: "employeeNumber" },
  }, async (w) => {
    const one = await runWrites(w, []);
    assert.equal(one.r.code, ExitCode.UNSUPPORTED, describe(one.r));
    assert.match(one.r.stderr, /^warning: attr_alias1: skipped: no user object to look at yet/);
    assert.equal(w.user("alice")!.alias1, "");
    // The extended LoginTC's user objects carry alias1..3: the next run sets it, then nothing.
    const two = await runWrites(w, []);
    assert.equal(two.r.code, ExitCode.OK, describe(two.r));
    assert.deepEqual(two.writes, [`PUT /api/users/${w.user("alice")!.id}`]);
    assert.equal(w.user("alice")!.alias1, "A-1");
    const three = await runWrites(w, []);
    assert.deepEqual(three.writes, []);
  });
});
