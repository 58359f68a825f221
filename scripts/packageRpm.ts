/**
 * Builds the release's RPM (./rpm/logintc-sync.spec) around a compiled program: stages what the
 * spec's %install reads, runs rpmbuild (./rpm.ts, rpmbuildArgs), and removes its scratch files.
 * Used by ./compile.ts for a release, and by tests/integration/scripts/packageRpm_test.ts around a small stand-in program.
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RPM_SOURCES, RPM_SPEC, rpmbuildArgs, rpmFileName } from "./rpm.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface RpmInput {
  /** The compiled program for x86_64 Linux. */
  binary: string;
  /** The release's output folder: the .rpm goes there, rpmbuild's scratch files in a folder inside. */
  out: string;
  version: string;
  /** File times and the build time, as the zips have them. */
  when: Date;
  /** A stand-in build's NOTICE.txt: the package is then marked NOT-SHIPPABLE (./rpm.ts, rpmName). */
  notice?: string;
}

/** The path of the .rpm written; throws with rpmbuild's own words when it fails. */
export async function packageRpm(input: RpmInput): Promise<string> {
  const standIn = input.notice !== undefined;
  const rpm = join(input.out, rpmFileName(input.version, standIn));
  const work = join(input.out, `.stage-${rpmFileName(input.version, standIn)}`);
  await Deno.remove(work, { recursive: true }).catch(() => {});
  try {
    const sources = join(work, "SOURCES");
    await Deno.mkdir(sources, { recursive: true });
    for (const { name, source } of RPM_SOURCES) {
      // The program by symlink: rpmbuild's install copies it once, into its build root.
      if (source === "binary") await Deno.symlink(resolve(input.binary), join(sources, name));
      else if (source !== "notice") await Deno.copyFile(join(ROOT, source), join(sources, name));
      else if (input.notice !== undefined) await Deno.writeTextFile(join(sources, name), input.notice);
    }
    await Deno.remove(rpm).catch(() => {});
    const r = await new Deno.Command("rpmbuild", {
      args: rpmbuildArgs({
        work,
        sources,
        out: input.out,
        spec: join(ROOT, RPM_SPEC),
        version: input.version,
        standIn,
      }),
      env: { SOURCE_DATE_EPOCH: String(Math.floor(input.when.getTime() / 1000)), TZ: "UTC", LC_ALL: "C" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(r.stderr).trim();
    if (!r.success) throw new Error(`error: rpmbuild failed for ${rpm}:\n${said}`);
    if (said) console.error(said); // rpmbuild's warnings, if any (a clean build has none)
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  try {
    await Deno.stat(rpm);
  } catch {
    throw new Error(`error: rpmbuild reported success but ${rpm} does not exist`);
  }
  return rpm;
}
