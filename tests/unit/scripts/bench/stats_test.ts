/** The bench's pure helpers: medians, verdicts, the results table and the request census. */
import assert from "node:assert/strict";
import { countRequests, median, renderRows, verdict } from "../../../../scripts/bench/stats.ts";

Deno.test("bench stats: median of odd and even counts, unsorted input", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

Deno.test("bench stats: verdict is PASS at the limit, MISS above it or when not measured", () => {
  assert.equal(verdict(1.3, 1.3), "PASS");
  assert.equal(verdict(1.31, 1.3), "MISS");
  assert.equal(verdict(NaN, 1.3), "MISS");
});

Deno.test("bench stats: table columns are padded; informational rows have no result", () => {
  const text = renderRows([
    { figure: "read 10k ldap", measured: "1 s vs 1 s = 1.00×", target: "≤ 1.3×", verdict: "PASS", note: "n" },
    { figure: "plan", measured: "5 ms", target: "", verdict: "info", note: "x" },
  ]);
  assert.equal(
    text,
    [
      "figure         measured            target  result  what ran",
      "-------------  ------------------  ------  ------  --------",
      "read 10k ldap  1 s vs 1 s = 1.00×  ≤ 1.3×  PASS    n",
      "plan           5 ms                                x",
    ].join("\n"),
  );
});

Deno.test("bench stats: requests counted by method and path shape, ids folded", () => {
  const id = "9120580e94f134cb7c9f27cd1e43dbc82980e152";
  const counts = countRequests([
    { method: "GET", path: `/api/domains/${id}/users` },
    { method: "GET", path: `/api/domains/${id}/users` },
    { method: "GET", path: `/api/domains/${id}` },
    { method: "POST", path: "/api/users" },
  ]);
  assert.deepEqual([...counts], [
    ["GET /api/domains/{id}", 1],
    ["GET /api/domains/{id}/users", 2],
    ["POST /api/users", 1],
  ]);
});
