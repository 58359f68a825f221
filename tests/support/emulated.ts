/**
 * The sync tests' LoginTC: the real client against the emulator over HTTPS (one attempt per
 * request, so an injected fault is seen once), and LoginTC's state read as a sync reads it.
 */
import type { Emulator } from "../../emulator/mod.ts";
import { LoginTCError } from "../../src/errors.ts";
import { probeCapabilities } from "../../src/logintc/capabilities.ts";
import { createLoginTCClient, type LoginTCClient } from "../../src/logintc/client.ts";
import { planFeatures } from "../../src/sync/features.ts";
import { readLoginTC } from "../../src/sync/readLoginTC.ts";
import type { DirectoryUser } from "../../src/types.ts";
import { configFor, withEmulator, withPki } from "./logintc.ts";

export async function withClient(
  opts: { pageSize?: number; api?: "extended" | "public" },
  fn: (emu: Emulator, api: LoginTCClient) => Promise<void>,
): Promise<void> {
  await withPki((p) =>
    withEmulator(p, opts, async (emu) => {
      const api = createLoginTCClient(configFor(emu, { caPem: p.caPem }), { retry: { maxAttempts: 1 } });
      try {
        await fn(emu, api);
      } finally {
        await api.close();
      }
    })
  );
}

/** readLoginTC, then the capability probe for -g (as src/sync/readExtensions.ts does). */
export async function readState(
  api: LoginTCClient,
  emu: Emulator,
  dir: DirectoryUser[],
  group?: string,
  concurrency?: number,
) {
  const state = await readLoginTC(api, emu.domainId, dir, { concurrency });
  if (group === undefined) return state;
  const caps = await probeCapabilities(
    api,
    { ldap: { attrAlias: {} }, logintc: { domainId: emu.domainId } },
    {
      group,
      syncTokenMode: "do_not_issue_token",
      sample: [...state.members, ...state.orgUsers],
    },
  );
  if (caps.problems.length > 0) throw new LoginTCError(caps.problems.join("; "));
  return { ...state, features: planFeatures(caps), ...(caps.group ? { group: caps.group } : {}) };
}
