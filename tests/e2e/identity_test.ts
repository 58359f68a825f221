/**
 * End to end, who is who (docs/operations.md, "Identity"), against OpenLDAP's entryUUID and the
 * emulator in both API modes:
 * - a reused username: the plan shows the reassignment with both anchors → a run withholds it with the
 *   removals (exit 3, the account untouched) → allowed, the previous person's token, bypass codes and
 *   hardware token are gone, the new person has a token per -t → the plan shows nothing to do;
 * - a rename: the plan pairs the leaver with the new user → -m remove makes the pair one removal →
 *   nothing to do.
 */
import assert from "node:assert/strict";
import { ExitCode } from "../../src/errors.ts";
import { reportSchema, validate } from "../support/jsonSchema.ts";
import { PEOPLE_DN } from "../support/slapdData.ts";
import { describe, jobIdOf, NOTHING_TO_DO, withWorld } from "../support/world.ts";

const schema = await reportSchema();
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

for (const api of ["extended", "public"] as const) {
  Deno.test(`identity (${api} API): a reused username — shown, withheld, then reassigned; the old person's factors are gone`, async () => {
    await withWorld({
      users: [{ uid: "jdoe", cn: "John Doe", displayName: "John Doe", mail: "john@example.com" }],
      emulator: { api },
    }, async (w) => {
      const t = ["-t", "issue_token_with_email"];
      const one = await w.run(t);
      assert.equal(one.code, ExitCode.OK, describe(one));
      const john = w.user("jdoe")!;
      w.emulator.activateToken(w.emulator.domainId, john.id);
      w.emulator.setSecondFactors(john.id, { bypasscodes: ["12345678"], hardware: "HW-0001" });
      const ledger = JSON.parse(await Deno.readTextFile(`${w.dir}/ledger/${w.emulator.domainId}.json`));
      assert.equal(ledger.anchorAttribute, "entryUUID");
      const oldAnchor: string = ledger.users[0].anchor;
      assert.match(oldAnchor, new RegExp(`^${UUID}$`));

      // John leaves; months later Jane is given the username jdoe: a new entry, a new entryUUID.
      await w.slapd.ldapModify(`dn: uid=jdoe,${PEOPLE_DN}\nchangetype: delete\n`);
      await w.slapd.ldapModify(
        `dn: uid=jdoe,${PEOPLE_DN}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: jdoe\ncn: Jane Roe\n` +
          `sn: Roe\ndisplayName: Jane Roe\nmail: jane@example.com\n`,
      );

      // The plan as a run with -r 0 (the default) would make it: withheld, with both anchors.
      const dry = await w.dryRun(t);
      assert.match(dry.stdout, /^Reassignments and renames:$/m);
      const withheld = new RegExp(
        `^\\| jdoe +\\| reassign \\| entryUUID ${oldAnchor} → (${UUID}): WITHHELD, the account is not changed +\\|$`,
        "m",
      );
      const newAnchor = withheld.exec(dry.stdout)?.[1];
      assert.ok(newAnchor && newAnchor !== oldAnchor, dry.stdout);
      assert.match(
        dry.stdout,
        /^Plan: 0 to create, 0 to update, 0 to add to domain, 0 to remove, 0 to reassign \(1 withheld\)$/m,
      );
      assert.equal((await w.run(["--check", ...t])).code, ExitCode.GUARD);

      // With -r 1 it would be made: the revocations first, then Jane's name, email and token.
      const allowed = await w.dryRun([...t, "-r", "1"]);
      assert.match(
        allowed.stdout,
        new RegExp(
          `^\\| jdoe +\\| reassign \\| entryUUID ${oldAnchor} → ${newAnchor}: the previous person's token, bypass ` +
            `codes and hardware token revoked +\\|$`,
          "m",
        ),
      );
      assert.match(
        allowed.stdout,
        /^Plan: 0 to create, 1 to update, 0 to add to domain, 1 token\(s\) to issue, 0 to remove, 1 to reassign$/m,
      );
      const json = await w.run(["-d", "--json", "-r", "1", ...t]);
      const report = JSON.parse(json.stdout);
      assert.deepEqual(validate(schema, report), [], json.stdout);
      assert.deepEqual(report.directory.anchor, { attribute: "entryUUID", from: "server", missing: 0 });
      assert.deepEqual(report.plan.steps[0], {
        kind: "reassignUser",
        username: "jdoe",
        userId: john.id,
        attribute: "entryUUID",
        from: oldAnchor,
        to: newAnchor,
        member: true,
        otherDomains: [],
      });
      assert.equal((await w.run(["--check", "-r", "1", ...t])).code, ExitCode.PENDING);

      // -r 0 (the default): withheld with the removals; the account keeps John's name and factors.
      const held = await w.run(t);
      assert.equal(held.code, ExitCode.GUARD, describe(held));
      assert.ok(
        held.stderr.includes(`jdoe (entryUUID ${oldAnchor} → ${newAnchor})`),
        describe(held),
      );
      assert.equal(w.user("jdoe")!.name, "John Doe");
      assert.equal(w.emulator.token(w.emulator.domainId, john.id)?.state, "active");
      assert.deepEqual(w.emulator.secondFactors(john.id), { bypasscodes: ["12345678"], hardware: "HW-0001" });

      // Allowed: revoked, renamed, and a new token for Jane.
      const before = w.emulator.requests.length;
      const done = await w.run([...t, "-r", "1"]);
      assert.equal(done.code, ExitCode.OK, describe(done));
      const writes = w.writesSince(before);
      assert.deepEqual(writes.slice(0, 3), [
        `DELETE /api/domains/${w.emulator.domainId}/users/${john.id}/token`,
        `DELETE /api/users/${john.id}/bypasscodes`,
        `DELETE /api/users/${john.id}/hardware`,
      ]);
      const jane = w.user("jdoe")!;
      assert.equal(jane.id, john.id);
      assert.deepEqual([jane.name, jane.email], ["Jane Roe", "jane@example.com"]);
      assert.equal(w.emulator.token(w.emulator.domainId, jane.id)?.state, "pending");
      assert.deepEqual(w.emulator.secondFactors(jane.id), { bypasscodes: [], hardware: "" });
      assert.deepEqual(w.emulator.activationEmails.map((e) => e.email), [
        "john@example.com",
        "jane@example.com",
      ]);
      const job = await w.run(["-j", jobIdOf(done.stdout)]);
      assert.match(
        job.stdout,
        new RegExp(`^Job Reassigned: 1\\n  jdoe reassign: entryUUID ${oldAnchor} → ${newAnchor}$`, "m"),
      );
      const after = JSON.parse(await Deno.readTextFile(`${w.dir}/ledger/${w.emulator.domainId}.json`));
      assert.equal(after.users[0].anchor, newAnchor);

      const last = await w.dryRun(t);
      assert.ok(last.stdout.includes(NOTHING_TO_DO), last.stdout);
    });
  });
}

Deno.test("identity: a rename is one person — paired in the plan, --json and -j; -m remove makes it one removal", async () => {
  await withWorld({
    users: [{ uid: "jdoe", cn: "J Doe", displayName: "J Doe", mail: "jdoe@example.com" }],
  }, async (w) => {
    assert.equal((await w.run([])).code, ExitCode.OK);
    await w.slapd.ldapModify(
      `dn: uid=jdoe,${PEOPLE_DN}\nchangetype: modrdn\nnewrdn: uid=jsmith\ndeleteoldrdn: 1\n`,
    );

    const dry = await w.dryRun(["-m", "remove", "-r", "1"]);
    assert.match(
      dry.stdout,
      new RegExp(
        `^\\| jdoe → jsmith \\| rename +\\| entryUUID ${UUID}: jsmith is added as a new user \\(LoginTC cannot ` +
          `rename one\\); jdoe is removed from the domain \\|$`,
        "m",
      ),
    );
    const json = JSON.parse((await w.run(["-d", "--json", "-m", "remove", "-r", "1"])).stdout);
    assert.deepEqual(validate(schema, json), []);
    assert.deepEqual(json.plan.renames.map((r: { from: string; to: string }) => `${r.from} → ${r.to}`), [
      "jdoe → jsmith",
    ]);
    assert.equal(json.plan.counts.removeFromDomain, 1);
    // The pair is one removal: -r 0 withholds exactly it.
    const held = await w.run(["-d", "-m", "remove"]);
    assert.match(held.stdout, /jdoe stays: its removal is withheld/);
    assert.match(
      held.stdout,
      /^Plan: 1 to create, 0 to update, 1 to add to domain, 0 to remove \(1 withheld\)$/m,
    );

    const done = await w.run(["-m", "remove", "-r", "1"]);
    assert.equal(done.code, ExitCode.OK, describe(done));
    assert.deepEqual(w.memberNames(), ["jsmith"]);
    const job = await w.run(["-j", jobIdOf(done.stdout)]);
    assert.match(job.stdout, /^Job Renamed: 1\n {2}jdoe → jsmith$/m);
    const last = await w.dryRun(["-m", "remove"]);
    assert.ok(last.stdout.includes(NOTHING_TO_DO), last.stdout);
  });
});
