/**
 * Absent is not empty, as a property: for any LoginTC user objects with any subset of the
 * optional keys absent (name, email, domains aside: alias1..3, phones, groups), any way LoginTC
 * stores what it is sent (keys it does not show stay hidden; emails maybe lowercased), and any
 * verdict of the capability probe (read, remembered, off), applying the plan and re-planning
 * from what LoginTC then shows — and the write-only values file — gives an empty plan.
 * A scheduled run never repeats a write.
 */
import assert from "node:assert/strict";
import fc from "../support/fastCheck.ts";
import { planSync } from "../../src/sync/planSync.ts";
import {
  type ApplyResult,
  type LoginTCState,
  type PlanFeatures,
  type PlanOptions,
  usernameKey,
} from "../../src/sync/types.ts";
import { rememberApplied } from "../../src/sync/written.ts";
import type { DirectoryUser, LoginTCUser } from "../../src/types.ts";
import { DOMAIN } from "./model.ts";

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
).map((rows) =>
  rows.map((r, i) => ({
    dn: `uid=${r.username},o=${i}`,
    username: r.username,
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(r.email !== undefined ? { email: r.email } : {}),
    aliases: { alias1: r.alias1, alias3: r.alias3 },
    ...(r.phone !== undefined ? { phone: r.phone } : {}),
  }))
);

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
  phone: fc.constantFrom("read" as const, "remembered" as const, "off" as const),
  group: fc.constantFrom("read" as const, "remembered" as const, "off" as const),
});

const planOptions: fc.Arbitrary<PlanOptions> = fc.record({
  syncMode: fc.constantFrom("add_only" as const, "remove" as const, "delete" as const),
  syncTokenMode: fc.constantFrom("do_not_issue_token" as const, "issue_token_with_email" as const),
});

/** A LoginTC user as stored: every value, and which keys its object does not show. */
interface Stored {
  user: Required<Pick<LoginTCUser, "id" | "username">> & Record<Optional, unknown> & { domains: string[] };
  hidden: ReadonlySet<Optional>;
}

function shown(s: Stored): LoginTCUser {
  const u: Record<string, unknown> = {
    id: s.user.id,
    username: s.user.username,
    domains: [...s.user.domains],
  };
  for (const k of OPTIONAL) if (!s.hidden.has(k)) u[k] = structuredClone(s.user[k]);
  return u as unknown as LoginTCUser;
}

function stateOf(
  stored: Map<string, Stored>,
  base: Omit<LoginTCState, "members" | "orgUsers">,
): LoginTCState {
  const all = [...stored.values()].map(shown);
  return {
    ...base,
    members: all.filter((u) => u.domains!.includes(DOMAIN)),
    orgUsers: all.filter((u) => !u.domains!.includes(DOMAIN)),
  };
}

/** What LoginTC does with each step; keys it does not show stay hidden, as for new users `newHidden`. */
function apply(
  stored: Map<string, Stored>,
  steps: ReturnType<typeof planSync>["steps"],
  newHidden: ReadonlySet<Optional>,
  lowercase: boolean,
): ApplyResult {
  const createdIds: Record<string, string> = {};
  const byName = (username: string) =>
    [...stored.values()].find((s) => usernameKey(s.user.username) === usernameKey(username))!.user;
  const email = (e: string) => lowercase ? e.toLowerCase() : e;
  for (const step of steps) {
    switch (step.kind) {
      case "createUser": {
        const id = `new-${step.username}`;
        createdIds[usernameKey(step.username)] = id;
        stored.set(id, {
          user: {
            id,
            username: step.username,
            name: step.name,
            email: email(step.email),
            alias1: "",
            alias2: "",
            alias3: "",
            phones: [],
            groups: [],
            domains: [],
          },
          hidden: newHidden,
        });
        break;
      }
      case "updateUser": {
        const u = byName(step.username);
        if (step.changes.name) u.name = step.changes.name.to;
        if (step.changes.email) u.email = email(step.changes.email.to);
        break;
      }
      case "addToDomain":
        byName(step.username).domains.push(DOMAIN);
        break;
      case "addToGroup":
        (byName(step.username).groups as string[]).push(step.groupId);
        break;
      case "setAlias":
        byName(step.username)[step.slot] = step.to;
        break;
      case "clearAlias":
        byName(step.username)[step.slot] = "";
        break;
      case "addPhone":
        (byName(step.username).phones as string[]).push(step.number);
        break;
      case "removeFromDomain": {
        const u = byName(step.username);
        u.domains = u.domains.filter((d) => d !== DOMAIN);
        break;
      }
      case "deleteUser":
        stored.delete(step.userId);
        break;
      case "issueToken":
        break;
    }
  }
  return { done: steps, failed: [], skipped: [], createdIds };
}

Deno.test("props: any optional keys absent — apply, then re-plan (with the remembered values) is empty", () => {
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
        const stored = new Map<string, Stored>();
        for (const u of users) {
          const { member, hidden, ...values } = u;
          stored.set(`id-${u.username}`, {
            user: { ...values, id: `id-${u.username}`, domains: member ? [DOMAIN] : [] },
            hidden: new Set(hidden),
          });
        }
        const base = {
          domainId: DOMAIN,
          features: feats,
          remembered: {},
          ...(withGroup ? { group: GROUP } : {}),
        };
        const options = { ...opts, ...(withGroup ? { group: GROUP.name } : {}) };
        const plan = planSync(dir, stateOf(stored, base), options);

        // Nothing is planned from absence: an existing user whose object hides a key gets no step for it.
        for (const step of plan.steps) {
          const existing = "userId" in step && step.userId ? stored.get(step.userId) : undefined;
          if (!existing) continue;
          const key: Optional | undefined = step.kind === "setAlias" || step.kind === "clearAlias"
            ? step.slot
            : step.kind === "addPhone" && feats.phone === "read"
            ? "phones"
            : step.kind === "addToGroup" && feats.group === "read"
            ? "groups"
            : undefined;
          if (key) {
            assert.ok(!existing.hidden.has(key), `${step.kind} for ${step.username} from an absent ${key}`);
          }
          if (step.kind === "updateUser") {
            if (step.changes.name) assert.ok(!existing.hidden.has("name"));
            if (step.changes.email) assert.ok(!existing.hidden.has("email"));
          }
        }

        const result = apply(stored, plan.steps, new Set(newHidden), lowercase);
        const remembered = rememberApplied({}, result, feats) ?? {};
        const again = planSync(dir, stateOf(stored, { ...base, remembered }), options);
        assert.deepEqual(again.steps, []);
      },
    ),
    // Shrinking these nested arrays and sets takes minutes: report the first counterexample as found.
    { numRuns: 500, endOnFailure: true },
  );
});
