/**
 * THE list of tests that do not run under `deno task test:windows` (deno.exe under Wine), each by its
 * exact name with the reason. Nothing else is excluded: tests/windows/preload.ts marks exactly these
 * tests `ignore` (deno prints "<name> ... ignored"), tests/windows/run.ts prints every entry with its
 * reason and fails the run when the number deno reports as ignored differs from the list (a renamed
 * test must not drop out silently, and no other test may be ignored).
 * (Not `deno test --filter`: its regex engine has no lookahead, so it cannot say "all but these".)
 */

export interface Exclusion {
  /** The test file, relative to the repo. */
  file: string;
  /** The exact top-level Deno.test name. */
  test: string;
  why: string;
}

// Measured with deno.exe 2.9.6 under Wine 10 (deno task test:windows on a clean checkout). "POSIX
// expectation" marks tests whose product behaviour is right on Windows (it prints native `\` paths and
// Windows error texts) but whose expected strings are built for Linux: each can rejoin the Windows
// suite once its expectation is built with the OS's path rules (src/sync/stateDir.ts statePath).
const SLASH = "POSIX expectation: the expected message joins paths with '/', the CLI prints the native " +
  "Windows path with '\\' (correct on Windows)";

export const WINE_EXCLUSIONS: readonly Exclusion[] = [
  {
    file: "tests/build/compile_test.ts",
    test: "release: linux and windows x64 build, embed, zip and checksum (DENORT_BIN stand-ins)",
    why: "runs npm, zip, unzip and sha256sum: Linux programs; deno.exe under Wine cannot start Linux " +
      "programs (measured: Failed to spawn) and the chroot has none. The Linux suite builds both targets.",
  },
  {
    file: "tests/build/compile_test.ts",
    test: "compile: no DENORT_BIN, no cached runtime, dl.deno.land unreachable → says what to do, exit 1",
    why: "deno compile with an empty DENO_DIR must first download the npm packages; from Wine that " +
      "download fails ('Failed caching npm package cli-table3') before the message under test.",
  },
  {
    file: "tests/cli/scheduled_test.ts",
    test: "scheduled: a config readable by group or others → warning with chmod 600; a private one → none",
    why: "POSIX mode bits: Windows has ACLs and no mode, so by design there is no warning there " +
      "(tests/config/fileMode_test.ts covers the Windows rule).",
  },
  {
    file: "tests/cli/scheduled_test.ts",
    test: "scheduled: every stderr line starts with an ISO 8601 UTC timestamp; stdout has none",
    why: SLASH + " (the -j 'no job … .json' line).",
  },
  {
    file: "tests/cli/scheduled_test.ts",
    test: "scheduled: a Notepad config (BOM, CRLF) in a directory with spaces; state dir defaults to it",
    why: SLASH + ". tests/windows/windows_test.ts proves the same under C:\\Program Files.",
  },
  {
    file: "tests/config/config_test.ts",
    test: "config: ca_file is resolved against the config file's directory and must hold a certificate",
    why: "POSIX fixtures: '/etc/sync/c.cfg' resolved with Windows path rules is '\\etc\\sync\\ca.pem'.",
  },
  {
    file: "tests/config/config_test.ts",
    test: "loadConfig: a missing file or a directory is a ConfigError naming the path",
    why: "PRODUCT DIFFERENCE: reading a directory as the config gives 'Invalid function. (os error 1)' " +
      "on Windows, not 'it is a directory' (loadConfig relies on Deno's IsADirectory error).",
  },
  {
    file: "tests/config/config_test.ts",
    test: "loadConfig: sample.cfg parses (so it cannot rot) and mentions every key",
    why: "the test uses URL.pathname as a file path: '/Z:/…/sample.cfg' on Windows (fileURLToPath works).",
  },
  {
    file: "tests/e2e/jobs_test.ts",
    test: "job record and -j",
    why: SLASH + ".",
  },
  {
    file: "tests/e2e/jobs_test.ts",
    test: "a second run is refused while one holds the lock",
    why: SLASH + "; one step also spawns the POSIX program `true` to get a dead pid. " +
      "tests/windows/windows_test.ts proves the lock between two real runs.",
  },
  {
    file: "tests/emulator/transport_test.ts",
    test: "deno task emulator: prints URL, CA, key, domain and a config snippet; serves; stops on SIGINT",
    why: "the emulator's main makes its PKI with the openssl program, which Windows lacks " +
      "('Failed to spawn openssl'); a test tool, not part of the product.",
  },
  {
    file: "tests/logintc/proxy_test.ts",
    test: "LoginTC through authenticating proxies",
    why: "POSIX expectation in one step: it matches Linux's 'Connection refused (os error 111)'; Windows " +
      "says (os error 10061). The whole test goes: exclusion works on test names, not steps.",
  },
  {
    file: "tests/sync/apply_test.ts",
    test: "runSyncJob: the job record follows the run (Running → Failed on a step failure) and -j reads it",
    why: SLASH + " (the job record's path).",
  },
  {
    file: "tests/sync/jobs_test.ts",
    test: "jobs: a bad or unknown id is a UsageError saying where it looked",
    why: SLASH + ".",
  },
  {
    file: "tests/sync/jobs_test.ts",
    test: "lock: a second run is refused with who holds it; release frees it",
    why: SLASH + " (the lock's path).",
  },
  {
    file: "tests/sync/jobs_test.ts",
    test: "lock: an unusable state directory is a UsageError naming the path and how to choose another",
    why: "POSIX error text: mkdir below a file says 'File already exists (os error 183)' on Windows; " +
      "the test matches the Linux text. The message itself names the path and the fix on both.",
  },
];

/** The entry excluding the test named `name`, if any. */
export function exclusionFor(list: readonly Exclusion[], name: string): Exclusion | undefined {
  return list.find((e) => e.test === name);
}
