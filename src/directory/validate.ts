/**
 * Checks on a complete directory read, and its deterministic order. Pure; failures are DirectoryErrors
 * (exit 1, nothing synced).
 */
import { DirectoryError } from "../errors.ts";
import { escapeText } from "../output/escape.ts";
import type { DirectoryUser } from "../types.ts";
import { usernameKey } from "../usernames.ts";

/** How many offending users a message lists before "… and N more". */
const LIST_LIMIT = 20;

interface Keyed {
  u: DirectoryUser;
  /** usernameKey: LoginTC's identity of the user, and the first sort key. */
  key: string;
}

/**
 * The same order as compareUsernames (then DN), with each key made once rather than in every
 * comparison: at 100k users that was ~3.4M toLowerCase calls, 240 ms of a 1.5 s read.
 */
function keyedSort(users: readonly DirectoryUser[]): Keyed[] {
  const keyed = users.map((u) => ({ u, key: usernameKey(u.username) }));
  keyed.sort((x, y) => {
    if (x.key !== y.key) return x.key < y.key ? -1 : 1;
    const a = x.u.username, b = y.u.username;
    if (a !== b) return a < b ? -1 : 1;
    return x.u.dn < y.u.dn ? -1 : x.u.dn > y.u.dn ? 1 : 0;
  });
  return keyed;
}

export function sortUsers(users: readonly DirectoryUser[]): DirectoryUser[] {
  return keyedSort(users).map((k) => k.u);
}

function more(total: number): string[] {
  return total > LIST_LIMIT ? [`  … and ${total - LIST_LIMIT} more`] : [];
}

/**
 * LoginTC usernames are case-insensitive, so two entries whose usernames differ only in case would
 * fight over one LoginTC user. We never guess a winner: the admin fixes the directory or the filter.
 */
export function checkUsernameCollisions(users: readonly DirectoryUser[], attrUsername: string): void {
  throwOnCollisions(keyedSort(users), attrUsername);
}

/**
 * sortUsers and checkUsernameCollisions with one sort: the read's last step. In the sorted list users
 * whose usernames collide are neighbours, so no map of 100k keys is built (docs/development.md,
 * "The directory read").
 */
export function sortCheckedUsers(users: readonly DirectoryUser[], attrUsername: string): DirectoryUser[] {
  const keyed = keyedSort(users);
  throwOnCollisions(keyed, attrUsername);
  return keyed.map((k) => k.u);
}

/**
 * The runs of equal keys in a keyedSort result. Each run is in sortUsers order and the runs are in key
 * order, which is compareUsernames order of their first users (the keys differ).
 */
function throwOnCollisions(keyed: readonly Keyed[], attrUsername: string): void {
  const groups: DirectoryUser[][] = [];
  for (let i = 0; i < keyed.length;) {
    let j = i + 1;
    while (j < keyed.length && keyed[j].key === keyed[i].key) j++;
    if (j - i > 1) groups.push(keyed.slice(i, j).map((k) => k.u));
    i = j;
  }
  if (groups.length === 0) return;
  const lines = groups.slice(0, LIST_LIMIT).map((g) =>
    "  " + g.map((u) => `${escapeText(u.username)} (${escapeText(u.dn)})`).join(", ")
  );
  throw new DirectoryError([
    `The directory returned ${groups.length} username(s) (${attrUsername}) that collide ignoring case; ` +
    "LoginTC usernames are case-insensitive, so nothing was synced:",
    ...lines,
    ...more(groups.length),
    "Make the usernames unique in the directory, or narrow the filter.",
  ].join("\n"));
}

/** -a/--local-validation: every user needs a name and an email (after the -n/-e defaults). */
export function checkLocalValidation(
  users: readonly DirectoryUser[],
  attrName: string,
  attrEmail: string,
): void {
  const bad = users.filter((u) => u.name === undefined || u.email === undefined);
  if (bad.length === 0) return;
  const lines = bad.slice(0, LIST_LIMIT).map((u) => {
    const missing = [
      ...(u.name === undefined ? [`name (${attrName})`] : []),
      ...(u.email === undefined ? [`email (${attrEmail})`] : []),
    ];
    return `  ${escapeText(u.username)}: missing ${missing.join(" and ")} (${escapeText(u.dn)})`;
  });
  throw new DirectoryError([
    `Local validation (-a) failed: ${bad.length} user(s) lack a name or an email; nothing was synced:`,
    ...lines,
    ...more(bad.length),
    "Fill in the attributes in the directory, or give defaults with -n/--default-name and -e/--default-email.",
  ].join("\n"));
}
