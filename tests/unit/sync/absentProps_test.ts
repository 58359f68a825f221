/**
 * Absent is not empty, as a property: for any LoginTC user objects with any subset of the
 * optional keys absent (name, email, domains aside: alias1..3, phones, groups), any way LoginTC
 * stores what it is sent (keys it does not show stay hidden; emails maybe lowercased), and any
 * verdict of the capability probe (read, write-only, off), applying the plan and re-planning
 * from what LoginTC then shows — and the write-only values file — gives an empty plan.
 * A scheduled run never repeats a write.
 */
import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { planSync } from "../../../src/sync/planSync.ts";
import {
  type ApplyResult,
  type LoginTCState,
  type PlanFeatures,
  type PlanOptions,
  usernameKey,
} from "../../../src/sync/types.ts";
import { writeOnlyValuesAfter } from "../../../src/state/writeOnlyValues.ts";
import type { DirectoryUser, LoginTCUser } from "../../../src/types.ts";
import { applyStep, DOMAIN, rowUser } from "../../support/syncModel.ts";

const NAMES = ["alice", "Alice", "bob", "carol", "dave"];
const GROUP = { id: "g1", name: "Staff" };
const OPTIONAL = ["name", "email", "alias1", "alias2", "alias3", "phones", "groups"] as const;
type Optional = typeof OPTIONAL[number];

const dirUsers: fc.Arbitrary<DirectoryUser[]> = fc.array(
  fc.record({
    username: fc.constantFrom(...NAMES),
    name: fc.constantFrom(undefined, "A", "B"),
    email: fc.constantFrom(undefined, "a@x.com", "A@X.com", "b@x.com"),
    alias1: fc.constantFrom(undefined, "", "a"),
    alias3: fc.constantFrom(undefined, "", "c"),
    phone: fc.constantFrom(undefined, "+1 555 0100", "+1-555-0100", "+1 555 0199"),
  }),
  { maxLength: 6 },
).map((rows) => rows.map((r, i) => rowUser(i, r, { alias1: r.alias1, alias3: r.alias3 })));

/** A full user object, then the keys this LoginTC does not show for it removed. */
const loginTCUsers = fc.uniqueArray(
  fc.record({
    username: fc.constantFrom(...NAMES),
    name: fc.constantFrom("A", "B"),
    email: fc.constantFrom("a@x.com", "b@x.com"),
    alias1: fc.constantFrom("", "a"),
    alias2: fc.constantFrom("", "z"),
    alias3: fc.constantFrom("", "c"),
    phones: fc.subarray(["+1 555 0100", "+1 555 0199"]),
    groups: fc.subarray([GROUP.id]),
    member: fc.boolean(),
    hidden: fc.subarray([...OPTIONAL]),
  }),
  { selector: (u) => usernameKey(u.username), maxLength: 5 },
);

const features: fc.Arbitrary<PlanFeatures> = fc.record({
  aliases: fc.constantFrom("read" as const, "off" as const),
  phone: fc.constantFrom("read" as const, "write-only" as const, "off" as const),
  group: fc.constantFrom("read" as const, "write-only" as const, "off" as const),
});

const planOptions: fc.Arbitrary<PlanOptions> = fc.record({
  syncMode: fc.constantFrom("add_only" as const, "remove" as const, "delete" as const),
  syncTokenMode: fc.constantFrom("do_not_issue_token" as const, "issue_token_with_email" as const),
});

/** LoginTC's users as stored (every value, by id), and which keys each one's object does not show. */
interface Stored {
  users: Map<string, LoginTCUser>;
  hidden: Map<string, ReadonlySet<Optional>>;
}

function shown(stored: Stored, u: LoginTCUser): LoginTCUser {
  const hidden = stored.hidden.get(u.id)!;
  const out: LoginTCUser = { id: u.id, username: u.username, domains: [...u.domains!] };
  for (const k of OPTIONAL) if (!hidden.has(k)) Object.assign(out, { [k]: structuredClone(u[k]) });
  return out;
}

function stateOf(stored: Stored, base: Omit<LoginTCState, "members" | "orgUsers">): LoginTCState {
  const all = [...stored.users.values()].map((u) => shown(stored, u));
  return {
    ...base,
    members: all.filter((u) => u.domains!.includes(DOMAIN)),
    orgUsers: all.filter((u) => !u.domains!.includes(DOMAIN)),
  };
}

/** What LoginTC does with each step; keys it does not show stay hidden, as for new users `newHidden`. */
function apply(
  stored: Stored,
  steps: ReturnType<typeof planSync>["steps"],
  newHidden: ReadonlySet<Optional>,
  lowercase: boolean,
): ApplyResult {
  const createdIds: Record<string, string> = {};
  const email = (e: string) => lowercase ? e.toLowerCase() : e;
  for (const step of steps) {
    applyStep(stored.users, step, DOMAIN, (c) => {
      const id = `new-${c.username}`;
      createdIds[usernameKey(c.username)] = id;
      stored.hidden.set(id, newHidden);
      return {
        id,
        username: c.username,
        name: c.name,
        email: email(c.email),
        alias1: "",
        alias2: "",
        alias3: "",
        phones: [],
        groups: [],
        domains: [],
      };
    }, email);
  }
  return { done: steps, failed: [], notAttempted: [], createdIds };
}

Deno.test("props: any optional keys absent — apply, then re-plan (with the write-only values) is empty", () => {
  fc.assert(
    fc.property(
      dirUsers,
      loginTCUsers,
      features,
      planOptions,
      fc.subarray([...OPTIONAL]),
      fc.boolean(),
      fc.boolean(),
      (dir, users, feats, opts, newHidden, lowercase, withGroup) => {
        const stored: Stored = { users: new Map(), hidden: new Map() };
        for (const u of users) {
          const { member, hidden, ...values } = u;
          const id = `id-${u.username}`;
          stored.users.set(id, { ...values, id, domains: member ? [DOMAIN] : [] });
          stored.hidden.set(id, new Set(hidden));
        }
        const base = {
          domainId: DOMAIN,
          features: feats,
          writeOnlyValues: {},
          ...(withGroup ? { group: GROUP } : {}),
        };
        const options = { ...opts, ...(withGroup ? { group: GROUP.name } : {}) };
        const plan = planSync(dir, stateOf(stored, base), options);

        // Nothing is planned from absence: an existing user whose object hides a key gets no step for it.
        for (const step of plan.steps) {
          const hidden = "userId" in step && step.userId ? stored.hidden.get(step.userId) : undefined;
          if (!hidden) continue;
          const key: Optional | undefined = step.kind === "setAlias" || step.kind === "clearAlias"
            ? step.slot
            : step.kind === "addPhone" && feats.phone === "read"
            ? "phones"
            : step.kind === "addToGroup" && feats.group === "read"
            ? "groups"
            : undefined;
          if (key) {
            assert.ok(!hidden.has(key), `${step.kind} for ${step.username} from an absent ${key}`);
          }
          if (step.kind === "updateUser") {
            if (step.changes.name) assert.ok(!hidden.has("name"));
            if (step.changes.email) assert.ok(!hidden.has("email"));
          }
        }

        const result = apply(stored, plan.steps, new Set(newHidden), lowercase);
        const writeOnlyValues = writeOnlyValuesAfter({}, result, feats) ?? {};
        const again = planSync(dir, stateOf(stored, { ...base, writeOnlyValues }), options);
        assert.deepEqual(again.steps, []);
      },
    ),
    // Shrinking these nested arrays and sets takes minutes: report the first counterexample as found.
    { numRuns: 500, endOnFailure: true },
  );
});
