/**
 * Where a paged LoginTC listing (`GET …?page=1..`) ends. Neither LoginTC's docs nor the official
 * clients say how a server signals the end, so this is our rule (docs/logintc-api.md, "Where a
 * listing ends"), safe first — a member list that removals rest on is never silently short:
 * - an empty page `[]` ends it; a short page does not (we ask for the next one);
 * - a page identical to the one before is an error: the server ignores ?page=, and we could
 *   not read past it;
 * - a 404 on a page after the first ends it when `loose` (add_only: the worst a short list does
 *   there is plan an idempotent add again, shown in the plan) or when the page before was shorter
 *   than the longest seen (it was the last page); otherwise it is an error.
 * I/O comes in as `page` (./client.ts reads and parses each page; undefined = 404).
 */

/** A safety net: a LoginTC list longer than this many pages is treated as a server bug. */
const MAX_PAGES = 100_000;

export interface ListingReader<T> {
  /** Page N's items, or undefined when LoginTC answered 404 (asked only for N > 1). */
  page(page: number): Promise<T[] | undefined>;
  /** A 404 after a full page ends the listing (add_only). */
  loose: boolean;
  /** The error for a listing that cannot be trusted, naming page N's request. */
  fail(page: number, status: number, problem: string): Error;
}

export async function readListing<T extends { id: string }>(reader: ListingReader<T>): Promise<T[]> {
  const all: T[] = [];
  let previous = "";
  let previousSize = 0;
  let longest = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const items = await reader.page(page);
    if (items === undefined) {
      if (reader.loose || previousSize < longest) return all;
      throw reader.fail(
        page,
        404,
        `it came after a full page of ${previousSize}, so the list may not have ended ` +
          "(removals need a listing that ends with an empty page)",
      );
    }
    if (items.length === 0) return all;
    const ids = items.map((u) => u.id).join(",");
    if (ids === previous) throw reader.fail(page, 200, "sent the same page twice (is ?page= supported?)");
    previous = ids;
    previousSize = items.length;
    longest = Math.max(longest, items.length);
    all.push(...items);
  }
  throw reader.fail(MAX_PAGES, 200, `returned more than ${MAX_PAGES} pages`);
}
