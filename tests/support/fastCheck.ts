/**
 * fast-check, for the property tests. Its one specifier lives here, not in deno.json's "imports":
 * `deno compile` embeds every npm package of the import map, and this one is for tests only
 * (docs/building.md, section "What the binary contains"; tests/integration/scripts/compile_test.ts checks it).
 */
export { default } from "npm:fast-check@^4";
