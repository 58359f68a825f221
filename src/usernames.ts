/**
 * When two usernames are the same user, and when they only look alike. One definition, for the
 * directory read, the planner, the LoginTC lookups and the applier.
 *
 * - Same user: equal after folding the case of ASCII letters only (`A`–`Z`). LoginTC usernames
 *   are unique ignoring case (assumed: docs/logintc-api.md), and directory usernames are ASCII in
 *   practice. Any other difference is another username: `toLowerCase()` also maps the KELVIN SIGN
 *   (U+212A) to `k`, so a directory entry spelled with it was matched to the LoginTC user `kelvin`
 *   and rewrote its email (issue reproduced on the old code: docs/operations.md, "Security").
 * - Look-alikes: different usernames whose NFKC form, lowercased, with default-ignorable characters
 *   (zero-width spaces and joiners) removed, is the same (roughly Unicode's NFKC_Casefold, UAX #15
 *   and UAX #44): `Kelvin` with U+212A, `ｋｅｌｖｉｎ` (fullwidth), `kel\u200bvin` and `kelvin`. A server
 *   that folds more than ASCII could take them for one user, and an admin cannot tell them apart on
 *   screen, so the planner never matches, creates or removes one beside another: each is left out
 *   of the run with a warning naming all of them (src/sync/planSync.ts).
 */

/** A UTF-16 code unit past ASCII (surrogates included). */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * The key two usernames of one user share: ASCII letters lowercased, nothing else changed. For an
 * ASCII username that is toLowerCase(), V8's fast path (sorting 100k users calls this millions of
 * times).
 */
export function usernameKey(username: string): string {
  if (!NON_ASCII.test(username)) return username.toLowerCase();
  return /[A-Z]/.test(username) ? username.replace(/[A-Z]+/g, (s) => s.toLowerCase()) : username;
}

/** usernameKey order (code point), then the username itself, so case variants have a fixed order. */
export function compareUsernames(a: string, b: string): number {
  const ka = usernameKey(a);
  const kb = usernameKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `items` in compareUsernames order of `username(item)`, then `tiebreak`, with each key made once
 * rather than in every comparison (a 100k-user sort compares about 1.7M times).
 */
export function sortByUsername<T>(
  items: readonly T[],
  username: (item: T) => string,
  tiebreak: (a: T, b: T) => number,
): T[] {
  const keyed = items.map((item) => ({ item, name: username(item), key: usernameKey(username(item)) }));
  keyed.sort((x, y) =>
    x.key !== y.key
      ? (x.key < y.key ? -1 : 1)
      : x.name !== y.name
      ? (x.name < y.name ? -1 : 1)
      : tiebreak(x.item, y.item)
  );
  return keyed.map((k) => k.item);
}

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** What a username looks like: equal for look-alikes (see above). ASCII: its usernameKey. */
export function lookAlikeKey(username: string): string {
  if (!NON_ASCII.test(username)) return usernameKey(username);
  return username.replace(IGNORABLE, "").normalize("NFKC").toLowerCase().normalize("NFKC");
}

/**
 * The sets of usernames that look alike but are different usernames (two or more usernameKeys in
 * one lookAlikeKey) among all the lists, each set sorted, the sets in order of their first.
 * Usernames of one key appear once each. Only a name with a non-ASCII character can look like
 * another, so lists of ASCII names cost one regex test per name (about 10 ms for 150k names).
 */
export function lookAlikeGroups(...lists: readonly (readonly string[])[]): string[][] {
  const suspects = new Set<string>();
  for (const list of lists) for (const u of list) if (NON_ASCII.test(u)) suspects.add(lookAlikeKey(u));
  if (suspects.size === 0) return [];
  const byLook = new Map<string, Map<string, string[]>>();
  for (const u of new Set(lists.flat())) {
    const look = lookAlikeKey(u);
    if (!suspects.has(look)) continue;
    const keys = byLook.get(look) ?? new Map<string, string[]>();
    byLook.set(look, keys);
    const key = usernameKey(u);
    keys.set(key, [...keys.get(key) ?? [], u]);
  }
  return [...byLook.values()]
    .filter((keys) => keys.size > 1)
    .map((keys) => [...keys.values()].flat().sort(compareUsernames))
    .sort((a, b) => compareUsernames(a[0], b[0]));
}
