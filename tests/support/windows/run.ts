/**
 * `deno task test:windows [files…]`: the test suite with the Windows deno.exe (npm @deno/win32-x64)
 * under Wine 10 in a Debian trixie chroot (.ci/wine/setup; docs/development.md, section Windows,
 * says why a chroot).
 * Needs root. Steps: the Linux-side servers' packages, the chroot (reused when present), a fixture
 * host on 127.0.0.1 that starts slapd / proxies / Samba / PKIs for the Windows tests (host.ts), then
 * `deno test -A` in deno.exe over the same files as the Linux suite minus the named exclusions
 * (exclusions.ts), and finally the teardown (Wine processes by pid, then the mounts), even on failure.
 * Ends with `N passed, N failed`, like `deno task test`.
 */
import { ensureTools, run, TOOLS } from "../tools.ts";
import { WINE_EXCLUSIONS } from "./exclusions.ts";
import { startFixtureHost } from "./host.ts";
import { REMOTE_ENV, REMOTE_TOKEN_ENV } from "./protocol.ts";

const REPO = new URL("../../../", import.meta.url).pathname.replace(/\/$/, "");
const WINE = `${REPO}/.ci/wine`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// Ctrl-C or a CI timeout: stop the Windows test process, so the normal path stops the fixtures and
// tears the chroot down (a killed runner would leave slapd daemons, Wine processes and mounts).
const running = new Set<Deno.ChildProcess>();
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    interrupted = true;
    for (const child of running) {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
    }
  });
}

/** ROOT, SHARE and PREFIX from .ci/wine/env.sh: the one definition the shell scripts use too. */
async function wineLayout(): Promise<{ root: string; share: string; prefix: string }> {
  const out = await new Deno.Command("bash", {
    args: ["-c", `. '${WINE}/env.sh' && printf '%s\\n' "$ROOT" "$SHARE" "$PREFIX"`],
    stdout: "piped",
  }).output();
  const [root, share, prefix] = new TextDecoder().decode(out.stdout).trim().split("\n");
  return { root, share, prefix };
}

/** Runs deno.exe with `args`, streaming its stdout; returns the exit code and the output's tail. */
async function wineDeno(args: string[], env: Record<string, string>): Promise<[number, string]> {
  const child = new Deno.Command(`${WINE}/deno`, {
    args,
    cwd: REPO,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  running.add(child);
  let tail = "";
  const dec = new TextDecoder();
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    tail = (tail + dec.decode(chunk, { stream: true })).slice(-8000);
  }
  const { code } = await child.status;
  running.delete(child);
  return [code, tail];
}

async function main(): Promise<[number, number]> {
  if (Deno.uid?.() !== 0) {
    console.error("deno task test:windows needs root (debootstrap, chroot, bind mounts).");
    return [0, 1];
  }
  const missing = await ensureTools(Object.values(TOOLS), "deno task test:windows");
  if (missing) {
    console.error(missing);
    return [0, 1];
  }
  if (!(await run(Deno.execPath(), ["install", "--quiet"]))) return [0, 1];
  const layout = await wineLayout();
  const t0 = Date.now();
  try {
    if (!(await run(`${WINE}/setup`, [])) || interrupted) return [0, 1];
    console.log(`== Wine setup: ${secs(Date.now() - t0)}`);
    // The Linux-side fixtures' temp dirs must be visible to the Windows tests: the share is mounted
    // inside the chroot at its own path.
    const tmp = `${layout.share}/tmp`;
    await Deno.mkdir(tmp, { recursive: true });
    Deno.env.set("TMPDIR", tmp);
    const host = startFixtureHost({
      root: layout.root,
      sameInside: [REPO, layout.share],
      driveC: `${layout.prefix}/drive_c`,
    });
    try {
      const env = { [REMOTE_ENV]: `127.0.0.1:${host.port}`, [REMOTE_TOKEN_ENV]: host.token };
      // npm packages into deno.exe's own cache (DENO_DIR inside the chroot) before the tests run.
      const [installCode] = await wineDeno(["install", "--quiet"], env);
      if (installCode !== 0 || interrupted) {
        console.error("deno.exe install failed; see above.");
        return [0, 1];
      }
      const files = Deno.args.length ? Deno.args : ["tests/"];
      const t1 = Date.now();
      const [code, tail] = await wineDeno(
        // --no-check: type-checking is the same on every platform and already done by the Linux
        // suite and `deno task check`; under Wine it would only add minutes.
        // The preload marks exactly the listed tests `ignore` (tests/support/windows/preload.ts).
        ["test", "-A", "--no-check", "--preload", "tests/support/windows/preload.ts", ...files],
        env,
      );
      console.log(`== Windows suite (deno.exe under Wine): ${secs(Date.now() - t1)}`);
      console.log(`== Fixtures started on the Linux side: ${JSON.stringify(host.counts)}`);
      return summarize(code, tail, files);
    } finally {
      await host.close();
    }
  } finally {
    await run(`${WINE}/teardown`, []);
  }
}

/** deno's summary line → [passed, failed]; checks that exactly the listed tests were ignored. */
function summarize(code: number, tail: string, files: string[]): [number, number] {
  const m = tail.match(/^(?:ok|FAILED) \| (\d+) passed.*?\| (\d+) failed(?:.*?\| (\d+) ignored)?/m);
  let passed = m ? Number(m[1]) : 0;
  let failed = m ? Number(m[2]) : code === 0 ? 0 : 1;
  const ignored = m?.[3] ? Number(m[3]) : 0;
  console.log(`== Excluded under Wine (${WINE_EXCLUSIONS.length}, tests/support/windows/exclusions.ts):`);
  for (const e of WINE_EXCLUSIONS) console.log(`   - ${e.file}: "${e.test}": ${e.why}`);
  const whole = files.length === 1 && files[0] === "tests/";
  if (whole && ignored !== WINE_EXCLUSIONS.length) {
    console.log(
      `== ${ignored} tests were ignored but ${WINE_EXCLUSIONS.length} are listed: the list is stale (a listed ` +
        "test was renamed or removed) or a test ignores itself; counted as one failure",
    );
    failed += 1;
  }
  if (code !== 0 && failed === 0) failed = 1;
  if (!m) passed = 0;
  return [passed, failed];
}

const [passed, failed] = await main();
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);
