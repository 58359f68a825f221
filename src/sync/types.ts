/**
 * The sync engine's data: what LoginTC holds (LoginTCState), what should change (Plan; its steps
 * are defined in ./stepKinds.ts), what the guards held back (GuardedPlan) and what happened
 * (ApplyResult). Plain data only.
 */
import { PLANNED_FEATURES, type PlannedFeature } from "../logintc/capabilities.ts";
import type { DisabledUsers, LoginTCGroup, LoginTCUser, RemoveScope, SyncMode, TokenMode } from "../types.ts";
import type { Kept } from "./kept.ts";
import type { Step, StepCounts } from "./stepKinds.ts";

/** What the planner needs to know about LoginTC, read once before planning. */
export interface LoginTCState {
  /** The domain these members were read from; the plan carries it to the applier. */
  domainId: string;
  /** Every member of the domain (all pages). */
  members: LoginTCUser[];
  /** Organization users that match a directory user but are not domain members. */
  orgUsers: LoginTCUser[];
  /** The -g group, resolved by name. */
  group?: LoginTCGroup;
  /** How to plan each extension feature (the capability probe's verdict). Default: all "read". */
  features?: PlanFeatures;
  /** What this tool last wrote for write-only features (src/state/writeOnlyValues.ts). */
  writeOnlyValues?: WriteOnlyValues;
  /** Who each username belonged to (./ledger.ts); undefined: unknown (no usable ledger). */
  ledger?: Ledger;
  /**
   * delete_after_days: the LoginTC users whose deletion is due, read by id (./gracePeriod.ts): the
   * objects found, and the ids LoginTC no longer has. undefined: not read (no deletion is made).
   */
  due?: { users: LoginTCUser[]; gone: string[] };
}

/** The ledger (./ledger.ts): who each username belonged to, per LoginTC domain. */
export const LEDGER_VERSION = 1;

export interface LedgerEntry {
  /** As the directory last spelled it. */
  username: string;
  /** The anchor as the directory shows it (GUID text for objectGUID); null: not known. */
  anchor: string | null;
  /** The LoginTC user id; null: not known (no LoginTC user yet). */
  userId: string | null;
  /**
   * This tool added the user to the domain, or the first ledger found the directory user already a
   * member; false: a member added by hand before the directory showed it.
   */
  managed: boolean;
  /** ISO 8601 UTC: the run that first recorded the entry. */
  firstSeen: string;
  /** The last run whose directory read showed the username. */
  lastSeen: string;
  /** The first run of the current absence from the directory read; null while present. */
  absentSince: string | null;
  /** Keys a newer version wrote, kept as they were on rewrite (never dropped silently). */
  other?: Record<string, unknown>;
}

export interface Ledger {
  version: typeof LEDGER_VERSION;
  domainId: string;
  /** The directory attribute the anchors are values of; null: none was read. */
  anchorAttribute: string | null;
  updatedAt: string;
  /** Sorted by username (compareUsernames); one entry per username key. */
  users: LedgerEntry[];
  other?: Record<string, unknown>;
}

/**
 * - read: LoginTC shows the values; compare with them (a user object without the key is
 *   unknown: no step for that user).
 * - write-only: LoginTC accepts the write but does not show the value; compare with what this
 *   tool last wrote for that user (LoginTCState.writeOnlyValues) and write once more when it differs.
 * - off: this LoginTC lacks the feature, or it could not be verified: plan nothing for it.
 */
export type FeatureUse = "read" | "write-only" | "off";

/** Per planned feature; aliases are never "write-only" (the probe finds them on user objects or not at all). */
export type PlanFeatures = Record<PlannedFeature, FeatureUse>;

export const ALL_FEATURES_READ = Object.fromEntries(PLANNED_FEATURES.map((f) => [f, "read"])) as PlanFeatures;

/** Per LoginTC user id: the -g group ids it was added to and the phone numbers added. */
export type WriteOnlyValues = Record<string, { groups?: string[]; phones?: string[] }>;

export interface PlanOptions {
  syncMode: SyncMode;
  syncTokenMode: TokenMode;
  /** The -g group name (resolved to LoginTCState.group). */
  group?: string;
  /**
   * The attribute DirectoryUser.anchor values are of (DirectoryRead.anchorAttribute); undefined: none
   * was read, and users are matched by username only.
   */
  anchorAttribute?: string;
  /** [sync] disabled_users; default "include" (the original: a disabled account is synced as any other). */
  disabledUsers?: DisabledUsers;
  /** [sync] protect_users: never removed or deleted (matched as usernames are). */
  protectUsers?: readonly string[];
  /** [sync] remove_scope; default "all". "managed": only members the ledger says this tool added. */
  removeScope?: RemoveScope;
  /** [sync] delete_after_days; default 0: -m delete deletes at once. */
  deleteAfterDays?: number;
  /** The run's time, from the clock: when a deletion is due. Needed when deleteAfterDays > 0. */
  now?: Date;
}

/**
 * One person under a new username (the ledger's anchor now carries another username). LoginTC cannot
 * rename a user, so `to` is synced as a new user and `from` is a leaver (removed only as -m and the
 * guards allow); the plan shows them as one rename.
 */
export interface Rename {
  from: string;
  to: string;
  attribute: string;
  anchor: string;
}

/** A directory user the directory shows disabled, and how it shows it (DirectoryUser.disabled). */
export interface DisabledUser {
  username: string;
  dn: string;
  reason: string;
}

/**
 * The directory's disabled users and what the plan did with them: with "include" they were planned as
 * any other (and keep their tokens), with "exclude" as if the directory did not show them.
 */
export interface DisabledSummary {
  handling: DisabledUsers;
  /** Sorted by username. */
  users: DisabledUser[];
}

/**
 * A directory user the plan leaves out (a case variant of another username, a look-alike of
 * another, or a new user without a name or email), with the reason: shown as a "skip" row and
 * counted.
 */
export interface LeftOut {
  username: string;
  dn: string;
  reason: string;
}

export interface Plan {
  /** The LoginTC domain the plan was made against (LoginTCState.domainId) and is applied to. */
  domainId: string;
  /** Sorted: phase, then username, then kind and alias slot. */
  steps: Step[];
  /** Sorted by username. */
  leftOut: LeftOut[];
  /** Members the plan would otherwise have removed or deleted, kept, with the reason (./kept.ts). */
  kept: Kept[];
  disabled: DisabledSummary;
  counts: StepCounts;
  /** Renames among this plan's new members (./identity.ts), sorted by `to`; absent: none. */
  renames?: Rename[];
  /** Usernames that look alike, left out (src/usernames.ts): one warning per set, escaped. */
  warnings?: string[];
}

/** A plan after the guards: what to apply, and what they held back and why. */
export interface GuardedPlan {
  plan: Plan;
  withheld: Step[];
  notices: string[];
}

export interface StepFailure {
  step: Step;
  message: string;
  /** LoginTC's answer, when it gave one (its status, and its error code and message). */
  answer?: { status: number; code?: string; message?: string };
  /** The API key or the proxy's credentials were refused: the run stopped here. */
  refusedCredentials?: true;
}

/** A step not attempted because one it depends on failed (the user's create, or its membership). */
export interface StepNotAttempted {
  step: Step;
  reason: string;
}

export interface ApplyResult {
  done: Step[];
  failed: StepFailure[];
  notAttempted: StepNotAttempted[];
  /** usernameKey → LoginTC id of each user this run created (their steps carry no userId). */
  createdIds?: Record<string, string>;
  /** Set when the applier stopped starting steps before the end of the plan (src/sync/applyPlan.ts). */
  stopped?: StoppedApply;
}

export interface StoppedApply {
  /** Why: the refused credential's LoginTCError, or the stop signal's reason. */
  reason: unknown;
  /** Sent, but no answer came before the run stopped waiting: made or not, LoginTC knows. */
  inFlight: Step[];
  /** Never started. */
  notStarted: number;
}

/**
 * The username key LoginTC matches on (ASCII case folded only) and the order of
 * DirectoryRead.users, from their one definition (look-alikes: src/usernames.ts).
 */
export { compareUsernames, usernameKey } from "../usernames.ts";
