/**
 * Runs `fn` over `items` with at most `limit` calls in flight, and returns the results in
 * input order. Used for LoginTC calls: enough parallelism to hide latency, few enough not to
 * trip a rate limit (429; docs/logintc-api.md).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
