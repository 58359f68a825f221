/**
 * What the sync needs from LoginTC Admin. Implemented over HTTPS by ./client.ts; the planner
 * and applier depend on this interface only (tests may pass the real client pointed at the
 * emulator — we do not mock LoginTC).
 *
 * Every method throws LoginTCError (src/errors.ts) on failure, naming method, path, status
 * and LoginTC's error code and message. Secrets never appear in messages.
 */
import type { LoginTCGroup, LoginTCToken, LoginTCUser, UserTextField } from "../types.ts";
import type { NotificationBody } from "./extensions.ts";

export interface LoginTCDomain {
  id: string;
  name: string;
  type?: string;
}

export interface NewUser {
  username: string;
  name: string;
  email: string;
}

/** The fields PUT /users/{id} sets; "" clears an alias (./extensions.ts). */
export type UserChanges = { [F in UserTextField]?: string };

export interface LoginTCApi {
  /** GET /ping. */
  ping(): Promise<void>;
  /** GET /organization: the organization the API key belongs to (its name); checks the key. */
  getOrganization(): Promise<{ name: string }>;
  /** GET /domains/{id}; 404 → LoginTCError "domain_id … not found". */
  getDomain(domainId: string): Promise<LoginTCDomain>;
  /**
   * GET /domains/{id}/users?page=1.. until the listing ends (./client.ts readAll). `loose`: a 404
   * after page 1 ends it (add_only); otherwise only when the page before was a short one.
   */
  listDomainMembers(domainId: string, opts?: { loose?: boolean }): Promise<LoginTCUser[]>;
  /** GET {path}?page=1 of a user listing (/users, /domains/{id}/users): one page, for the probe. */
  firstPage(path: string): Promise<LoginTCUser[]>;
  /**
   * GET {path} and return the status: only for asking whether a path exists. 2xx or 405 (the
   * path exists, not for GET) and 404 are answers; 400, 403, 500 and 501 are returned too; anything
   * else throws like every other call.
   */
  probe(path: string): Promise<number>;
  /** GET /users?page=N: one page of the organization's users ([] past the end). */
  listUsersPage(page: number): Promise<LoginTCUser[]>;
  /**
   * GET /users?username=X (encoded); undefined on 404 (any error code) or 200 with [], {} or
   * null; a user with another username is an error (./parse.ts toFoundUser).
   */
  findUserByUsername(username: string): Promise<LoginTCUser | undefined>;
  /**
   * GET /users/{id}; undefined on 404: the user no longer exists (the path is the official clients',
   * docs/logintc-api.md). Used for the pending deletions of delete_after_days.
   */
  getUser(userId: string): Promise<LoginTCUser | undefined>;
  /**
   * POST /users. A retry after a network error first looks the username up (never a duplicate);
   * a 400/409 for a username LoginTC already holds adopts that user (./createUser.ts).
   */
  createUser(user: NewUser): Promise<LoginTCUser>;
  /** PUT /users/{id} with only the given fields. */
  updateUser(userId: string, changes: UserChanges): Promise<LoginTCUser>;
  /** DELETE /users/{id}; 404 counts as done. */
  deleteUser(userId: string): Promise<void>;
  /** PUT /domains/{d}/users/{u} (bodiless, idempotent). */
  addDomainMember(domainId: string, userId: string): Promise<void>;
  /** DELETE /domains/{d}/users/{u}; 404 counts as done. Revokes the user's token there. */
  removeDomainMember(domainId: string, userId: string): Promise<void>;
  /** PUT /domains/{d}/users/{u}/token; idempotent for pending/active tokens. */
  issueToken(domainId: string, userId: string, opts: { sendEmail: boolean }): Promise<LoginTCToken>;
  /** DELETE /domains/{d}/users/{u}/token: revokes the member's token there; 404 (none) counts as done. */
  revokeToken(domainId: string, userId: string): Promise<void>;
  /** DELETE /users/{u}/bypasscodes: deletes every bypass code of the user; 404 counts as done. */
  deleteBypassCodes(userId: string): Promise<void>;
  /** DELETE /users/{u}/hardware: takes the user's hardware token from it; 404 (none) counts as done. */
  removeHardwareToken(userId: string): Promise<void>;

  // ---- extensions (src/logintc/extensions.ts)
  /** GET /groups?page=1.. until an empty page. */
  listGroups(): Promise<LoginTCGroup[]>;
  /** PUT /groups/{g}/users/{u}. */
  addGroupMember(groupId: string, userId: string): Promise<void>;
  /** POST /users/{u}/phones; adding a known number is a no-op. */
  addPhone(userId: string, number: string): Promise<LoginTCUser>;
  /** POST /notifications; "not-an-administrator" on 404 api.error.notfound.administrator. */
  notifyAdministrator(body: NotificationBody): Promise<"sent" | "not-an-administrator">;
}
