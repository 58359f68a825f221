/**
 * Reads the server's RootDSE (RFC 4512 §5.1: base "", scope base) once per connection — after the
 * bind, or after a refused bind on the same connection — to learn which vendor's advice our messages
 * give (src/directory/vendor.ts, src/directory/connect.ts).
 */
import type { SearchOptions, SearchResult } from "ldapts";
import { resultCode } from "../unknown.ts";
import { detectVendor, ROOT_DSE_ATTRIBUTES, type Vendor } from "./vendor.ts";

export interface RootDseClient {
  search(baseDn: string, options: SearchOptions): Promise<SearchResult>;
}

/**
 * The vendor, or "unknown" when the server refuses the read with an LDAP result (some forbid
 * anonymous reads). Anything else (refused, TLS, timeout) is thrown: it is the connection failing,
 * and the caller reports it as such rather than trying again.
 */
export async function readVendor(client: RootDseClient): Promise<Vendor> {
  try {
    const r = await client.search("", {
      scope: "base",
      filter: "(objectClass=*)",
      attributes: [...ROOT_DSE_ATTRIBUTES],
    });
    return detectVendor(r.searchEntries[0] ?? {});
  } catch (e) {
    if (resultCode(e) !== undefined) return detectVendor({});
    throw e;
  }
}
