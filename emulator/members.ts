/**
 * Domain membership: who is in a domain, paged in user creation order, added one at a time or
 * set in bulk. Removing a member revokes its token. Like ./tokens.ts, it works on EmulatorState's
 * records; side effects as the official clients document them (docs/logintc-api.md).
 */
import type { LoginTCUser } from "../src/types.ts";
import { type NewUserFields, type Organization, pageOf } from "./model.ts";
import { ApiProblem, ERROR_CODES, notFound } from "./problems.ts";

export class Members {
  constructor(private readonly s: Organization) {}

  list(domainId: string): LoginTCUser[] {
    const d = this.s.domainRecord(domainId);
    return this.s.userRecords().filter((u) => d.members.has(u.id)).map((u) => this.s.view(u));
  }

  /** GET /domains/{d}/users?page=N: members in user creation order. */
  page(domainId: string, page: number, size: number): LoginTCUser[] {
    const d = this.s.domainRecord(domainId);
    const ids = this.s.cachedIds(
      `domain:${domainId}`,
      () => this.s.userRecords().filter((u) => d.members.has(u.id)).map((u) => u.id),
    );
    return pageOf(ids, page, size).map((id) => this.s.getUser(id));
  }

  get(domainId: string, userId: string): LoginTCUser {
    const d = this.s.domainRecord(domainId);
    const u = this.s.userRecord(userId);
    if (!d.members.has(userId)) throw notFound.user(userId);
    return this.s.view(u);
  }

  /** Idempotent. Does not issue a token. */
  add(domainId: string, userId: string): void {
    const d = this.s.domainRecord(domainId);
    this.s.userRecord(userId);
    if (!d.members.has(userId)) this.s.changed();
    d.members.add(userId);
  }

  /** Removes membership, revokes the token and its pending activation code (the Python client's remove_domain_user). */
  remove(domainId: string, userId: string): void {
    const d = this.s.domainRecord(domainId);
    this.s.userRecord(userId);
    if (!d.members.has(userId)) throw notFound.user(userId);
    d.members.delete(userId);
    d.tokens.delete(userId);
    this.s.changed();
  }

  /**
   * Bulk set (the Java client's setDomainUsers): creates listed users that do not exist, adds
   * existing ones, removes members not listed (revoking their tokens). Returns nothing: clients
   * ignore the body (200, empty).
   */
  set(domainId: string, wanted: NewUserFields[]): void {
    const d = this.s.domainRecord(domainId);
    const keys = new Set<string>();
    for (const w of wanted) {
      const key = this.s.usernameKey(w.username);
      if (keys.has(key)) {
        throw new ApiProblem(
          400,
          ERROR_CODES.validation,
          `Duplicate username ${JSON.stringify(w.username)}.`,
        );
      }
      keys.add(key);
    }
    const listed = new Set<string>();
    for (const w of wanted) {
      const existing = this.s.userByName(w.username);
      const id = existing ? existing.id : this.s.createUser(w).id;
      if (existing && this.s.opts.bulkUpdatesExisting) {
        this.s.updateUser(id, { name: w.name, email: w.email });
      }
      this.add(domainId, id);
      listed.add(id);
    }
    for (const id of [...d.members]) {
      if (!listed.has(id)) this.remove(domainId, id);
    }
  }
}
