/** The pure half of the release's RPM (scripts/rpm.ts) and the spec it drives (scripts/rpm/logintc-sync.spec). */
import assert from "node:assert/strict";
import {
  RPM_SOURCES,
  RPM_SPEC,
  RPM_TARGET,
  rpmbuildArgs,
  rpmbuildMissingMessage,
  rpmFileName,
  rpmName,
  rpmVersion,
} from "../../../scripts/rpm.ts";

Deno.test("rpm: x86_64 Linux only; names, versions and the mark; rpmbuild writes only where it is told", () => {
  assert.equal(RPM_TARGET, "x86_64-unknown-linux-gnu");
  assert.deepEqual([rpmName(false), rpmName(true)], ["logintc-sync", "logintc-sync-NOT-SHIPPABLE"]);
  assert.deepEqual([rpmVersion("0.1.0"), rpmVersion("0.2.0-rc.1")], ["0.1.0", "0.2.0~rc.1"]);
  assert.equal(rpmFileName("0.1.0", false), "logintc-sync-0.1.0-1.x86_64.rpm");
  assert.equal(rpmFileName("0.1.0", true), "logintc-sync-NOT-SHIPPABLE-0.1.0-1.x86_64.rpm");
  const args = rpmbuildArgs({
    work: "/w",
    sources: "/w/SOURCES",
    out: "/o",
    spec: "/r/x.spec",
    version: "0.1.0",
    standIn: true,
  });
  assert.deepEqual(args.slice(0, 4), ["-bb", "--quiet", "--target", "x86_64-linux"]);
  assert.equal(args.at(-1), "/r/x.spec");
  const defines = new Map(
    args.flatMap((
      a,
      i,
    ) => (args[i - 1] === "--define" ? [a.split(/ (.*)/s).slice(0, 2) as [string, string]] : [])),
  );
  // Every place rpmbuild writes: the scratch folder, or the output folder for the .rpm itself.
  for (const key of ["_topdir", "_builddir", "_buildrootdir", "_tmppath", "_dbpath"]) {
    assert.match(defines.get(key) ?? "", /^\/w(\/|$)/, key);
  }
  assert.equal(defines.get("_rpmdir"), "/o");
  assert.equal(defines.get("_sourcedir"), "/w/SOURCES");
  assert.equal(defines.get("_build_name_fmt"), "%%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm");
  assert.deepEqual(
    ["pkg_name", "pkg_version", "stand_in"].map((k) => defines.get(k)),
    ["logintc-sync-NOT-SHIPPABLE", "0.1.0", "1"],
  );
  assert.match(rpmbuildMissingMessage(), /needs rpmbuild\. Install it: sudo apt-get install -y rpm \(Debian/);
});

Deno.test("rpm: every file the spec installs is staged from the repository, and the spec names each", () => {
  const spec = Deno.readTextFileSync(new URL(`../../../${RPM_SPEC}`, import.meta.url));
  for (const { name, source } of RPM_SOURCES) {
    if (source !== "binary" && source !== "notice") {
      Deno.statSync(new URL(`../../../${source}`, import.meta.url));
    }
    assert.match(spec, new RegExp(`^install -D -m 0[0-7]{3} ${name.replace(/\./g, "\\.")} `, "m"), name);
  }
  // The scriptlets (%pre … before %files): no %systemd_* macros (Debian's rpmbuild has none, and
  // %systemd_post may enable), no enabling. tests/integration/scripts/packageRpm_test.ts runs them.
  const scriptlets = spec.slice(spec.indexOf("\n%pre\n"), spec.indexOf("\n%files\n"));
  assert.match(scriptlets, /useradd -r /);
  const code = scriptlets.split("\n").filter((l) => !l.startsWith("#")).join("\n");
  assert.doesNotMatch(code, /%systemd_|\b(enable|preset)\b/);
});
