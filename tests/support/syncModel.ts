/**
 * Test helpers: builders for directory and LoginTC users (tcUser: the extended shape with
 * every extension key; publicUser: the public API's shape), and a pure in-memory model of what
 * LoginTC does with each step, so property tests can check "apply, then re-plan is empty"
 * without a server (the emulator test checks the same against the real client).
 */
import type { DirectoryUser, LoginTCUser } from "../../src/types.ts";
import type { LoginTCState, Plan } from "../../src/sync/types.ts";
import type { Step } from "../../src/sync/stepKinds.ts";
import { usernameKey } from "../../src/sync/types.ts";

export const DOMAIN = "d".repeat(40);

export function dirUser(username: string, extra: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    dn: `uid=${username},ou=people,dc=example,dc=com`,
    username,
    name: `${username} name`,
    email: `${username.toLowerCase()}@example.com`,
    aliases: {},
    ...extra,
  };
}

export function tcUser(username: string, extra: Partial<LoginTCUser> = {}): LoginTCUser {
  // The extended shape (emulator default): every extension key present, empty.
  const extended = { hardware: "", alias1: "", alias2: "", alias3: "", phones: [], groups: [] };
  return publicUser(username, { ...extended, ...extra });
}

export function state(members: LoginTCUser[], orgUsers: LoginTCUser[] = [], group?: LoginTCState["group"]) {
  const s: LoginTCState = { domainId: DOMAIN, members, orgUsers };
  if (group) s.group = group;
  return s;
}

/** A user object with none of the optional keys: the public API's shape (plus whatever `extra` adds). */
function publicUser(username: string, extra: Partial<LoginTCUser> = {}): LoginTCUser {
  return {
    id: `id-${username}`,
    username,
    name: `${username} name`,
    email: `${username.toLowerCase()}@example.com`,
    domains: [DOMAIN],
    ...extra,
  };
}

/** A directory user from a property test's generated row: an undefined name, email or phone is absent. */
export function rowUser(
  i: number,
  r: { username: string; name?: string; email?: string; phone?: string },
  aliases: DirectoryUser["aliases"],
): DirectoryUser {
  return {
    dn: `uid=${r.username},o=${i}`,
    username: r.username,
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(r.email !== undefined ? { email: r.email } : {}),
    aliases,
    ...(r.phone !== undefined ? { phone: r.phone } : {}),
  };
}

/**
 * What LoginTC does with one step to `users` (by id): a created user gets the id `new-<username>`
 * and the object `created` makes; `storeEmail` is how LoginTC keeps an email it is sent.
 */
export function applyStep(
  users: Map<string, LoginTCUser>,
  step: Step,
  domainId: string,
  created: (step: Extract<Step, { kind: "createUser" }>) => LoginTCUser,
  storeEmail: (email: string) => string = (e) => e,
): void {
  const byName = (username: string) =>
    [...users.values()].find((u) => usernameKey(u.username) === usernameKey(username))!;
  const append = (list: string[] | undefined, value: string) => [...(list ?? []), value];
  switch (step.kind) {
    case "createUser":
      users.set(`new-${step.username}`, created(step));
      break;
    case "updateUser": {
      const u = users.get(step.userId)!;
      if (step.changes.name) u.name = step.changes.name.to;
      if (step.changes.email) u.email = storeEmail(step.changes.email.to);
      break;
    }
    case "addToDomain": {
      const u = byName(step.username);
      u.domains = append(u.domains, domainId);
      break;
    }
    case "issueToken":
      break;
    case "addToGroup": {
      const u = byName(step.username);
      u.groups = append(u.groups, step.groupId);
      break;
    }
    case "setAlias":
      byName(step.username)[step.slot] = step.to;
      break;
    case "clearAlias":
      byName(step.username)[step.slot] = "";
      break;
    case "addPhone": {
      const u = byName(step.username);
      u.phones = append(u.phones, step.number);
      break;
    }
    case "removeFromDomain": {
      const u = users.get(step.userId)!;
      u.domains = (u.domains ?? []).filter((d) => d !== domainId);
      break;
    }
    case "deleteUser":
      users.delete(step.userId);
      break;
  }
}

/** Applies every step of `plan` to a copy of `s`, as LoginTC would. */
export function applyModel(s: LoginTCState, plan: Plan): LoginTCState {
  const users = new Map<string, LoginTCUser>();
  for (const u of [...s.orgUsers, ...s.members]) users.set(u.id, structuredClone(u));
  for (const step of plan.steps) {
    applyStep(users, step, s.domainId, (c) => ({
      id: `new-${c.username}`,
      username: c.username,
      name: c.name,
      email: c.email,
      domains: [],
      hardware: "",
    }));
  }
  const all = [...users.values()];
  return {
    ...s,
    members: all.filter((u) => (u.domains ?? []).includes(s.domainId)),
    orgUsers: all.filter((u) => !(u.domains ?? []).includes(s.domainId)),
  };
}
