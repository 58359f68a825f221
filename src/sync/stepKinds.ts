/**
 * Every kind of step, each defined once: the fields it carries, the phase it runs in, its label
 * (the plan table's Action column, the job record and error lines), its Detail cell, its words in
 * the plan's summary line, whether it revokes a token, and the LoginTC call that makes it.
 *
 * A new kind is one entry in STEP_KINDS plus the planner (src/sync/planSync.ts) that emits it:
 * `Step` is derived from this table, so a kind is never half-defined. docs/schema lists the kinds
 * for `--json`; add it there too.
 */
import type { LoginTCApi } from "../logintc/api.ts";
import { escapeText } from "../output/escape.ts";
import { shownDate } from "./dueDate.ts";
import type { AliasSlot } from "../types.ts";

/**
 * The applier's phases, in order. Steps of one phase run concurrently; a phase starts when the one
 * before it has finished, so a user exists before it joins the domain, and is a member before its
 * token is issued (a token needs membership: https://www.logintc.com/docs/rest-api/tokens.html).
 * A reassigned account loses the previous person's second factors before anything of the new
 * person's is written to it.
 */
export const PHASES = ["reassign", "create", "update", "join", "token", "group", "fields", "remove"] as const;
export type Phase = (typeof PHASES)[number];

/**
 * A part of the plan's summary line ("2 to create, …"). Kinds that share one part (by identity) are
 * counted together; the parts are written in the order of the kinds below.
 */
export interface SummaryPart {
  /** After the count: `3 ${words}`. */
  words: string;
  /** Written even when the count is 0 (the original's three counts and the removals). */
  always?: boolean;
  /** The part that says how many removals the guards withheld: ` (N withheld)`. */
  withheld?: boolean;
}

/** Where a step is applied: the domain of the plan and the user's LoginTC id. */
export interface ApplyTarget {
  api: LoginTCApi;
  domainId: string;
  /** The user's id; "" for the step that creates the user (it has none yet). */
  userId: string;
}

/** What each step carries besides its kind. */
interface StepBase {
  username: string;
}

export interface StepKindDef<S> {
  phase: Phase;
  label: string;
  summary: SummaryPart;
  /**
   * Revokes the user's token (a removal): counts toward -r and --max-remove-percent, and is what the
   * guards withhold (src/sync/guards.ts).
   */
  removal: boolean;
  /** Creates the user: needs no id, and when it fails the user's other steps are not attempted. */
  createsUser?: true;
  /** Makes the user a domain member: when it fails, steps that `needsMembership` are not attempted. */
  grantsMembership?: true;
  needsMembership?: true;
  /**
   * Hands an existing LoginTC user over to the person the directory now shows under its username:
   * only once it is done does the ledger record that person's anchor (src/sync/ledger.ts). When it
   * fails or is withheld, none of the user's other steps is made (the account keeps the old person's
   * name, email and factors rather than the new person's name with the old person's token).
   */
  reassigns?: true;
  /** The Detail cell: values from the directory or LoginTC terminal-safe (src/output/escape.ts). */
  detail(step: S): string;
  /** Makes the step; returns the new user's id for a create. */
  apply(step: S, on: ApplyTarget): Promise<string | void>;
}

/** One entry of STEP_KINDS; `Fields` are the step's data besides kind and username. */
function kind<Fields>(def: StepKindDef<StepBase & Fields>): StepKindDef<StepBase & Fields> {
  return def;
}

export interface FromTo {
  from: string;
  to: string;
}

const e = escapeText;

const ALWAYS = (words: string): SummaryPart => ({ words, always: true });
const WHEN_ANY = (words: string): SummaryPart => ({ words });
const ALIAS_CHANGES = WHEN_ANY("alias change(s)");
const REMOVALS: SummaryPart = { words: "to remove", always: true, withheld: true };
const REASSIGNMENTS: SummaryPart = { words: "to reassign", withheld: true };

/** In apply order within a phase; this order is also that of `counts` in `--json` and job records. */
export const STEP_KINDS = {
  createUser: kind<{ name: string; email: string }>({
    phase: "create",
    label: "create",
    summary: ALWAYS("to create"),
    removal: false,
    createsUser: true,
    detail: (step) => `name: ${e(step.name)}, email: ${e(step.email)}`,
    apply: async (step, on) =>
      (await on.api.createUser({ username: step.username, name: step.name, email: step.email })).id,
  }),
  updateUser: kind<{ userId: string; changes: { name?: FromTo; email?: FromTo } }>({
    phase: "update",
    label: "update",
    summary: ALWAYS("to update"),
    removal: false,
    detail: ({ changes }) => {
      const parts: string[] = [];
      if (changes.name) parts.push(`name: ${e(changes.name.from)} → ${e(changes.name.to)}`);
      if (changes.email) parts.push(`email: ${e(changes.email.from)} → ${e(changes.email.to)}`);
      return parts.join(", ");
    },
    apply: async ({ changes }, on) => {
      const to: { name?: string; email?: string } = {};
      if (changes.name) to.name = changes.name.to;
      if (changes.email) to.email = changes.email.to;
      await on.api.updateUser(on.userId, to);
    },
  }),
  addToDomain: kind<{ userId?: string }>({
    phase: "join",
    label: "add to domain",
    summary: ALWAYS("to add to domain"),
    removal: false,
    grantsMembership: true,
    detail: (step) => step.userId === undefined ? "" : "already in the organization",
    apply: (_, on) => on.api.addDomainMember(on.domainId, on.userId),
  }),
  issueToken: kind<{ userId?: string; sendEmail: boolean }>({
    phase: "token",
    label: "issue token",
    summary: WHEN_ANY("token(s) to issue"),
    removal: false,
    needsMembership: true,
    detail: (step) => step.sendEmail ? "token (email)" : "token (no email)",
    apply: async (step, on) => {
      await on.api.issueToken(on.domainId, on.userId, { sendEmail: step.sendEmail });
    },
  }),
  addToGroup: kind<{ userId?: string; groupId: string; groupName: string }>({
    phase: "group",
    label: "add to group",
    summary: WHEN_ANY("to add to group"),
    removal: false,
    detail: (step) => `group ${e(step.groupName)}`,
    apply: (step, on) => on.api.addGroupMember(step.groupId, on.userId),
  }),
  setAlias: kind<{ userId?: string; slot: AliasSlot; from: string; to: string }>({
    phase: "fields",
    label: "set alias",
    summary: ALIAS_CHANGES,
    removal: false,
    detail: (step) =>
      step.from === "" ? `${step.slot}: ${e(step.to)}` : `${step.slot}: ${e(step.from)} → ${e(step.to)}`,
    apply: async (step, on) => {
      await on.api.updateUser(on.userId, { [step.slot]: step.to });
    },
  }),
  clearAlias: kind<{ userId?: string; slot: AliasSlot; from: string }>({
    phase: "fields",
    label: "clear alias",
    summary: ALIAS_CHANGES,
    removal: false,
    detail: (step) => `${step.slot}: cleared`,
    apply: async (step, on) => {
      // "" clears an alias (src/logintc/extensions.ts).
      await on.api.updateUser(on.userId, { [step.slot]: "" });
    },
  }),
  addPhone: kind<{ userId?: string; number: string }>({
    phase: "fields",
    label: "add phone",
    summary: WHEN_ANY("phone(s) to add"),
    removal: false,
    detail: (step) => `phone ${e(step.number)}`,
    apply: async (step, on) => {
      await on.api.addPhone(on.userId, step.number);
    },
  }),
  removeFromDomain: kind<{ userId: string } & LeaverFields & { notDeleted?: NotDeleted }>({
    phase: "remove",
    label: "remove from domain",
    summary: REMOVALS,
    removal: true,
    detail: (step) =>
      `${leaverWhy(step)}; token revoked${step.notDeleted ? `; ${notDeletedWords(step.notDeleted)}` : ""}`,
    apply: (_, on) => on.api.removeDomainMember(on.domainId, on.userId),
  }),
  deleteUser: kind<{ userId: string } & LeaverFields & { absentSince?: string }>({
    phase: "remove",
    label: "delete user",
    summary: REMOVALS,
    removal: true,
    detail: (step) =>
      `${leaverWhy(step)}${
        step.absentSince ? ` since ${shownDate(step.absentSince)} (delete_after_days)` : ""
      }; deleted from the organization`,
    apply: (_, on) => on.api.deleteUser(on.userId),
  }),
  reassignUser: kind<{
    userId: string;
    /** The anchor attribute, the ledger's anchor for the username, and the directory's now. */
    attribute: string;
    from: string;
    to: string;
    /** A member of the domain: its token there is revoked (an organization user has none). */
    member: boolean;
    /** The user's other LoginTC domains: tokens there are the old person's too, and not ours to revoke. */
    otherDomains: string[];
  }>({
    phase: "reassign",
    label: "reassign",
    summary: REASSIGNMENTS,
    removal: true,
    reassigns: true,
    detail: (step) =>
      `${e(step.attribute)} ${e(step.from)} → ${e(step.to)}: the previous person's ` +
      (step.member
        ? "token, bypass codes and hardware token revoked"
        : "bypass codes and hardware token revoked") +
      (step.otherDomains.length > 0
        ? `; tokens in ${step.otherDomains.length} other domain(s) NOT revoked: ${
          step.otherDomains.map(e).join(", ")
        }`
        : ""),
    // Token, then the user's own factors (bypass codes and a hardware token belong to the LoginTC
    // user, not to a domain: docs/logintc-api.md, "Reassigned usernames").
    apply: async (step, on) => {
      if (step.member) await on.api.revokeToken(on.domainId, on.userId);
      await on.api.deleteBypassCodes(on.userId);
      await on.api.removeHardwareToken(on.userId);
    },
  }),
};

/** Why a member leaves: absent from the directory (the original's only reason), or disabled there. */
interface LeaverFields {
  /** [sync] disabled_users = exclude: the directory shows the user disabled, and how (DirectoryUser.disabled). */
  disabled?: string;
}

/**
 * Why `-m delete` only removes a leaver from this domain (docs/operations.md, "Leavers"): the user object
 * lists other domains (their memberships are not this sync's), or LoginTC did not show its domains at all,
 * so a delete could not be proved safe.
 */
export type NotDeleted =
  | { why: "otherDomains"; domains: number }
  | { why: "domainsUnknown" }
  /** delete_after_days: deleted on `due` (`YYYY-MM-DD`, UTC) if still absent (src/sync/gracePeriod.ts). */
  | { why: "gracePeriod"; due: string }
  /** delete_after_days, but the ledger never saw the user in the directory: its absence cannot be counted. */
  | { why: "untracked" };

function leaverWhy(step: LeaverFields): string {
  return step.disabled === undefined
    ? "not in the directory"
    : `disabled in the directory (${e(step.disabled)})`;
}

function notDeletedWords(n: NotDeleted): string {
  switch (n.why) {
    case "otherDomains":
      return `kept for another domain (a member of ${n.domains} other domain(s)): not deleted`;
    case "domainsUnknown":
      return "not deleted: LoginTC did not show the user's domains, so deleting it could not be proved safe";
    case "gracePeriod":
      return `deletion due on ${n.due} (delete_after_days)`;
    case "untracked":
      return "never deleted by delete_after_days: the ledger has not seen the user in the directory, so its " +
        "absence cannot be counted";
  }
}

export type StepKind = keyof typeof STEP_KINDS;

type FieldsOf<D> = D extends StepKindDef<infer S> ? S : never;

/**
 * One change. Every step names its username; `userId` is absent for users created in the same plan
 * (they have no id yet) and the applier maps username → id after the create.
 */
export type Step = { [K in StepKind]: { kind: K } & FieldsOf<(typeof STEP_KINDS)[K]> }[StepKind];

/** The definition of a step's kind, typed for that step. */
export function kindOf<S extends Step>(step: S): StepKindDef<S> {
  return STEP_KINDS[step.kind] as unknown as StepKindDef<S>;
}

/** Every kind, in table order. */
export const KINDS = Object.keys(STEP_KINDS) as StepKind[];

export function stepLabel(step: Step): string {
  return STEP_KINDS[step.kind].label;
}

/** Revokes a token: counts toward -r and --max-remove-percent. */
export function isRemoval(step: Step): boolean {
  return STEP_KINDS[step.kind].removal;
}

export type StepCounts = Record<StepKind, number>;

export function countSteps(steps: readonly Step[]): StepCounts {
  const counts = {} as StepCounts;
  for (const k of KINDS) counts[k] = 0;
  for (const step of steps) counts[step.kind]++;
  return counts;
}
