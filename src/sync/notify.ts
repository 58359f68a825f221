/**
 * -l/--email-notification: after a sync that added or removed users, ask LoginTC Admin to email
 * that administrator the lists (an ASSUMED endpoint, src/logintc/extensions.ts). As in the
 * original, an address that is not an administrator's is ignored — with a warning here, so the
 * admin learns why no mail came. A failed notification never fails the sync that already ran.
 */
import type { LoginTCApi } from "../logintc/api.ts";
import type { Output } from "../output/output.ts";
import { isRemoval, kindOf, type Step } from "./stepKinds.ts";
import type { ApplyResult } from "./types.ts";
import { messageOf } from "../unknown.ts";

/** Who this run added to the domain and whose token it revoked (removed or deleted), sorted. */
function notificationLists(result: ApplyResult): { added: string[]; removed: string[] } {
  const pick = (which: (step: Step) => boolean) =>
    [...new Set(result.done.filter(which).map((s) => s.username))].sort();
  return { added: pick((s) => kindOf(s).grantsMembership === true), removed: pick(isRemoval) };
}

export async function notifyAdministrator(
  api: LoginTCApi,
  email: string,
  result: ApplyResult,
  output: Output,
): Promise<void> {
  const { added, removed } = notificationLists(result);
  if (added.length === 0 && removed.length === 0) return;
  try {
    const outcome = await api.notifyAdministrator({ email, added, removed });
    if (outcome === "not-an-administrator") {
      output.err(
        `warning: -l ${email}: not the email of a LoginTC Admin administrator; no notification was sent`,
      );
    } else {
      output.out(`Notification sent to ${email} (${added.length} added, ${removed.length} removed).`);
    }
  } catch (e) {
    output.err(`warning: -l ${email}: the notification could not be sent: ${messageOf(e)}`);
  }
}
