/**
 * The permissions logintc-sync runs with: the ONE definition, used by `deno task compile` (baked
 * into the binaries) and by tests/support/cli.ts (every CLI subprocess test runs with exactly
 * these flags, so a read the code needs but the set lacks fails a test instead of a customer's
 * cron job). It lives in src/ because it describes the product, next to the code whose reads it
 * covers: the env list is built from the same constants that code reads.
 *
 * Measured by running the CLI tests and the demo with narrowed flags and reading the denials:
 * - net, unrestricted: the LDAP and LoginTC hosts come from the config file, and with a proxy
 *   with credentials we listen on a loopback port for the CONNECT relay (src/logintc/proxyRelay.ts).
 *   Deno can only scope --allow-net to names fixed at build time.
 * - read, unrestricted: the config file is any path on the command line, `ca_file` and the
 *   secret files (`api_key_file` & co., src/config/secrets.ts) any path in it, the state directory any path (--state-dir, LOGINTC_SYNC_STATE_DIR, the config's
 *   directory), and node:tls reads the operating system's CA store.
 * - write, unrestricted: the state directory (job records, the lock) is chosen at run time.
 * - env: only the variables our code reads with Deno.env.get (and, for the proxy ones, removes
 *   before Deno's fetch could read them). Deno itself reads NODE_EXTRA_CA_CERTS, DENO_CERT,
 *   DENO_TLS_CA_STORE and NO_COLOR without a permission.
 * - sys=hostname: the lock's owner file records the host that holds it (src/state/lock.ts); sys=uid:
 *   the state directory must belong to root or the user running the sync (src/state/stateFiles.ts).
 * Not granted (so denied, never prompted): run, ffi, import, other env and sys access.
 */
import { SECRET_ENV_NAMES } from "../config/secrets.ts";
import { ALL_PROXY_VARIABLES } from "../logintc/proxy.ts";
import { STATE_DIR_ENV } from "../state/stateDir.ts";

/**
 * Every environment variable the code reads itself; the proxy variables are also removed at start
 * (src/logintc/proxy.ts takeProxyVariables), which needs the same permission.
 */
export const ENV_READ: readonly string[] = [STATE_DIR_ENV, ...ALL_PROXY_VARIABLES, ...SECRET_ENV_NAMES];

/**
 * V8's heap kept close to what the sync holds. A sync allocates mostly short-lived garbage (LDAP
 * messages, BER buffers) next to a long-lived user list, and V8's defaults let the heap run far
 * ahead of the live data: a 16 MB semi-space (×2) for the young generation, and an old generation
 * allowed to grow up to 4× its live size before the next full GC — which made the peak depend on
 * chance (which modules were loaded, when the last full GC fell). 8 MB semi-spaces and a fixed 1.4×
 * growing factor keep the peak near the live data at no measurable CPU cost (docs/development.md,
 * Performance, "Memory"). Not a limit: the heap still grows as the directory needs.
 */
export const CLI_V8_FLAGS: readonly string[] = [
  "--v8-flags=--max-semi-space-size=8,--heap-growing-percent=40",
];

/** The flags for `deno run` and `deno compile`: the permissions, and CLI_V8_FLAGS. */
export const CLI_PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  `--allow-env=${ENV_READ.join(",")}`,
  "--allow-sys=hostname,uid",
  ...CLI_V8_FLAGS,
];
