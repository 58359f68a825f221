/**
 * An in-memory LoginTC Admin for tests, `deno task demo`, `deno task emulator` and admins'
 * CI smoke runs: the public REST API (docs/logintc-api.md) plus the ASSUMED
 * extensions of src/logintc/extensions.ts, over HTTPS only, with fault injection and a
 * request log. Not imported by main.ts, so it is not in the product binary.
 */
import type { LoginTCGroup, LoginTCToken, LoginTCUser } from "../src/types.ts";
import { Administrators } from "./administrators.ts";
import { type FaultRule, FaultTable } from "./faults.ts";
import { handleApi } from "./routes.ts";
import { type RecordedRequest, startServer } from "./server.ts";
import { type ActivationEmail, EmulatorState, type RecordedNotification } from "./state.ts";
import type { EmulatorSnapshot } from "./model.ts";
import { validateNewUser } from "./validate.ts";
import { seededRandom } from "./random.ts";

export type { FaultRule } from "./faults.ts";
export type { RecordedRequest } from "./server.ts";
export type { ActivationEmail, RecordedNotification } from "./state.ts";
export type { EmulatorSnapshot } from "./model.ts";
export { seededRandom } from "./random.ts";

/** A fixed test key of 64 letters and digits, the shape LoginTC's API keys have (docs/logintc-api.md). */
const DEFAULT_API_KEY = "EmulatorTestKey0000000000000000000000000000000000000000000000000";
/**
 * The domain id of LoginTC's own documentation example
 * (https://www.logintc.com/docs/rest-api/domains.html).
 */
const DEFAULT_DOMAIN_ID = "9120580e94f134cb7c9f27cd1e43dbc82980e152";
export const DEFAULT_PAGE_SIZE = 100;

export interface EmulatorOptions {
  /** PEM strings; HTTPS only. */
  tls: { cert: string; key: string };
  /** Default 127.0.0.1. */
  hostname?: string;
  /** Default 0: a free port. */
  port?: number;
  apiKey?: string;
  /** The domain that exists from the start, named "Test Domain". */
  domainId?: string;
  organizationName?: string;
  /** Default 100. */
  pageSize?: number;
  /** Default false: usernames are unique and looked up case-insensitively. */
  caseSensitiveUsernames?: boolean;
  /** Status of POST /users with an existing username; default 400. */
  duplicateStatus?: 400 | 409;
  /** Bulk PUT /domains/{d}/users updates listed existing users' name/email; default true. */
  bulkUpdatesExisting?: boolean;
  /**
   * Which LoginTC to be (docs/logintc-api.md, "Talking to a real LoginTC Admin"):
   * - "extended" (default): the public API plus every ASSUMED extension of
   *   src/logintc/extensions.ts, with alias1..3, phones and groups on user objects;
   * - "public": only what the official clients and LoginTC's docs show. User objects carry
   *   exactly id, username, email, name and domains; every extension path answers 404 like an
   *   unknown path; PUT /users/{id} drops the fields it does not know (alias1..3) and the token
   *   PUT ignores its body, so {"sendEmail": false} still emails the activation code.
   */
  api?: ApiMode;
  /**
   * Override of the user object's keys: "public" with api "extended" is a LoginTC whose
   * extension endpoints exist but whose user objects do not show their values (write-only).
   */
  userObject?: "full" | "public";
  /** Default true. False: user objects leave out `domains` (absent, not empty: docs/logintc-api.md). */
  showDomains?: boolean;
  /** Store emails lowercased; default false (stored as sent). */
  lowercaseEmails?: boolean;
  now?: () => Date;
  /** Default: seededRandom(1), so ids and codes repeat run to run. */
  random?: () => number;
}

export type ApiMode = "extended" | "public";

export interface SeedUser {
  username: string;
  name: string;
  email: string;
  /** Domain ids the user is a member of; default [the emulator's domain]. */
  domains?: string[];
  alias1?: string;
  alias2?: string;
  alias3?: string;
  phones?: string[];
  /** Group names or ids; unknown names are created. */
  groups?: string[];
  /** Issue a token in each of the user's domains. */
  token?: "pending" | "active";
  /** Bypass codes and a hardware token (serial), which belong to the user, not a domain. */
  bypasscodes?: string[];
  hardware?: string;
}

export interface Emulator {
  /** "https://127.0.0.1:PORT" */
  url: string;
  api: ApiMode;
  /** "127.0.0.1:PORT": the config's [logintc] host. */
  host: string;
  apiKey: string;
  domainId: string;
  /** Every request, in arrival order (live array). */
  requests: RecordedRequest[];
  /** What POST /notifications (-l) asked to send. */
  notifications: RecordedNotification[];
  /** Activation emails LoginTC would have sent (token issued without {"sendEmail": false}). */
  activationEmails: ActivationEmail[];
  seedUser(u: SeedUser): LoginTCUser;
  seedGroup(name: string): LoginTCGroup;
  seedDomain(name?: string): string;
  seedAdministrator(email: string): void;
  /** Snapshot, sorted by username. */
  users(): LoginTCUser[];
  /** Snapshot of a domain's members (default: the emulator's domain), sorted by username. */
  members(domainId?: string): LoginTCUser[];
  groups(): LoginTCGroup[];
  token(domainId: string, userId: string): LoginTCToken | undefined;
  /** Whether issuing this token sent (would send) the activation email. */
  tokenEmailed(domainId: string, userId: string): boolean | undefined;
  /** Test hook: the user loaded the token into the app (pending → active). */
  activateToken(domainId: string, userId: string): void;
  /** The user's bypass codes and hardware token (whatever the API mode shows). */
  secondFactors(userId: string): { bypasscodes: string[]; hardware: string };
  /** Test hook: the user printed bypass codes, or was given a hardware token. */
  setSecondFactors(userId: string, f: { bypasscodes?: string[]; hardware?: string }): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Everything the emulator holds (users, domains, tokens, groups, administrators), as JSON data. */
  snapshot(): EmulatorSnapshot;
  /** Replaces all of it with a snapshot's (`deno task emulator --dir` across restarts). */
  restore(snapshot: EmulatorSnapshot): void;
  close(): Promise<void>;
}

function byUsername(a: LoginTCUser, b: LoginTCUser): number {
  return a.username < b.username ? -1 : a.username > b.username ? 1 : 0;
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
  const domainId = opts.domainId ?? DEFAULT_DOMAIN_ID;
  if (!/^[0-9A-Za-z]{64}$/.test(apiKey)) throw new Error("emulator apiKey must be 64 letters/digits");
  if (!/^[0-9a-f]{40}$/.test(domainId)) throw new Error("emulator domainId must be 40 lowercase hex");
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!(Number.isInteger(pageSize) && pageSize >= 1)) throw new Error("emulator pageSize must be >= 1");
  const now = opts.now ?? (() => new Date());
  const api = opts.api ?? "extended";
  if (api !== "extended" && api !== "public") throw new Error('emulator api must be "extended" or "public"');
  const random = opts.random ?? seededRandom(1);
  const state = new EmulatorState({
    domainId,
    domainName: "Test Domain",
    organizationName: opts.organizationName ?? "Test Organization",
    caseSensitiveUsernames: opts.caseSensitiveUsernames ?? false,
    duplicateStatus: opts.duplicateStatus ?? 400,
    bulkUpdatesExisting: opts.bulkUpdatesExisting ?? true,
    userObject: opts.userObject ?? (api === "public" ? "public" : "full"),
    showDomains: opts.showDomains ?? true,
    lowercaseEmails: opts.lowercaseEmails ?? false,
    now,
    random,
  });
  const administrators = new Administrators(now);
  const faults = new FaultTable(random);
  const requests: RecordedRequest[] = [];
  const server = await startServer({
    tls: opts.tls,
    hostname: opts.hostname ?? "127.0.0.1",
    port: opts.port ?? 0,
    now,
    requests,
    decideFault: (method, path) => faults.decide(method, path),
    handle: (req) => handleApi({ state, administrators, apiKey, pageSize, api }, req),
  });
  const hostname = opts.hostname ?? "127.0.0.1";
  const host = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${server.port}`;

  function groupId(nameOrId: string): string {
    const groups = state.groups.list();
    const g = groups.find((x) => x.id === nameOrId) ?? groups.find((x) => x.name === nameOrId);
    return g ? g.id : state.groups.create(nameOrId).id;
  }

  return {
    url: `https://${host}`,
    api,
    host,
    apiKey,
    domainId,
    requests,
    notifications: administrators.notifications,
    activationEmails: state.tokens.emails,
    seedUser(u) {
      const created = state.createUser(validateNewUser(u));
      const id = created.id;
      state.updateUser(id, { alias1: u.alias1, alias2: u.alias2, alias3: u.alias3 });
      for (const p of u.phones ?? []) state.addPhone(id, p);
      state.setSecondFactors(id, { bypasscodes: u.bypasscodes, hardware: u.hardware });
      for (const g of u.groups ?? []) state.groups.addMember(groupId(g), id);
      for (const d of u.domains ?? [domainId]) {
        state.members.add(d, id);
        if (u.token) {
          state.tokens.issue(d, id, false);
          if (u.token === "active") state.tokens.activate(d, id);
        }
      }
      return state.getUser(id);
    },
    seedGroup: (name) => state.groups.create(name),
    seedDomain: (name = "Other Domain") => state.createDomain(name),
    seedAdministrator: (email) => administrators.add(email),
    users: () => state.allUsers().sort(byUsername),
    members: (d = domainId) => state.members.list(d).sort(byUsername),
    groups: () => state.groups.list(),
    token(d, userId) {
      const t = state.tokens.record(d, userId);
      if (!t) return undefined;
      return t.state === "pending" ? { state: "pending", code: t.code } : { state: "active" };
    },
    tokenEmailed: (d, userId) => state.tokens.record(d, userId)?.sendEmail,
    activateToken: (d, userId) => state.tokens.activate(d, userId),
    setSecondFactors: (userId, f) => state.setSecondFactors(userId, f),
    secondFactors(userId) {
      const u = state.userRecord(userId);
      return { bypasscodes: [...u.bypasscodes], hardware: u.hardware };
    },
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    snapshot: () => ({ version: 1, state: state.snapshot(), administrators: administrators.emails() }),
    restore(snapshot) {
      state.restore(snapshot.state);
      for (const email of snapshot.administrators) administrators.add(email);
    },
    close: () => server.close(),
  };
}
