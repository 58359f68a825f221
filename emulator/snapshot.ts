/**
 * The organization's records as plain JSON data and back, for `deno task emulator --dir`
 * (./persist.ts keeps it in <dir>/state.json). Pure: ./state.ts owns the records.
 */
import type { DomainRecord, StateSnapshot, UserRecord } from "./model.ts";

/** Users, domains (members, tokens) and groups as plain data, in creation order. */
export function toSnapshot(
  users: Iterable<UserRecord>,
  domains: Iterable<DomainRecord>,
  groups: StateSnapshot["groups"],
): StateSnapshot {
  return structuredClone({
    users: [...users].map((u) => ({ ...u, groupIds: [...u.groupIds] })),
    domains: [...domains].map((d) => ({
      id: d.id,
      name: d.name,
      members: [...d.members],
      tokens: [...d.tokens],
    })),
    groups,
  });
}

/** A snapshot's users and domains as records keyed by id (ids, tokens and codes included). */
export function fromSnapshot(snap: StateSnapshot): {
  users: Map<string, UserRecord>;
  domains: Map<string, DomainRecord>;
  groups: StateSnapshot["groups"];
} {
  const data = structuredClone(snap);
  return {
    users: new Map(data.users.map((u) => [u.id, { ...u, groupIds: new Set(u.groupIds) }])),
    domains: new Map(data.domains.map((d) => [d.id, {
      id: d.id,
      name: d.name,
      members: new Set(d.members),
      tokens: new Map(d.tokens),
    }])),
    groups: data.groups,
  };
}
