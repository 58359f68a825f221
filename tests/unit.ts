/**
 * `deno task test:unit`: the pure tests — no server, no subprocess, no root, no network — for a
 * quick loop while editing (docs/development.md, section Tests). tests/build/imports_test.ts checks
 * that none of them reaches a module that starts a server or needs an installed program.
 */
export const UNIT_TESTS: readonly string[] = [
  "tests/bench/stats_test.ts",
  "tests/build/build_test.ts",
  "tests/build/imports_test.ts",
  "tests/cli/flags_test.ts",
  "tests/cli/warmTls_test.ts",
  "tests/config/config_test.ts",
  "tests/config/fileMode_test.ts",
  "tests/config/ini_test.ts",
  "tests/config/secrets_test.ts",
  "tests/directory/map_test.ts",
  "tests/directory/render_lines_test.ts",
  "tests/directory/render_test.ts",
  "tests/directory/validate_test.ts",
  "tests/docs/docs_test.ts",
  "tests/logintc/policy_test.ts",
  "tests/output/escape_test.ts",
  "tests/output/redact_test.ts",
  "tests/output/writeLines_test.ts",
  "tests/sync/absent_props_test.ts",
  "tests/sync/check_percent_test.ts",
  "tests/sync/check_test.ts",
  "tests/sync/jobs_test.ts",
  "tests/sync/plan_props_test.ts",
  "tests/sync/plan_test.ts",
  "tests/sync/render_lines_test.ts",
  "tests/sync/render_test.ts",
  "tests/sync/stateDir_test.ts",
  "tests/sync/written_test.ts",
  "tests/table/lines_test.ts",
  "tests/table/table_test.ts",
  "tests/tls/certificate_test.ts",
];
