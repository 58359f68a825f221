/** API paths (src/logintc/paths.ts): the one place they are built. */
import assert from "node:assert/strict";
import { apiPath, PATHS } from "../../../src/logintc/paths.ts";
import { EXTENSION_PATHS } from "../../../src/logintc/extensions.ts";

Deno.test("paths: every segment is encoded", () => {
  assert.equal(apiPath("users", "a/b?c#d"), "/users/a%2Fb%3Fc%23d");
  assert.equal(PATHS.token("d1", "u/1"), "/domains/d1/users/u%2F1/token");
  assert.equal(EXTENSION_PATHS.groupMember("g 1", "u#1"), "/groups/g%201/users/u%231");
});

Deno.test("paths: a segment that would change the path's shape is refused (issue 21: '..' as an id)", () => {
  // new URL("https://h/api/domains/D/users/..") is https://h/api/domains/D/ — a removal of member
  // '..' became DELETE /api/domains/D/, and with -m delete DELETE /api/.
  for (const bad of ["", ".", "..", "%2e", "%2E%2e"]) {
    assert.throws(() => PATHS.domainMember("d1", bad), /refusing an API path with the segment/, bad);
    assert.throws(() => PATHS.user(bad), /refusing an API path/, bad);
  }
  assert.equal(PATHS.user("...").endsWith("/..."), true, "three dots are an ordinary name");
});
