/**
 * Finds the organization users that match directory users who are not domain members: either one
 * `GET /users?username=` per user (N requests), or one listing of the organization
 * (`GET /users?page=1..` until an empty page: ceil(org users / page size) + 1 requests).
 *
 * The cost rule (docs/logintc-api.md, "Finding organization users"). LoginTC tells neither the
 * organization's size nor its page size, so the choice is made online:
 * - N ≤ LOOKUP_LIMIT: look each user up. A scheduled run finds a few new hires; N requests, all
 *   in flight at `concurrency`, whatever the organization's size.
 * - N > LOOKUP_LIMIT: read the listing, with a budget of N pages (never more pages than the
 *   lookups they replace). If the listing ends within its budget, that was the cheaper way
 *   (pages + 1 ≤ N). If not (an organization of more than N pages), the users not seen so far are
 *   looked up: at most 2N requests, the worst case of not knowing the size (the ski-rental bound).
 *
 * A listing that is not trustworthy (a server that ignores ?page= and sends the same page again)
 * stops and the users not seen are looked up: a doubtful listing never turns an existing user
 * into a planned create. Matching is case-insensitive (usernameKey), as LoginTC's lookup is
 * (docs/logintc-api.md). Only the matching users are kept, not the whole organization, and the
 * users that only look like one (src/usernames.ts): the planner must see a look-alike to leave
 * both out, never to create one beside the other.
 */
import { LoginTCError } from "../errors.ts";
import type { LoginTCApi } from "../logintc/api.ts";
import type { LoginTCUser } from "../types.ts";
import { mapBounded } from "./bounded.ts";
import { usernameKey } from "./types.ts";
import { lookAlikeKey } from "../usernames.ts";

/** Up to this many users to find, look each up; beyond, list the organization. */
export const LOOKUP_LIMIT = 50;
/**
 * Listing pages in flight at once (after page 1 alone, then 2). Bounds the pages read past the
 * end of the listing to 3, while 100 pages take 26 round trips instead of 101.
 */
export const MAX_PAGES_IN_FLIGHT = 4;

export type FindStrategy = "lookup" | "list";

/** The rule above, for the first choice: by the number of users to find. */
export function chooseStrategy(toFind: number): FindStrategy {
  return toFind <= LOOKUP_LIMIT ? "lookup" : "list";
}

export interface FindOrgUsersOptions {
  /** Requests in flight at once (lookups; the listing uses at most MAX_PAGES_IN_FLIGHT). Default 4. */
  concurrency?: number;
  /** Force a strategy (tests, bench); default chooseStrategy(usernames.length). */
  strategy?: FindStrategy;
}

/**
 * The organization users whose username (case-insensitively) is one of `usernames`, each once.
 * `usernames` holds no two equal keys.
 */
export async function findOrgUsers(
  api: Pick<LoginTCApi, "findUserByUsername" | "listUsersPage">,
  usernames: readonly string[],
  opts: FindOrgUsersOptions = {},
): Promise<LoginTCUser[]> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 4) || 1);
  let toLookUp: readonly string[] = usernames;
  const found = new Map<string, LoginTCUser>();
  if ((opts.strategy ?? chooseStrategy(usernames.length)) === "list") {
    const wanted = new Map(usernames.map((u) => [usernameKey(u), u]));
    const looks = new Set(usernames.map(lookAlikeKey));
    const seen = new Set<string>();
    const ended = await listMatching(api, { wanted, looks }, usernames.length, {
      maxInFlight: Math.min(concurrency, MAX_PAGES_IN_FLIGHT),
      found,
      seen,
    });
    // An ended listing showed everyone: whoever was not in it does not exist.
    toLookUp = ended ? [] : [...wanted].filter(([k]) => !seen.has(k)).map(([, u]) => u);
  }
  const looked = await mapBounded(toLookUp, concurrency, (u) => api.findUserByUsername(u));
  for (const user of looked) if (user && !found.has(user.id)) found.set(user.id, user);
  return [...found.values()];
}

/**
 * Reads listing pages until an empty one (the end: docs/logintc-api.md) or until `budget` pages,
 * putting every listed user whose key is wanted, or who looks like a wanted one, into `found` (by
 * id), and the wanted keys listed into `seen`.
 * Every match is kept, not only the first: a case-sensitive LoginTC may hold "Alice" and "alice",
 * and planSync prefers the exact spelling. True when the listing ended.
 */
async function listMatching(
  api: Pick<LoginTCApi, "listUsersPage">,
  { wanted, looks }: { wanted: ReadonlyMap<string, string>; looks: ReadonlySet<string> },
  budget: number,
  into: { maxInFlight: number; found: Map<string, LoginTCUser>; seen: Set<string> },
): Promise<boolean> {
  let next = 1;
  let window = 1;
  let previous: string | undefined;
  while (next <= budget) {
    const pages = Array.from({ length: Math.min(window, budget - next + 1) }, (_, i) => next + i);
    next += pages.length;
    window = Math.min(window * 2, into.maxInFlight);
    const results = await Promise.all(pages.map((p) => pageOrGone(api, p)));
    for (const users of results) {
      // A 404 after page 1: maybe past the end, maybe not (docs/logintc-api.md, "Where a listing
      // ends"). Not a listing to trust: the users not seen are looked up.
      if (users === "gone") return false;
      if (users.length === 0) return true;
      const ids = users.map((u) => u.id).join(",");
      if (ids === previous) return false; // ?page= ignored: not a listing to trust
      previous = ids;
      for (const user of users) {
        const key = usernameKey(user.username);
        if (wanted.has(key)) into.seen.add(key);
        else if (!looks.has(lookAlikeKey(user.username))) continue;
        into.found.set(user.id, user);
      }
    }
  }
  return false;
}

/** A page, or "gone" when LoginTC answers a page after the first with 404. */
async function pageOrGone(
  api: Pick<LoginTCApi, "listUsersPage">,
  page: number,
): Promise<LoginTCUser[] | "gone"> {
  try {
    return await api.listUsersPage(page);
  } catch (e) {
    if (page > 1 && e instanceof LoginTCError && e.details.status === 404) return "gone";
    throw e;
  }
}
