/**
 * The one place LoginTC Admin API paths are built (under /api; docs/logintc-api.md). Every segment is
 * percent-encoded, and a segment that would change the path's shape is refused: an empty one, and the
 * dot-segments `.` and `..`, which a URL parser removes with the segment before them (RFC 3986 §5.2.4;
 * the WHATWG URL parser treats `%2e` and `%2E` alike, so encoding cannot defuse them). Ids from
 * LoginTC are checked where its answers are read (./parse.ts); this is the last line.
 */

/** Joins path segments, each encodeURIComponent'ed: ids and names never change the path. */
export function apiPath(...segments: string[]): string {
  for (const s of segments) {
    if (s === "" || /^(\.|%2e){1,2}$/i.test(s)) {
      throw new Error(`refusing an API path with the segment ${JSON.stringify(s)}`);
    }
  }
  return "/" + segments.map(encodeURIComponent).join("/");
}

/** The public API's paths the client uses (the extensions' are in ./extensions.ts, built here too). */
export const PATHS = {
  ping: apiPath("ping"),
  organization: apiPath("organization"),
  users: apiPath("users"),
  user: (userId: string) => apiPath("users", userId),
  domain: (domainId: string) => apiPath("domains", domainId),
  domainMembers: (domainId: string) => apiPath("domains", domainId, "users"),
  domainMember: (domainId: string, userId: string) => apiPath("domains", domainId, "users", userId),
  token: (domainId: string, userId: string) => apiPath("domains", domainId, "users", userId, "token"),
  /** The user's own factors (not a domain's): a reassignment revokes them (docs/logintc-api.md). */
  bypassCodes: (userId: string) => apiPath("users", userId, "bypasscodes"),
  hardware: (userId: string) => apiPath("users", userId, "hardware"),
} as const;
