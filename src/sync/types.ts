/**
 * The sync engine's data: what LoginTC holds (LoginTCState), what should change (Plan, Step),
 * what the guards held back (CheckedPlan) and what happened (ApplyResult). Plain data only.
 */
import type { AliasSlot, LoginTCGroup, LoginTCUser, SyncMode, TokenMode } from "../types.ts";

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
}

/**
 * - read: LoginTC shows the values; compare with them (a user object without the key is
 *   unknown: no step for that user).
 * - write-only: LoginTC accepts the write but does not show the value; compare with what this
 *   tool last wrote for that user (LoginTCState.writeOnlyValues) and write once more when it differs.
 * - off: this LoginTC lacks the feature, or it could not be verified: plan nothing for it.
 */
export type FeatureUse = "read" | "write-only" | "off";

export interface PlanFeatures {
  aliases: "read" | "off";
  phone: FeatureUse;
  group: FeatureUse;
}

export const ALL_FEATURES_READ: PlanFeatures = { aliases: "read", phone: "read", group: "read" };

/** Per LoginTC user id: the -g group ids it was added to and the phone numbers added. */
export type WriteOnlyValues = Record<string, { groups?: string[]; phones?: string[] }>;

export interface PlanOptions {
  syncMode: SyncMode;
  syncTokenMode: TokenMode;
  /** The -g group name (resolved to LoginTCState.group). */
  group?: string;
}

/**
 * One change. Every step names its username; `userId` is absent for users created in the
 * same plan (they have no id yet) and the applier maps username → id after the create.
 */
export type Step =
  | { kind: "createUser"; username: string; name: string; email: string }
  | {
    kind: "updateUser";
    username: string;
    userId: string;
    changes: { name?: FromTo; email?: FromTo };
  }
  | { kind: "addToDomain"; username: string; userId?: string }
  | { kind: "issueToken"; username: string; userId?: string; sendEmail: boolean }
  | { kind: "addToGroup"; username: string; userId?: string; groupId: string; groupName: string }
  | { kind: "setAlias"; username: string; userId?: string; slot: AliasSlot; from: string; to: string }
  | { kind: "clearAlias"; username: string; userId?: string; slot: AliasSlot; from: string }
  | { kind: "addPhone"; username: string; userId?: string; number: string }
  | { kind: "removeFromDomain"; username: string; userId: string }
  | { kind: "deleteUser"; username: string; userId: string };

export type StepKind = Step["kind"];

export interface FromTo {
  from: string;
  to: string;
}

/** Every step kind, in apply order (phase, then kind within a phase). */
export const STEP_KINDS: readonly StepKind[] = [
  "createUser",
  "updateUser",
  "addToDomain",
  "issueToken",
  "addToGroup",
  "setAlias",
  "clearAlias",
  "addPhone",
  "removeFromDomain",
  "deleteUser",
];

/**
 * The applier's phases. Steps of one phase run concurrently; a phase starts when the one
 * before it has finished, so a user exists before it joins the domain, and is a member
 * before its token is issued (a token needs membership: https://www.logintc.com/docs/rest-api/tokens.html).
 */
export const PHASES: readonly (readonly StepKind[])[] = [
  ["createUser"],
  ["updateUser"],
  ["addToDomain"],
  ["issueToken"],
  ["addToGroup"],
  ["setAlias", "clearAlias", "addPhone"],
  ["removeFromDomain", "deleteUser"],
];

export function isRemoval(step: Step): boolean {
  return step.kind === "removeFromDomain" || step.kind === "deleteUser";
}

/** A directory user the plan leaves out, with the reason (shown and counted). */
export interface Skip {
  username: string;
  dn: string;
  reason: string;
}

export type StepCounts = Record<StepKind, number>;

export interface Plan {
  /** The LoginTC domain the plan was made against (LoginTCState.domainId) and is applied to. */
  domainId: string;
  /** Sorted: phase, then username, then kind and alias slot. */
  steps: Step[];
  /** Sorted by username. */
  skipped: Skip[];
  counts: StepCounts;
}

/** A plan after the guards: what to apply, and what they held back and why. */
export interface CheckedPlan {
  plan: Plan;
  withheld: Step[];
  notices: string[];
}

export interface StepFailure {
  step: Step;
  message: string;
}

export interface StepSkipped {
  step: Step;
  reason: string;
}

export interface ApplyResult {
  done: Step[];
  failed: StepFailure[];
  skipped: StepSkipped[];
  /** usernameKey → LoginTC id of each user this run created (their steps carry no userId). */
  createdIds?: Record<string, string>;
}

function emptyCounts(): StepCounts {
  const counts = {} as StepCounts;
  for (const kind of STEP_KINDS) counts[kind] = 0;
  return counts;
}

export function countSteps(steps: readonly Step[]): StepCounts {
  const counts = emptyCounts();
  for (const step of steps) counts[step.kind]++;
  return counts;
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
