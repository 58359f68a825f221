/**
 * `deno task test [deno-test-args…]`: makes sure the programs the selected test files need are
 * installed (installs them with apt-get when running as root, otherwise prints the exact
 * command and stops), runs `deno test`, and ends with the line CI recognises:
 * `N passed, N failed` (deno's own summary line is not in that form).
 * `deno task test:unit` (`--unit`) runs the pure tests instead: those under tests/unit/ (no server,
 * no subprocess, no root, no network; docs/development.md, section Tests).
 *
 * Test files start their own servers (slapd, proxies, the emulator) on loopback from temp
 * dirs and stop them; nothing outlives the run. The run gets a temp directory of its own
 * (TMPDIR), and whatever a test leaves in it fails the run: a leftover folder may hold a
 * CA's private key.
 */
import { fileURLToPath } from "node:url";
import { ensureTools, run, SBIN, selectedTestFiles, toolsFor, UNIT_TESTS } from "./support/tools.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Runs deno test, streaming its output, and returns [exit code, passed, failed]. */
async function denoTest(args: string[], tmp: string): Promise<[number, number, number]> {
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
    env: { ...env, NO_COLOR: "1", RUST_BACKTRACE: "0", PATH, TMPDIR: tmp },
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

const unit = Deno.args[0] === "--unit";
const args = unit ? [UNIT_TESTS, ...Deno.args.slice(1)] : [...Deno.args];
const missing = await ensureTools(toolsFor(ROOT, selectedTestFiles(ROOT, args)), "deno task test");
if (missing) {
  console.error(missing);
  Deno.exit(2);
}
// Fill Deno's npm cache with the caller's full environment: on machines where the registry is
// reached through a CA only the system bundle has (NODE_EXTRA_CA_CERTS), the tests' clean
// environment could not download it. --entrypoint: the product's graph plus the test-only
// packages, which deno.json does not list (tests/support/fastCheck.ts).
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
// Readable by all (0755), as /tmp is: tinyproxy and squid drop to their own users and must reach
// their folders inside it. Each folder a test makes is private (0700) itself.
const tmp = await Deno.makeTempDir({ prefix: "logintc-test-run-" });
await Deno.chmod(tmp, 0o755);
let [code, passed, failed] = await denoTest(args, tmp);
const left = [...Deno.readDirSync(tmp)].map((e) => e.name).sort();
if (left.length > 0) {
  console.error(`error: the tests left ${left.length} item(s) in their temp directory: ${left.join(", ")}`);
  failed++;
  code ||= 1;
}
await Deno.remove(tmp, { recursive: true });
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(code);
