/**
 * rpm and systemd-analyze for the tests of the release's RPM (tests/integration/scripts/): queries of a
 * package file, an rpm database inside a throwaway root, and systemd's checks of the units installed
 * there. None of it touches the machine's own rpm database or systemd.
 */
import { join } from "node:path";

const dec = new TextDecoder();

async function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/**
 * `rpm -qp <package> <args…>`'s output: a query of a package file, which installs nothing. Debian's
 * rpm still opens a database for it (creating ~/.rpmdb), so it gets a throwaway one.
 */
export async function rpmQuery(rpm: string, ...args: string[]): Promise<string> {
  const db = await Deno.makeTempDir({ prefix: "logintc-rpmdb-" });
  try {
    const r = await run("rpm", ["--dbpath", db, "-qp", rpm, ...args]);
    if (r.code !== 0) throw new Error(`rpm -qp ${rpm} ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  } finally {
    await Deno.remove(db, { recursive: true });
  }
}

/**
 * rpm against a throwaway root, with its own database in <root>/var/lib/rpm; installs and erases
 * run no scriptlets (they would run inside the root, which has no shell) and check no dependencies.
 * Returns stdout; throws on a non-zero exit. (Debian's rpm says on stderr that it is not the system's
 * package manager: only the exit code counts.)
 */
export async function rpmIn(
  root: string,
  action: "-i" | "-U" | "-e" | "-V" | "-q",
  what: string,
): Promise<string> {
  const flags = action === "-q" ? [] : action === "-V" ? ["--nodeps"] : ["--nodeps", "--noscripts"];
  const r = await run("rpm", ["--root", root, "--dbpath", "/var/lib/rpm", action, ...flags, what]);
  if (r.code !== 0) throw new Error(`rpm --root ${root} ${action} ${what}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/**
 * systemd's view of units installed under `root`: `systemd-analyze verify` (unknown keys, a missing
 * ExecStart, … are reported on stderr) and the exposure score of `systemd-analyze security` for the
 * first unit (0 safest, 10 unprotected). verify needs sysinit.target, which every unit follows by
 * default and a RHEL root has from systemd: a stand-in is there while it runs.
 */
export async function systemdChecks(
  root: string,
  units: readonly string[],
): Promise<{ verify: { code: number; stdout: string; stderr: string }; exposure: string }> {
  const target = join(root, "usr/lib/systemd/system/sysinit.target");
  await Deno.writeTextFile(target, "[Unit]\nDescription=System Initialization\n");
  try {
    const verify = await run("systemd-analyze", ["verify", `--root=${root}`, ...units]);
    const security = await run("systemd-analyze", ["security", "--offline=true", `--root=${root}`, units[0]]);
    const m = /Overall exposure level for \S+: (\d+\.\d+ \w+)/.exec(security.stdout);
    if (!m) {
      throw new Error(
        `systemd-analyze security: no exposure level in:\n${security.stdout}${security.stderr}`,
      );
    }
    return { verify, exposure: m[1] };
  } finally {
    await Deno.remove(target);
  }
}
