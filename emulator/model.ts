/**
 * The emulator's data: the records it stores, the shapes it returns, and small pure helpers.
 * Shapes follow what the official Java client parses (https://github.com/logintc/logintc-java;
 * docs/logintc-api.md) and src/logintc/extensions.ts.
 */
import type { LoginTCToken, LoginTCUser } from "../src/types.ts";
import type { NotificationBody } from "../src/logintc/extensions.ts";

export interface StateOptions {
  domainId: string;
  domainName: string;
  organizationName: string;
  caseSensitiveUsernames: boolean;
  duplicateStatus: 400 | 409;
  /** Bulk PUT /domains/{d}/users also updates name/email of listed existing users (§3: configurable). */
  bulkUpdatesExisting: boolean;
  /** "public": user objects carry exactly the keys LoginTC's docs show (see ../emulator/mod.ts api). */
  userObject: "full" | "public";
  /** False: user objects do not show `domains` (a LoginTC that leaves it out; absent is not empty). */
  showDomains: boolean;
  /** Store emails lowercased (a service might): the sync must then not "update" them every run. */
  lowercaseEmails: boolean;
  now: () => Date;
  random: () => number;
}

export interface NewUserFields {
  username: string;
  name: string;
  email: string;
}

export interface UserFieldChanges {
  name?: string;
  email?: string;
  alias1?: string;
  alias2?: string;
  alias3?: string;
}

/**
 * An activation email LoginTC "would send" when a token is issued
 * (https://www.logintc.com/docs/guides/admin-panel/).
 */
export interface ActivationEmail {
  domainId: string;
  userId: string;
  username: string;
  email: string;
  code: string;
  at: string;
}

export type RecordedNotification = NotificationBody & { at: string };

export interface DomainObject {
  id: string;
  name: string;
  type: string;
  keyType: string;
  maxAllowedRetries: number;
  requestTimeout: number;
  activationCodeExpiration: number;
  requestPollingEnabled: boolean;
  bypassEnabled: boolean;
}

export interface UserRecord extends Required<UserFieldChanges> {
  id: string;
  username: string;
  phones: string[];
  groupIds: Set<string>;
  bypasscodes: string[];
  hardware: string;
}

export interface TokenRecord {
  state: "pending" | "active";
  code: string;
  sendEmail: boolean;
}

export interface DomainRecord {
  id: string;
  name: string;
  members: Set<string>;
  tokens: Map<string, TokenRecord>;
}

/**
 * What ./groups.ts, ./members.ts and ./tokens.ts use of the organization; ./state.ts implements it
 * and holds them, so they name this rather than import the state back.
 */
export interface Organization {
  readonly opts: StateOptions;
  newId(): string;
  randomText(alphabet: string, length: number): string;
  usernameKey(username: string): string;
  domainRecord(domainId: string): DomainRecord;
  userRecord(userId: string): UserRecord;
  userRecords(): UserRecord[];
  userByName(username: string): UserRecord | undefined;
  view(u: UserRecord): LoginTCUser;
  getUser(userId: string): LoginTCUser;
  cachedIds(key: string, build: () => string[]): string[];
  changed(): void;
  createUser(fields: NewUserFields): LoginTCUser;
  updateUser(userId: string, changes: UserFieldChanges): LoginTCUser;
}

export const HEX = "0123456789abcdef";
export const CODE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

/** 1-based page of a list; a page past the end is empty (an assumption: docs/logintc-api.md). */
export function pageOf<T>(items: readonly T[], page: number, size: number): T[] {
  return items.slice((page - 1) * size, page * size);
}

/** Only pending (with its code) or active: J's enum has nothing else (§2.3). */
export function tokenView(t: TokenRecord): LoginTCToken {
  return t.state === "pending" ? { state: "pending", code: t.code } : { state: "active" };
}

/**
 * A user as the API returns it: with "public", exactly the keys of the user example on
 * https://www.logintc.com/docs/rest-api/users.html; with "full", every key the official Java
 * client reads (it throws on a missing or null key) plus the extensions, always present.
 */
export function userObject(
  u: UserRecord,
  domains: string[] | undefined,
  groups: string[],
  shape: "full" | "public",
): LoginTCUser {
  const shown = domains === undefined ? {} : { domains };
  if (shape === "public") return { id: u.id, username: u.username, email: u.email, name: u.name, ...shown };
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    name: u.name,
    ...shown,
    bypasscodes: [...u.bypasscodes],
    hardware: u.hardware,
    alias1: u.alias1,
    alias2: u.alias2,
    alias3: u.alias3,
    phones: [...u.phones],
    groups,
  };
}

/**
 * The Java client's test fixture values for everything but id and name
 * (https://github.com/logintc/logintc-java).
 */
export function domainObject(d: DomainRecord): DomainObject {
  return {
    id: d.id,
    name: d.name,
    type: "RADIUS",
    keyType: "PIN",
    maxAllowedRetries: 5,
    requestTimeout: 120,
    activationCodeExpiration: 365,
    requestPollingEnabled: true,
    bypassEnabled: true,
  };
}

/** The organization as plain JSON data, for `deno task emulator --dir` (./persist.ts). */
export interface StateSnapshot {
  users: (Omit<UserRecord, "groupIds"> & { groupIds: string[] })[];
  domains: { id: string; name: string; members: string[]; tokens: [string, TokenRecord][] }[];
  groups: { id: string; name: string }[];
}

/** What `deno task emulator --dir` keeps in <dir>/state.json. */
export interface EmulatorSnapshot {
  version: 1;
  state: StateSnapshot;
  administrators: string[];
}
