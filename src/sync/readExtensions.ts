/**
 * The read phase's second half: after the domain's members and the organization's users are
 * read, ask the capability probe (src/logintc/capabilities.ts) which configured extension
 * features this LoginTC supports, say once per run what is skipped or cannot be verified, and
 * load what this tool last wrote for write-only features (src/sync/written.ts). GETs and a file
 * read only, so dry runs show the same warnings; `remember` writes the file after a real run.
 */
import { LoginTCError } from "../errors.ts";
import type { LoginTCApi } from "../logintc/api.ts";
import { type Capabilities, capabilityWarnings, probeCapabilities } from "../logintc/capabilities.ts";
import { escapeControls } from "../output/escape.ts";
import type { Output } from "../output/output.ts";
import type { Config, SyncOptions } from "../types.ts";
import { planFeatures, usesRemembered } from "./features.ts";
import type { ApplyResult, LoginTCState } from "./types.ts";
import { readRemembered, rememberApplied, writeRemembered } from "./written.ts";
import { messageOf } from "../unknown.ts";

export interface Extensions {
  caps: Capabilities;
  /** The LoginTC state with the -g group, the features and the remembered values added. */
  state: LoginTCState;
  /** After a real run: records the write-only values just written. Never throws. */
  remember(result: ApplyResult): Promise<void>;
}

export async function readExtensions(
  api: LoginTCApi,
  config: Config,
  options: SyncOptions,
  state: LoginTCState,
  deps: { output: Output; stateDir: string },
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
  const host = config.logintc.host;
  const domainId = state.domainId;
  let remembered = {};
  if (usesRemembered(features)) {
    const read = await readRemembered(deps.stateDir, host, domainId);
    if (read.problem) {
      deps.output.err(
        `warning: ${escapeControls(read.problem)}; write-only values (-g, attr_phone) are written once more`,
      );
    }
    remembered = read.remembered;
  }
  return {
    caps,
    state: { ...state, features, remembered, ...(caps.group ? { group: caps.group } : {}) },
    async remember(result) {
      const after = rememberApplied(remembered, result, features);
      if (!after) return;
      try {
        await writeRemembered(deps.stateDir, host, domainId, after);
      } catch (e) {
        // The writes were made; the next run writes them once more. Never worse than that.
        deps.output.err(`warning: cannot record write-only values: ${escapeControls(messageOf(e))}`);
      }
    },
  };
}
