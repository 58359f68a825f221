/**
 * `deno task test [deno-test-args…]`: makes sure the real servers the tests start are
 * installed (installs them with apt-get when running as root, otherwise prints the exact
 * command and stops), runs `deno test`, and ends with the line CI recognises:
 * `N passed, N failed` (deno's own summary line is not in that form).
 *
 * Test files start their own servers (slapd, proxies, the emulator) on loopback from temp
 * dirs and stop them; nothing outlives the run.
 */
import { ensureTools, run, SBIN, TOOLS } from "./support/tools.ts";

/** Runs deno test, streaming its output, and returns [exit code, passed, failed]. */
async function denoTest(args: string[]): Promise<[number, number, number]> {
  // A developer's proxy settings must not reroute the in-process tests (Deno reads them when an
  // HTTP client is created); tests that want a proxy start one. The CA variables stay: npm needs
  // them on machines that reach the registry through a private CA, and CLI subprocess tests
  // (tests/support/cli.ts) drop them for the child.
  const env = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([k]) => !/^(https?|all|no)_proxy$/i.test(k)),
  );
  const PATH = [env.PATH ?? "", ...SBIN].join(":");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", ...(args.length ? args : ["tests/"])],
    clearEnv: true,
    env: { ...env, NO_COLOR: "1", RUST_BACKTRACE: "0", PATH },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let tail = "";
  const dec = new TextDecoder();
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    tail = (tail + dec.decode(chunk, { stream: true })).slice(-4000);
  }
  const { code } = await child.status;
  // deno: "ok | 12 passed (3 steps) | 0 failed | 1 ignored (41ms)" or "FAILED | …"
  const m = tail.match(/^(?:ok|FAILED) \| (\d+) passed.*?\| (\d+) failed/m);
  const passed = m ? Number(m[1]) : 0;
  const failed = m ? Number(m[2]) : code === 0 ? 0 : 1;
  return [code, passed, failed];
}

const missing = await ensureTools(Object.values(TOOLS), "deno task test");
if (missing) {
  console.error(missing);
  Deno.exit(2);
}
// Fill Deno's npm cache with the caller's full environment: on machines where the registry is
// reached through a CA only the system bundle has (NODE_EXTRA_CA_CERTS), the tests' clean
// environment could not download it.
// --entrypoint: the product's graph plus the test-only packages, which deno.json does not list
// (tests/support/fastCheck.ts).
if (
  !(await run(Deno.execPath(), [
    "install",
    "--quiet",
    "--entrypoint",
    "main.ts",
    "tests/support/fastCheck.ts",
  ]))
) {
  console.error("deno install failed (npm registry unreachable?); see above.");
  Deno.exit(1);
}
const [code, passed, failed] = await denoTest(Deno.args);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(code);
