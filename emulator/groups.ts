/**
 * Groups, an ASSUMED extension (src/logintc/extensions.ts): named groups with ids from the same
 * space as users and domains; a user's membership is kept on its record (groupIds).
 */
import type { LoginTCGroup } from "../src/types.ts";
import { notFound } from "./problems.ts";
import type { Organization } from "./model.ts";

export class Groups {
  // Insertion order: listings come out in creation order.
  #groups = new Map<string, LoginTCGroup>();

  constructor(private readonly s: Organization) {}

  has(groupId: string): boolean {
    return this.#groups.has(groupId);
  }

  /** Every group id, in creation order. */
  ids(): string[] {
    return [...this.#groups.keys()];
  }

  create(name: string): LoginTCGroup {
    const g = { id: this.s.newId(), name };
    this.#groups.set(g.id, g);
    return { ...g };
  }

  list(): LoginTCGroup[] {
    return [...this.#groups.values()].map((g) => ({ ...g }));
  }

  addMember(groupId: string, userId: string): void {
    this.#group(groupId);
    this.s.userRecord(userId).groupIds.add(groupId);
  }

  removeMember(groupId: string, userId: string): void {
    this.#group(groupId);
    if (!this.s.userRecord(userId).groupIds.delete(groupId)) throw notFound.user(userId);
  }

  /** Replaces every group (emulator --dir restoring a snapshot). */
  replace(groups: readonly LoginTCGroup[]): void {
    this.#groups = new Map(groups.map((g) => [g.id, { ...g }]));
  }

  #group(groupId: string): LoginTCGroup {
    const g = this.#groups.get(groupId);
    if (!g) throw notFound.group(groupId);
    return g;
  }
}
