/** API paths (src/logintc/http.ts). */
import assert from "node:assert/strict";
import { apiPath } from "../../../src/logintc/http.ts";

Deno.test("paths: every segment is encoded", () => {
  assert.equal(apiPath("users", "a/b?c#d"), "/users/a%2Fb%3Fc%23d");
});
