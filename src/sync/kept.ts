/**
 * Members the plan keeps although the directory no longer shows them, so it would otherwise have
 * removed or deleted them: a decision, not a step (nothing is written). Every reason is defined once
 * here, with the words the plan's "Kept" table, the job record and `--json` show; docs/schema lists
 * them for `--json`: add a new one there too.
 */
import { escapeText } from "../output/escape.ts";

/** The reasons, as `--json` names them. */
export type KeptReason = "protected";

export const KEPT_REASONS: Record<KeptReason, { detail(kept: Kept): string }> = {
  /** [sync] protect_users names the user. */
  protected: {
    detail: () => "protected (protect_users): never removed or deleted",
  },
};

export interface Kept {
  username: string;
  userId: string;
  reason: KeptReason;
  /** Why the directory would have had the user removed, when it is not "not in the directory". */
  disabled?: string;
}

/** The Detail cell: the reason's words, and the directory's reason when the user is disabled there. */
export function keptDetail(kept: Kept): string {
  const words = KEPT_REASONS[kept.reason].detail(kept);
  return kept.disabled === undefined
    ? words
    : `disabled in the directory (${escapeText(kept.disabled)}); ${words}`;
}
