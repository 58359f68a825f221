/**
 * Reads what the planner needs from LoginTC Admin, before anything is written
 * (read every page before mutating, as deletions shift pages: docs/logintc-api.md).
 * The -g group and the extension features are the capability probe's (src/logintc/capabilities.ts).
 */
import type { LoginTCApi } from "../logintc/api.ts";
import type { DirectoryUser } from "../types.ts";
import { mapBounded } from "./bounded.ts";
import { findOrgUsers } from "./findOrgUsers.ts";
import { type LoginTCState, usernameKey } from "./types.ts";

export interface ReadLoginTCOptions {
  /** Requests in flight at once while finding organization users. Default 4. */
  concurrency?: number;
  /**
   * add_only: a 404 after page 1 of the member list ends it (src/logintc/client.ts readAll).
   * With removals planned from the list, only an unambiguous end does.
   */
  loose?: boolean;
}

export async function readLoginTC(
  api: LoginTCApi,
  domainId: string,
  directory: readonly DirectoryUser[],
  opts: ReadLoginTCOptions = {},
): Promise<LoginTCState> {
  // First, so a wrong domain_id fails before anything else is read.
  await api.getDomain(domainId);

  const members = await api.listDomainMembers(domainId, { loose: opts.loose });
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
  return { domainId, members, orgUsers };
}

/**
 * The users whose deletion delete_after_days made due (src/sync/gracePeriod.ts dueIds), read by id
 * (GET /users/{id}) before planning: a delete is planned only from what LoginTC shows now.
 */
export async function readDueUsers(
  api: LoginTCApi,
  ids: readonly string[],
  opts: { concurrency?: number } = {},
): Promise<NonNullable<LoginTCState["due"]>> {
  const found = await mapBounded(ids, opts.concurrency ?? 4, (id) => api.getUser(id));
  return {
    users: found.filter((u) => u !== undefined),
    gone: ids.filter((_, i) => found[i] === undefined),
  };
}
