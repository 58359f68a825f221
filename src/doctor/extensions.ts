/**
 * Which LoginTC extensions this LoginTC supports, for the features the config and flags ask for
 * (aliases, phones, -g, -l, a token without email): the sync's own capability probe
 * (src/logintc/capabilities.ts), GETs only, shown one line per feature.
 */
import type { LoginTCApi } from "../logintc/api.ts";
import {
  capabilityLines,
  FEATURES,
  probeCapabilities,
  unavailableFeatures,
} from "../logintc/capabilities.ts";
import type { Config, SyncOptions } from "../types.ts";
import type { DoctorCheck } from "../report/report.ts";
import { fail, ok, warn } from "./doctorCheck.ts";
import { messageOf } from "../unknown.ts";

export async function checkExtensions(
  api: LoginTCApi,
  config: Config,
  options: Pick<SyncOptions, "group" | "emailNotification" | "syncTokenMode">,
): Promise<DoctorCheck> {
  const id = "logintc.extensions";
  let caps;
  try {
    caps = await probeCapabilities(api, config, {
      group: options.group,
      emailNotification: options.emailNotification,
      syncTokenMode: options.syncTokenMode,
    });
  } catch (e) {
    return fail(id, messageOf(e), "fix what the message names, then run --doctor again");
  }
  if (caps.checks.length === 0) {
    return ok(id, `none asked for (${Object.values(FEATURES).join(", ")})`);
  }
  const unavailable = unavailableFeatures(caps).length;
  const unverified = caps.checks.filter((c) => c.used && c.support === "unverified").length;
  const head =
    `${caps.checks.length} asked for: ${caps.checks.length - unavailable} used, ${unavailable} skipped` +
    (unverified > 0 ? `, ${unverified} not verifiable` : "");
  const detail = [head, ...capabilityLines(caps)].join("\n");
  if (unavailable > 0 || unverified > 0) {
    return {
      ...warn(
        id,
        head,
        "a sync skips what this LoginTC lacks (one warning, exit 5): drop those keys or flags, or ask " +
          "LoginTC whether your edition offers them (docs/logintc-api.md)",
      ),
      detail,
    };
  }
  return { ...ok(id, head), detail };
}
