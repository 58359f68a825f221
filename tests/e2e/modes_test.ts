/**
 * End to end, the real CLI against slapd + the LoginTC emulator: every -m sync mode × every -t
 * token mode (state, tokens, activation emails), usernames that differ only in case, and a dry
 * run that only reads. Each case: dry run shows the plan → sync → dry run shows "Nothing to do".
 * The removal guards (-r, an empty read): ./guards_test.ts.
 */
import assert from "node:assert/strict";
import type { Slapd } from "../support/slapd.ts";
import { describe, NOTHING_TO_DO, PEOPLE, startE2eSlapd, withWorld, type World } from "../support/world.ts";

/**
 * LoginTC before the sync: dave is a member with an active token; carol is in the organization
 * but not the domain; erin is a member the directory no longer has; frank is in the
 * organization only and not in the directory (no mode touches him).
 */
function seed(w: World): void {
  w.emulator.seedUser({ username: "dave", name: "Dave Davis", email: "dave@example.com", token: "active" });
  w.emulator.seedUser({ username: "carol", name: "Carol Clark", email: "carol@example.com", domains: [] });
  w.emulator.seedUser({ username: "erin", name: "Erin Evans", email: "erin@example.com", token: "active" });
  w.emulator.seedUser({ username: "frank", name: "Frank Fox", email: "frank@example.com", domains: [] });
}

const MODES = ["add_only", "remove", "delete"] as const;
const TOKEN_MODES = ["do_not_issue_token", "issue_token_with_email", "issue_token_without_email"] as const;

Deno.test("each sync mode × each token mode", async (t) => {
  const slapd = await startE2eSlapd({ users: PEOPLE });
  try {
    for (const mode of MODES) {
      // The three token modes of a mode run side by side (each has its own emulator and state
      // directory; slapd is only read): the CLI's start-up time dominates.
      await t.step(`-m ${mode} × ${TOKEN_MODES.join(", ")}`, async () => {
        const outcomes = await Promise.allSettled(TOKEN_MODES.map((tm) => modeCase(slapd, mode, tm)));
        const failures = outcomes.flatMap((o, i) =>
          o.status === "rejected" ? [`-m ${mode} -t ${TOKEN_MODES[i]}: ${o.reason?.stack ?? o.reason}`] : []
        );
        assert.deepEqual(failures, []);
      });
    }
  } finally {
    await slapd.stop();
  }
});

async function modeCase(slapd: Slapd, mode: typeof MODES[number], tokenMode: typeof TOKEN_MODES[number]) {
  await withWorld({ slapd }, async (w) => {
    seed(w);
    const args = ["-m", mode, "-t", tokenMode, "-r", "1"];
    const removes = mode !== "add_only";
    const tokens = tokenMode !== "do_not_issue_token";
    const erinId = w.user("erin")!.id;
    const daveId = w.user("dave")!.id;

    const dry = await w.dryRun(args);
    const expectedPlan = "Plan: 2 to create, 0 to update, 3 to add to domain, " +
      (tokens ? "3 token(s) to issue, " : "") + `${removes ? 1 : 0} to remove`;
    assert.ok(dry.stdout.split("\n").includes(expectedPlan), describe(dry));
    assert.match(dry.stdout, /^\| carol +\| add to domain +\| already in the organization +\|$/m);
    if (mode === "remove") assert.match(dry.stdout, /^\| erin +\| remove from domain +\|/m);
    if (mode === "delete") assert.match(dry.stdout, /^\| erin +\| delete user +\|/m);
    if (tokens) {
      const detail = tokenMode === "issue_token_with_email" ? "token \\(email\\)" : "token \\(no email\\)";
      assert.match(dry.stdout, new RegExp(`^\\| alice +\\| issue token +\\| ${detail} +\\|$`, "m"));
    }

    const sync = await w.run(args);
    assert.equal(sync.code, 0, describe(sync));
    if (tokenMode === "issue_token_without_email") {
      // Tried, and said every run: no GET can show whether LoginTC honours {"sendEmail": false}.
      assert.match(sync.stderr, /^warning: -t issue_token_without_email: cannot be verified: [^\n]*\n$/);
    } else assert.equal(sync.stderr, "");
    const total = 2 + 3 + (tokens ? 3 : 0) + (removes ? 1 : 0);
    assert.match(
      sync.stdout,
      new RegExp(
        `^Status: Completed\\. Completed ${total} of ${total} action\\(s\\) \\(approx\\.\\)\\.$`,
        "m",
      ),
    );
    assert.match(sync.stdout, /^Job completed successfully\.$/m);

    // Members, and who still exists in the organization.
    const expectedMembers = ["alice", "bob", "carol", "dave", ...(removes ? [] : ["erin"])];
    assert.deepEqual(w.memberNames(), expectedMembers);
    const everyone = w.emulator.users().map((u) => u.username);
    assert.deepEqual(everyone, [
      "alice",
      "bob",
      "carol",
      "dave",
      ...(mode === "delete" ? [] : ["erin"]),
      "frank",
    ]);
    // remove revokes the token of the user it takes out; add_only leaves it.
    if (mode === "add_only") {
      assert.deepEqual(w.emulator.token(w.emulator.domainId, erinId), { state: "active" });
    }
    if (mode === "remove") assert.equal(w.emulator.token(w.emulator.domainId, erinId), undefined);
    assert.equal(w.user("frank")!.domains?.length, 0);

    // Tokens: only for users this run added to the domain; dave keeps his active one.
    for (const name of ["alice", "bob", "carol"]) {
      const token = w.emulator.token(w.emulator.domainId, w.user(name)!.id);
      if (tokens) assert.equal(token?.state, "pending", `${name}'s token`);
      else assert.equal(token, undefined, `${name} has no token`);
    }
    assert.deepEqual(w.emulator.token(w.emulator.domainId, daveId), { state: "active" });
    const emailed = w.emulator.activationEmails.map((e) => e.username).sort();
    assert.deepEqual(emailed, tokenMode === "issue_token_with_email" ? ["alice", "bob", "carol"] : []);
    if (tokenMode === "issue_token_with_email") {
      assert.deepEqual(w.emulator.activationEmails.map((e) => e.email).sort(), [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
      ]);
    }
    // A remove/delete never issues anything: exactly one token call per added user.
    const tokenCalls = w.emulator.requests.filter((q) => q.method === "PUT" && q.path.endsWith("/token"));
    assert.equal(tokenCalls.length, tokens ? 3 : 0);

    const again = await w.dryRun(args);
    assert.match(again.stdout, new RegExp(`^${NOTHING_TO_DO}$`, "m"), describe(again));
  });
}

Deno.test("usernames differ only in case: LoginTC's Alice is directory's alice (no create, no duplicate)", async () => {
  await withWorld({ users: PEOPLE.slice(0, 2) }, async (w) => {
    w.emulator.seedUser({
      username: "Alice",
      name: "Alice Anderson",
      email: "alice@example.com",
      token: "active",
    });
    // Bob is in the organization only, spelled BOB.
    w.emulator.seedUser({ username: "BOB", name: "Bob Brown", email: "bob@example.com", domains: [] });
    const args = ["-m", "delete", "-r", "5", "-t", "issue_token_with_email"];

    const dry = await w.dryRun(args);
    assert.match(
      dry.stdout,
      /^Plan: 0 to create, 0 to update, 1 to add to domain, 1 token\(s\) to issue, 0 to remove$/m,
    );
    assert.match(dry.stdout, /^\| BOB +\| add to domain +\| already in the organization +\|$/m);

    const sync = await w.run(args);
    assert.equal(sync.code, 0, describe(sync));
    assert.deepEqual(w.emulator.users().map((u) => u.username), ["Alice", "BOB"]);
    assert.deepEqual(w.memberNames(), ["Alice", "BOB"]);
    assert.equal(w.emulator.requests.filter((q) => q.method === "POST" && q.path === "/api/users").length, 0);
    assert.deepEqual(w.emulator.activationEmails.map((e) => e.username), ["BOB"]);
    await w.dryRun(args).then((r) => assert.match(r.stdout, /Nothing to do/));
  });
});

Deno.test("a dry run with every writing flag sends only GETs and changes nothing", async () => {
  await withWorld({ users: PEOPLE }, async (w) => {
    seed(w);
    w.emulator.seedGroup("Sales");
    w.emulator.seedAdministrator("admin@example.com");
    const before = JSON.stringify(w.emulator.users());
    const r = await w.run([
      "-d",
      ...[
        "-m",
        "delete",
        "-r",
        "9",
        "-t",
        "issue_token_with_email",
        "-g",
        "Sales",
        "-l",
        "admin@example.com",
      ],
    ]);
    assert.equal(r.code, 0, describe(r));
    assert.match(
      r.stdout,
      /^Plan: 2 to create, 0 to update, 3 to add to domain, 3 token\(s\) to issue, 4 to add to group, 1 to remove$/m,
    );
    assert.deepEqual([...new Set(w.emulator.requests.map((q) => q.method))], ["GET"]);
    assert.equal(JSON.stringify(w.emulator.users()), before);
    assert.deepEqual(w.emulator.notifications, []);
    assert.deepEqual(w.emulator.activationEmails, []);
    assert.deepEqual([...Deno.readDirSync(w.dir)].map((e) => e.name), ["config.cfg"], "no job, no lock");
  });
});
