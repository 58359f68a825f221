/**
 * The sync engine's data: what LoginTC holds (LoginTCState), what should change (Plan; its steps
 * are defined in ./stepKinds.ts), what the guards held back (GuardedPlan) and what happened
 * (ApplyResult). Plain data only.
 */
import { PLANNED_FEATURES, type PlannedFeature } from "../logintc/capabilities.ts";
import type { LoginTCGroup, LoginTCUser, SyncMode, TokenMode } from "../types.ts";
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

/**
 * A directory user the plan leaves out (a case variant of another username, or a new user without
 * a name or email), with the reason: shown as a "skip" row and counted.
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
  counts: StepCounts;
  /** Renames among this plan's new members (./identity.ts), sorted by `to`; absent: none. */
  renames?: Rename[];
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
}

/**
 * The username key LoginTC matches on: usernames are unique case-insensitively (assumed:
 * docs/logintc-api.md).
 */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

/** Case-insensitive, then code point: the order of DirectoryRead.users, from its one definition. */
export { compareUsernames } from "../directory/validate.ts";
