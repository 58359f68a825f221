/**
 * Members the plan keeps although the directory no longer shows them, so it would otherwise have
 * removed or deleted them: a decision, not a step (nothing is written). Every reason is defined once
 * here, with the words the plan's "Kept" table, the job record and `--json` show; docs/schema lists
 * them for `--json`: add a new one there too.
 */
import { escapeText } from "../output/escape.ts";

/** The reasons, as `--json` names them. */
export type KeptReason = "protected" | "notManaged" | "deletionPending" | "otherDomains" | "deletionUnproven";

export const KEPT_REASONS: Record<KeptReason, { detail(kept: Kept): string }> = {
  /** [sync] protect_users names the user. */
  protected: {
    detail: () => "protected (protect_users): never removed or deleted",
  },
  /** remove_scope = managed, and the ledger does not say this tool added the member. */
  notManaged: {
    detail: () => "not managed by this sync: kept (remove_scope = managed)",
  },
  /** delete_after_days: removed from the domain already; deleted from the organization when due. */
  deletionPending: {
    detail: (k) => `removed from the domain; deletion due on ${k.due ?? "?"} (delete_after_days)`,
  },
  /** A deletion came due, but the user object lists another domain: that membership is not ours. */
  otherDomains: {
    detail: (k) => `kept for another domain (a member of ${k.domains ?? 0} other domain(s)): not deleted`,
  },
  /** A deletion came due, but LoginTC did not show the user's domains: not proved safe. */
  deletionUnproven: {
    detail: () =>
      "not deleted: LoginTC did not show the user's domains, so deleting it could not be proved safe",
  },
};

export interface Kept {
  username: string;
  userId: string;
  reason: KeptReason;
  /** Why the directory would have had the user removed, when it is not "not in the directory". */
  disabled?: string;
  /** deletionPending: the date the deletion is due (`YYYY-MM-DD`, UTC). */
  due?: string;
  /** otherDomains: how many other domains the user object lists. */
  domains?: number;
}

/** The Detail cell: the reason's words, and the directory's reason when the user is disabled there. */
export function keptDetail(kept: Kept): string {
  const words = KEPT_REASONS[kept.reason].detail(kept);
  return kept.disabled === undefined
    ? words
    : `disabled in the directory (${escapeText(kept.disabled)}); ${words}`;
}
