/**
 * POST /users without ever making a duplicate, and without failing on one a dead run left behind.
 *
 * - A lost answer (network error, timeout, 502/504): before trying again, look the username up;
 *   if LoginTC has it, the first attempt took effect (./http.ts `recover`).
 * - A refusal (400 or 409): a run killed while its POST was in flight (kill -9, OOM, a stopped
 *   scheduled task) can have that create land at LoginTC after the next run read LoginTC, so the
 *   next run plans the same create and LoginTC refuses it as a duplicate. LoginTC's documentation
 *   does not say which status a duplicate username gets (docs/logintc-api.md, "Creating users"), so
 *   both are handled alike: look the username up, and if LoginTC now holds it, adopt that user —
 *   the create is done, with that id, and the plan's next steps for the user use it. This keeps
 *   "a run that dies leaves nothing that blocks the next one" (README) true for creates in flight.
 *   If the lookup finds nothing (or fails), LoginTC's own refusal stands unchanged: a genuine
 *   validation error still fails the step with LoginTC's message.
 *
 * The adopted user's name and email may differ from the directory's. They are not updated in
 * this run: the plan did not say so, and a run writes only what its plan shows. The next run reads
 * the user and its plan shows the update if one is needed.
 */
import { LoginTCError } from "../errors.ts";
import type { LoginTCUser } from "../types.ts";
import type { NewUser } from "./api.ts";
import type { RequestSpec } from "./http.ts";
import { PATHS } from "./paths.ts";
import type { Parsed } from "./parse.ts";
import { toUser } from "./parse.ts";
import { usernameKey } from "../usernames.ts";

/** Statuses a duplicate username may get (docs/logintc-api.md, "Creating users"). */
export const DUPLICATE_STATUSES: readonly number[] = [400, 409];

export interface CreateUserDeps {
  /** Sends a request and parses its 2xx answer; throws LoginTCError otherwise. */
  call<T>(spec: RequestSpec, parse: (x: unknown) => Parsed<T>): Promise<T>;
  /** GET /users?username=…; undefined when LoginTC has no such user (case-insensitive match). */
  findUserByUsername(username: string): Promise<LoginTCUser | undefined>;
}

export async function createUserOnce(deps: CreateUserDeps, user: NewUser): Promise<LoginTCUser> {
  const spec: RequestSpec = {
    method: "POST",
    path: PATHS.users,
    body: { username: user.username, name: user.name, email: user.email },
    // POST is not idempotent: after a lost answer, look first (never create a duplicate).
    recover: async () => {
      const found = sameUser(await deps.findUserByUsername(user.username), user.username);
      return found ? { status: 200, text: JSON.stringify(found) } : undefined;
    },
  };
  try {
    return await deps.call(spec, toUser);
  } catch (refusal) {
    if (!isRefusal(refusal)) throw refusal;
    const existing = sameUser(
      await deps.findUserByUsername(user.username).catch(() => undefined),
      user.username,
    );
    if (existing === undefined) throw refusal;
    return existing;
  }
}

/**
 * The user found, if it is the one asked for: a look-alike (src/usernames.ts) that a server
 * folding more than ASCII answers is never adopted as this create's user.
 */
function sameUser(found: LoginTCUser | undefined, username: string): LoginTCUser | undefined {
  return found && usernameKey(found.username) === usernameKey(username) ? found : undefined;
}

function isRefusal(e: unknown): e is LoginTCError {
  return e instanceof LoginTCError && DUPLICATE_STATUSES.includes(e.details.status ?? 0) &&
    e.details.method === "POST";
}
