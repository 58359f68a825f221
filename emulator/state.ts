/**
 * The emulator's in-memory LoginTC organization: users, domains with members (./members.ts)
 * and tokens (./tokens.ts), groups (./groups.ts). Pure and synchronous (no I/O); the clock and
 * randomness are injected. Operations throw ApiProblem with the status and code the HTTP layer returns.
 * Side effects follow what the official client libraries document, and the assumptions listed
 * in docs/logintc-api.md; extensions follow src/logintc/extensions.ts.
 */
import type { LoginTCUser } from "../src/types.ts";
import { ApiProblem, ERROR_CODES, notFound } from "./problems.ts";
import { Groups } from "./groups.ts";
import { Members } from "./members.ts";
import { Tokens } from "./tokens.ts";
import { fromSnapshot, toSnapshot } from "./snapshot.ts";
import {
  type DomainObject,
  domainObject,
  type DomainRecord,
  HEX,
  type NewUserFields,
  type Organization,
  pageOf,
  type StateOptions,
  type StateSnapshot,
  type UserFieldChanges,
  userObject,
  type UserRecord,
} from "./model.ts";

export type {
  ActivationEmail,
  NewUserFields,
  RecordedNotification,
  StateOptions,
  UserFieldChanges,
} from "./model.ts";
export { pageOf } from "./model.ts";

export class EmulatorState implements Organization {
  readonly tokens: Tokens = new Tokens(this);
  readonly members: Members = new Members(this);
  readonly groups: Groups = new Groups(this);
  // Maps keep insertion order: listings come out in stable creation order.
  #users = new Map<string, UserRecord>();
  /** usernameKey → user id: lookups stay O(1) for bench-sized organizations (100k users). */
  #byKey = new Map<string, string>();
  /** Listing id arrays, rebuilt only after a change (paging 100k users must not be quadratic). */
  #version = 0;
  #lists = new Map<string, { version: number; ids: string[] }>();
  #domains = new Map<string, DomainRecord>();

  constructor(readonly opts: StateOptions) {
    this.createDomain(opts.domainName, opts.domainId);
  }

  // ---------------------------------------------------------------- ids, keys

  /** `length` characters drawn from `alphabet` with the injected random. */
  randomText(alphabet: string, length: number): string {
    let s = "";
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(this.opts.random() * alphabet.length)];
    return s;
  }

  /**
   * 40 lowercase hex, unique across users, domains and groups
   * (https://www.logintc.com/docs/rest-api/users.html, https://www.logintc.com/docs/rest-api/domains.html).
   */
  newId(): string {
    for (;;) {
      const id = this.randomText(HEX, 40);
      if (!this.#users.has(id) && !this.#domains.has(id) && !this.groups.has(id)) return id;
    }
  }

  /** Usernames compare case-insensitively by default (§3 "Username case sensitivity"). */
  usernameKey(username: string): string {
    return this.opts.caseSensitiveUsernames ? username : username.toLowerCase();
  }

  // ---------------------------------------------------------------- organization, domains

  organization(): { name: string } {
    return { name: this.opts.organizationName };
  }

  createDomain(name: string, id = this.newId()): string {
    this.#domains.set(id, { id, name, members: new Set(), tokens: new Map() });
    return id;
  }

  domain(domainId: string): DomainObject {
    return domainObject(this.domainRecord(domainId));
  }

  /** The stored domain, or 404 api.error.notfound.domain. For ./tokens.ts. */
  domainRecord(domainId: string): DomainRecord {
    const d = this.#domains.get(domainId);
    if (!d) throw notFound.domain(domainId);
    return d;
  }

  // ---------------------------------------------------------------- users

  /** The stored user, or 404 api.error.notfound.user. For ./tokens.ts. */
  userRecord(userId: string): UserRecord {
    const u = this.#users.get(userId);
    if (!u) throw notFound.user(userId);
    return u;
  }

  /** The user object the API returns (./model.ts userObject). */
  view(u: UserRecord): LoginTCUser {
    const domains = [...this.#domains.values()].filter((d) => d.members.has(u.id)).map((d) => d.id);
    const groups = this.groups.ids().filter((g) => u.groupIds.has(g));
    return userObject(u, this.opts.showDomains ? domains : undefined, groups, this.opts.userObject);
  }

  allUsers(): LoginTCUser[] {
    return [...this.#users.values()].map((u) => this.view(u));
  }

  /** The stored users, in creation order. For ./members.ts. */
  userRecords(): UserRecord[] {
    return [...this.#users.values()];
  }

  /** A listing's ids, built once per change of users or memberships. For ./members.ts. */
  cachedIds(key: string, build: () => string[]): string[] {
    const hit = this.#lists.get(key);
    if (hit && hit.version === this.#version) return hit.ids;
    const ids = build();
    this.#lists.set(key, { version: this.#version, ids });
    return ids;
  }

  /** GET /users?page=N: creation order. */
  userPage(page: number, size: number): LoginTCUser[] {
    const ids = this.cachedIds("users", () => [...this.#users.keys()]);
    return pageOf(ids, page, size).map((id) => this.getUser(id));
  }

  getUser(userId: string): LoginTCUser {
    return this.view(this.userRecord(userId));
  }

  /** Users or memberships changed: listings are rebuilt. For ./members.ts. */
  changed(): void {
    this.#version++;
  }

  /** The stored user with this username (case-insensitively, unless configured otherwise). */
  userByName(username: string): UserRecord | undefined {
    const id = this.#byKey.get(this.usernameKey(username));
    return id === undefined ? undefined : this.#users.get(id);
  }

  findByUsername(username: string): LoginTCUser {
    const u = this.userByName(username);
    if (!u) throw notFound.user(username);
    return this.view(u);
  }

  createUser(fields: NewUserFields): LoginTCUser {
    if (this.userByName(fields.username)) {
      throw new ApiProblem(
        this.opts.duplicateStatus,
        ERROR_CODES.duplicateUsername,
        `Username ${JSON.stringify(fields.username)} already exists.`,
      );
    }
    const id = this.newId();
    const u: UserRecord = {
      id,
      username: fields.username,
      name: fields.name,
      email: this.#storedEmail(fields.email),
      alias1: "",
      alias2: "",
      alias3: "",
      phones: [],
      groupIds: new Set(),
      bypasscodes: [],
      hardware: "",
    };
    this.#users.set(id, u);
    this.#byKey.set(this.usernameKey(u.username), id);
    this.#version++;
    return this.view(u);
  }

  /** PUT /users/{id}: absent fields stay unchanged; "" clears an alias (extensions.ts). */
  updateUser(userId: string, changes: UserFieldChanges): LoginTCUser {
    const u = this.userRecord(userId);
    for (const k of ["name", "email", "alias1", "alias2", "alias3"] as const) {
      const v = changes[k];
      if (v !== undefined) u[k] = k === "email" ? this.#storedEmail(v) : v;
    }
    return this.view(u);
  }

  #storedEmail(email: string): string {
    return this.opts.lowercaseEmails ? email.toLowerCase() : email;
  }

  /** Removes the user from every domain and group and revokes all its tokens (§3). */
  deleteUser(userId: string): void {
    const u = this.userRecord(userId);
    for (const d of this.#domains.values()) {
      d.members.delete(userId);
      d.tokens.delete(userId);
    }
    this.#users.delete(userId);
    this.#byKey.delete(this.usernameKey(u.username));
    this.#version++;
  }

  /**
   * DELETE /users/{id}/bypasscodes (public: the Python client's delete_bypass_codes): deletes them
   * all; a user without any is still answered 200 (the call is "delete all").
   */
  deleteBypassCodes(userId: string): void {
    this.userRecord(userId).bypasscodes = [];
  }

  /**
   * DELETE /users/{id}/hardware (public: disassociate_hardware_token): 404 when the user has none
   * (assumed; the sync treats 404 as nothing to revoke).
   */
  removeHardware(userId: string): void {
    const u = this.userRecord(userId);
    if (u.hardware === "") throw notFound.hardware();
    u.hardware = "";
  }

  /** Test hook (seeding): the user's bypass codes and hardware token. */
  setSecondFactors(userId: string, f: { bypasscodes?: string[]; hardware?: string }): void {
    const u = this.userRecord(userId);
    if (f.bypasscodes) u.bypasscodes = [...f.bypasscodes];
    if (f.hardware !== undefined) u.hardware = f.hardware;
  }

  // ---------------------------------------------------------------- extensions

  /** Adding a number the user already has is a no-op (extensions.ts). */
  addPhone(userId: string, number: string): LoginTCUser {
    const u = this.userRecord(userId);
    if (!u.phones.includes(number)) u.phones.push(number);
    return this.view(u);
  }

  // ---------------------------------------------------------------- persistence (--dir)

  /** Users, domains (members, tokens) and groups as plain data (./snapshot.ts). */
  snapshot(): StateSnapshot {
    return toSnapshot(this.#users.values(), this.#domains.values(), this.groups.list());
  }

  /** Replaces the whole organization with a snapshot's (ids, tokens and codes included). */
  restore(snap: StateSnapshot): void {
    const { users, domains, groups } = fromSnapshot(snap);
    this.#users = users;
    this.#byKey = new Map([...users.values()].map((u) => [this.usernameKey(u.username), u.id]));
    this.#domains = domains;
    this.groups.replace(groups);
    this.#version++;
  }
}
