/**
 * The read phase's second half: after the domain's members and the organization's users are
 * read, ask the capability probe (src/logintc/capabilities.ts) which configured extension
 * features this LoginTC supports, and say once per run what is skipped or cannot be verified.
 * GETs only, so dry runs show the same warnings. What this tool last wrote for write-only
 * features is read next, from the state directory (src/state/writeOnlyValues.ts).
 */
import { LoginTCError } from "../errors.ts";
import type { LoginTCApi } from "../logintc/api.ts";
import { type Capabilities, capabilityWarnings, probeCapabilities } from "../logintc/capabilities.ts";
import { escapeControls } from "../output/escape.ts";
import type { Output } from "../output/output.ts";
import type { Config, SyncOptions } from "../types.ts";
import { planFeatures } from "./features.ts";
import type { LoginTCState } from "./types.ts";

export interface Extensions {
  caps: Capabilities;
  /** The LoginTC state with the -g group and the features added. */
  state: LoginTCState;
}

export async function readExtensions(
  api: LoginTCApi,
  config: Config,
  options: SyncOptions,
  state: LoginTCState,
  deps: { output: Output },
): Promise<Extensions> {
  const caps = await probeCapabilities(api, config, {
    group: options.group,
    emailNotification: options.emailNotification,
    syncTokenMode: options.syncTokenMode,
    sample: [...state.members, ...state.orgUsers],
  });
  if (caps.problems.length > 0) throw new LoginTCError(caps.problems.join("; "));
  for (const w of capabilityWarnings(caps)) deps.output.err(`warning: ${escapeControls(w)}`);
  const features = planFeatures(caps);
  return { caps, state: { ...state, features, ...(caps.group ? { group: caps.group } : {}) } };
}
