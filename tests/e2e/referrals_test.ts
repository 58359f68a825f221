/**
 * Referrals through the real CLI: the directory is split over two slapd servers (A refers to B for part
 * of ou=people); over LDAPS, with one ca_file trusting both. The e2e idiom — dry run shows the plan with
 * `Followed N referral(s)` after the table → sync → dry run has nothing to do — then a referral that
 * cannot be followed: exit 1, its URL on stderr, nothing written to LoginTC; with -i the read proceeds.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PEOPLE_DN } from "../support/slapdData.ts";
import { deleteLdif, referralLdif } from "../support/ldif.ts";
import { describe, NOTHING_TO_DO, startE2eSlapd, withWorld } from "../support/world.ts";

Deno.test("e2e: referrals followed by default; a broken one stops the run, -i skips it", async () => {
  const b = await startE2eSlapd({
    users: [{ uid: "bert", cn: "Bert", displayName: "Bert B", mail: "bert@example.com" }],
  });
  try {
    await withWorld({
      users: [{ uid: "anna", cn: "Anna", displayName: "Anna A", mail: "anna@example.com" }],
    }, async (w) => {
      const a = w.slapd;
      const caFile = join(w.dir, "both-cas.pem");
      await Deno.writeTextFile(caFile, a.pki.caPem + b.pki.caPem);
      const config = await w.writeConfig("split.cfg", { ldap: { ca_file: caFile } });
      const east = `ou=east,${PEOPLE_DN}`;
      await a.ldapModify(referralLdif(east, `ldaps://127.0.0.1:${b.ldapsPort}/${PEOPLE_DN}`));

      const dry = await w.dryRun([], { config });
      const lines = dry.stdout.split("\n");
      assert.equal(lines[1], "Fetched 2 user(s)", dry.stdout);
      assert.ok(lines.includes("| bert     | Bert B | bert@example.com |"), dry.stdout);
      const followed = lines.indexOf("Followed 1 referral(s)");
      assert.ok(followed > 0, dry.stdout);
      assert.match(lines[followed - 1], /^\+-+\+/, "right after the users table");
      assert.match(lines[followed + 1], /^Plan: 2 to create, 0 to update, 2 to add to domain, 0 to remove$/);

      const sync = await w.run([], { config });
      assert.equal(sync.code, 0, describe(sync));
      assert.deepEqual(w.memberNames(), ["anna", "bert"]);
      assert.match((await w.dryRun([], { config })).stdout, new RegExp(NOTHING_TO_DO));

      // B goes away: the referral cannot be followed. Nothing may be removed on that read.
      await a.ldapModify(deleteLdif(east));
      const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const closed = (l.addr as Deno.NetAddr).port;
      l.close();
      const dead = `ldaps://127.0.0.1:${closed}/${PEOPLE_DN}`;
      await a.ldapModify(referralLdif(east, dead));
      const before = w.emulator.requests.length;
      const failed = await w.run(["-m", "delete"], { config });
      assert.equal(failed.code, 1, describe(failed));
      assert.equal(failed.stdout, "Fetching users...\n");
      assert.match(
        failed.stderr,
        new RegExp(`LDAP referral "${dead.replaceAll(".", "\\.")}[^"]*" could not`),
      );
      assert.match(failed.stderr, /-i \(--ignore-referral\)/);
      assert.match(failed.stderr, /3268/);
      assert.deepEqual(w.writesSince(before), []);
      assert.deepEqual(w.memberNames(), ["anna", "bert"]);

      // -i: today's behaviour — counted after the table, the rest of the read used.
      const ignored = await w.dryRun(["-i"], { config });
      assert.match(ignored.stdout, /^Ignored 1 referral\(s\) \(-i\)$/m);
      assert.doesNotMatch(ignored.stdout, /^Followed/m);
      assert.match(ignored.stdout, new RegExp(NOTHING_TO_DO)); // add_only: bert is kept
    });
  } finally {
    await b.stop();
  }
});
