/**
 * The pure parts of the Wine test setup, on every platform: Windows ⇄ Linux path mapping of the
 * fixture bridge, and the exclusion list (exact names, each in its file, each with a reason).
 */
import assert from "node:assert/strict";
import { type Exclusion, exclusionFor, WINE_EXCLUSIONS } from "../../../support/windows/exclusions.ts";
import { linuxPath, windowsPath, type WineLayout } from "../../../support/windows/protocol.ts";

const LAYOUT: WineLayout = {
  root: "/var/tmp/logintc-sync-wine",
  sameInside: ["/work/main", "/var/tmp/share"],
  driveC: "/root/wineprefix/drive_c",
};

Deno.test("bridge: Windows paths map to the Linux files Wine shows", () => {
  assert.equal(
    linuxPath("C:\\users\\root\\AppData\\Local\\Temp\\x y", LAYOUT),
    "/var/tmp/logintc-sync-wine/root/wineprefix/drive_c/users/root/AppData/Local/Temp/x y",
  );
  assert.equal(linuxPath("z:\\work\\main\\tests", LAYOUT), "/work/main/tests", "same-path mount");
  assert.equal(linuxPath("Z:\\var\\tmp\\share\\a", LAYOUT), "/var/tmp/share/a");
  assert.equal(linuxPath("Z:\\etc\\hosts", LAYOUT), "/var/tmp/logintc-sync-wine/etc/hosts", "chroot file");
  assert.equal(
    linuxPath("Z:\\work\\mainly", LAYOUT),
    "/var/tmp/logintc-sync-wine/work/mainly",
    "not a prefix match",
  );
  assert.throws(() => linuxPath("D:\\x", LAYOUT), /drive D: is not mapped/);
  assert.throws(() => linuxPath("relative\\x", LAYOUT), /not an absolute Windows path/);
});

Deno.test("bridge: Linux fixture paths become Z: paths, and only inside the mounts", () => {
  assert.equal(
    windowsPath("/var/tmp/share/tmp/slapd-1/ca.crt", LAYOUT),
    "Z:\\var\\tmp\\share\\tmp\\slapd-1\\ca.crt",
  );
  assert.throws(() => windowsPath("/tmp/slapd-1", LAYOUT), /not visible inside the Wine chroot/);
});

Deno.test("exclusions: looked up by exact test name; every entry names a test file and a reason", () => {
  const list: Exclusion[] = [{ file: "a_test.ts", test: "uses (symlinks) $HOME", why: "x" }];
  assert.equal(exclusionFor(list, "uses (symlinks) $HOME")?.file, "a_test.ts");
  assert.equal(exclusionFor(list, "uses (symlinks) $HOME too"), undefined, "a longer name is not excluded");
  assert.equal(exclusionFor(list, "uses"), undefined);
  for (const e of WINE_EXCLUSIONS) {
    assert.ok(e.why.length > 20 && e.file.endsWith("_test.ts"), e.test);
    assert.ok(
      Deno.readTextFileSync(e.file).includes(JSON.stringify(e.test).slice(1, -1)),
      `${e.file} has "${e.test}"`,
    );
  }
});
