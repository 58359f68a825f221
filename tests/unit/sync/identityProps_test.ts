/**
 * The identity property (issue: a reused username must not inherit a live token): over any sequence
 * of directory renames, deletes and re-creates, with syncs in between (planSync → applyGuards → a
 * model of what LoginTC does → nextLedger), no token or bypass code survives a change of anchor:
 * - when the guards allow the removals, every member the directory shows holds only second factors
 *   issued to the person the directory shows now;
 * - when they withhold them (-r 0), an account whose factors are another person's is not changed at
 *   all: it keeps the previous person's name.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { applyGuards } from "../../../src/sync/guards.ts";
import { type Ledger, nextLedger } from "../../../src/sync/ledger.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import { PHASES, type Step, STEP_KINDS } from "../../../src/sync/stepKinds.ts";
import { usernameKey } from "../../../src/sync/types.ts";
import type { DirectoryUser, LoginTCUser, SyncMode } from "../../../src/types.ts";
import { DOMAIN } from "../../support/syncModel.ts";

const NAMES = ["ann", "bob", "cy", "Ann"];
const ATTR = "entryUUID";

type Op =
  | { op: "add"; username: string }
  | { op: "delete"; username: string }
  | { op: "rename"; username: string; to: string }
  | { op: "recreate"; username: string }
  | { op: "sync"; mode: SyncMode; limit: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("add" as const), username: fc.constantFrom(...NAMES) }),
  fc.record({ op: fc.constant("delete" as const), username: fc.constantFrom(...NAMES) }),
  fc.record({
    op: fc.constant("rename" as const),
    username: fc.constantFrom(...NAMES),
    to: fc.constantFrom(...NAMES),
  }),
  fc.record({ op: fc.constant("recreate" as const), username: fc.constantFrom(...NAMES) }),
  fc.record({
    op: fc.constant("sync" as const),
    mode: fc.constantFrom<SyncMode>("add_only", "remove", "delete"),
    limit: fc.constantFrom(0, 1000),
  }),
);

const nameOf = (anchor: string) => `person ${anchor}`;

/** LoginTC as the model keeps it: users, and who each second factor was issued to (by anchor). */
class World {
  directory = new Map<string, string>(); // username (as spelt) → anchor
  users = new Map<string, LoginTCUser>();
  tokens = new Map<string, string>(); // user id → holder's anchor (this domain)
  bypass = new Map<string, string>(); // user id → holder's anchor (bypass codes: the user's own)
  ledger: Ledger | undefined;
  #next = 0;
  #ids = 0;

  apply(o: Op): void {
    // One entry per username key: two case variants are a directory error the read refuses (covered
    // by src/directory/validate.ts), not a change of person. A rename may change only the case.
    const has = (u: string, but?: string) =>
      [...this.directory.keys()].some((k) => k !== but && usernameKey(k) === usernameKey(u));
    if (o.op === "add" && !has(o.username)) this.directory.set(o.username, `a${this.#next++}`);
    if (o.op === "delete") this.directory.delete(o.username);
    if (o.op === "recreate" && this.directory.has(o.username)) {
      this.directory.set(o.username, `a${this.#next++}`);
    }
    if (o.op === "rename" && this.directory.has(o.username) && !has(o.to, o.username)) {
      const anchor = this.directory.get(o.username)!;
      this.directory.delete(o.username);
      this.directory.set(o.to, anchor);
    }
    if (o.op === "sync") this.sync(o.mode, o.limit);
  }

  dirUsers(): DirectoryUser[] {
    return [...this.directory].map(([username, anchor]) => ({
      dn: `uid=${username},o=${anchor}`,
      username,
      name: nameOf(anchor),
      email: `${anchor}@example.com`,
      aliases: {},
      anchor,
    }));
  }

  sync(syncMode: SyncMode, limit: number): void {
    const members = [...this.users.values()].filter((u) => u.domains!.includes(DOMAIN));
    const directory = this.dirUsers();
    const keys = new Set(directory.map((u) => usernameKey(u.username)));
    const orgUsers = [...this.users.values()].filter((u) =>
      !u.domains!.includes(DOMAIN) && keys.has(usernameKey(u.username))
    );
    const state = {
      domainId: DOMAIN,
      members: structuredClone(members),
      orgUsers: structuredClone(orgUsers),
      ledger: this.ledger,
    };
    const plan = planSync(directory, state, {
      syncMode,
      syncTokenMode: "issue_token_with_email",
      anchorAttribute: ATTR,
    });
    const checked = applyGuards(plan, {
      maxRemoveLimit: limit,
      directoryCount: directory.length,
      memberCount: members.length,
      baseDn: "o=x",
      filter: "(uid=*)",
    });
    const createdIds: Record<string, string> = {};
    for (const phase of PHASES) {
      for (const step of checked.plan.steps.filter((s) => STEP_KINDS[s.kind].phase === phase)) {
        this.make(step, createdIds);
      }
    }
    this.ledger = nextLedger({
      previous: this.ledger,
      domainId: DOMAIN,
      anchorAttribute: ATTR,
      directory,
      leftOut: checked.plan.leftOut,
      members,
      orgUsers,
      done: checked.plan.steps,
      createdIds,
      now: new Date(0),
    });
  }

  /** What LoginTC does with one step. A token is issued to the person the directory shows (their email). */
  make(step: Step, createdIds: Record<string, string>): void {
    const id = "userId" in step && step.userId !== undefined
      ? step.userId
      : createdIds[usernameKey(step.username)];
    const shownNow = () =>
      [...this.directory].find(([u]) => usernameKey(u) === usernameKey(step.username))![1];
    switch (step.kind) {
      case "reassignUser":
        if (step.member) this.tokens.delete(id);
        this.bypass.delete(id);
        break;
      case "createUser": {
        const newId = `u${this.#ids++}`;
        this.users.set(newId, {
          id: newId,
          username: step.username,
          name: step.name,
          email: step.email,
          domains: [],
        });
        createdIds[usernameKey(step.username)] = newId;
        break;
      }
      case "updateUser":
        if (step.changes.name) this.users.get(id)!.name = step.changes.name.to;
        if (step.changes.email) this.users.get(id)!.email = step.changes.email.to;
        break;
      case "addToDomain":
        this.users.get(id)!.domains!.push(DOMAIN);
        break;
      case "issueToken":
        // "Does nothing if the token is already active" (docs/logintc-api.md, "Reassigned usernames").
        if (!this.tokens.has(id)) {
          this.tokens.set(id, shownNow());
          // The new holder also prints bypass codes for themselves.
          this.bypass.set(id, shownNow());
        }
        break;
      case "removeFromDomain":
        this.users.get(id)!.domains = [];
        this.tokens.delete(id);
        break;
      case "deleteUser":
        this.users.delete(id);
        this.tokens.delete(id);
        this.bypass.delete(id);
        break;
      default:
        break;
    }
  }

  /** Accounts the directory shows whose factors were issued to someone else: [username, holder, shown]. */
  strangers(): { user: LoginTCUser; holder: string; shown: string }[] {
    const out = [];
    for (const user of this.users.values()) {
      const shown = [...this.directory].find(([u]) => usernameKey(u) === usernameKey(user.username))?.[1];
      if (shown === undefined) continue;
      for (const holder of [this.tokens.get(user.id), this.bypass.get(user.id)]) {
        if (holder !== undefined && holder !== shown) out.push({ user, holder, shown });
      }
    }
    return out;
  }
}

Deno.test("props: no sequence of renames, deletes and re-creates makes a token or bypass code survive a change of anchor", () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
      const w = new World();
      for (const o of ops) {
        w.apply(o);
        if (o.op !== "sync") continue;
        for (const { user, holder, shown } of w.strangers()) {
          // Only a withheld reassignment leaves another person's factors, and then the account is untouched.
          assert.equal(o.limit, 0, `${user.username}: factors of ${holder}, directory shows ${shown}`);
          assert.equal(
            user.name,
            nameOf(holder),
            `${user.username} was changed to ${shown} with ${holder}'s factors`,
          );
        }
      }
      // One more sync that allows every removal leaves nobody with another person's factors.
      w.apply({ op: "sync", mode: "add_only", limit: 1000 });
      assert.deepEqual(w.strangers(), []);
    }),
    { numRuns: 500 },
  );
});
