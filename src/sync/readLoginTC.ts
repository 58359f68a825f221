/**
 * Reads what the planner needs from LoginTC Admin, before anything is written
 * (read every page before mutating, as deletions shift pages: docs/logintc-api.md).
 */
import type { LoginTCApi } from "../logintc/api.ts";
import { LoginTCError } from "../errors.ts";
import type { DirectoryUser } from "../types.ts";
import { findOrgUsers } from "./findOrgUsers.ts";
import { type LoginTCState, usernameKey } from "./types.ts";

export interface ReadLoginTCOptions {
  /** The -g group name; resolved case-insensitively. */
  group?: string;
  /** Requests in flight at once while finding organization users. Default 4. */
  concurrency?: number;
}

export async function readLoginTC(
  api: LoginTCApi,
  domainId: string,
  directory: readonly DirectoryUser[],
  opts: ReadLoginTCOptions = {},
): Promise<LoginTCState> {
  // First, so a wrong domain_id fails before anything else is read.
  await api.getDomain(domainId);

  let group;
  if (opts.group !== undefined) {
    const wanted = opts.group.toLowerCase();
    const groups = await api.listGroups();
    group = groups.find((g) => g.name === opts.group) ?? groups.find((g) => g.name.toLowerCase() === wanted);
    if (!group) throw new LoginTCError(`group "${opts.group}" not found in LoginTC Admin`);
  }

  const members = await api.listDomainMembers(domainId);
  const memberKeys = new Set(members.map((m) => usernameKey(m.username)));
  const toFind: string[] = [];
  const asked = new Set<string>();
  for (const user of directory) {
    const key = usernameKey(user.username);
    if (memberKeys.has(key) || asked.has(key)) continue;
    asked.add(key);
    toFind.push(user.username);
  }
  // Lookups or the organization listing, whichever the cost rule picks (./findOrgUsers.ts).
  const orgUsers = await findOrgUsers(api, toFind, { concurrency: opts.concurrency });
  return { domainId, members, orgUsers, ...(group ? { group } : {}) };
}
