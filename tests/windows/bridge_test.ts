/**
 * The pure parts of the Wine test setup, on every platform: Windows ⇄ Linux path mapping of the
 * fixture bridge, and the --filter built from the exclusion list (every name but the listed ones).
 */
import assert from "node:assert/strict";
import { type Exclusion, exclusionFilter, WINE_EXCLUSIONS } from "./exclusions.ts";
import { linuxPath, windowsPath, type WineLayout } from "./protocol.ts";

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

Deno.test("exclusions: the filter keeps every test but the listed names, exactly", () => {
  const list: Exclusion[] = [
    { file: "a_test.ts", test: "uses (symlinks) $HOME", why: "x" },
    { file: "b_test.ts", test: "b", why: "y" },
  ];
  const src = exclusionFilter(list)!;
  assert.ok(src.startsWith("/") && src.endsWith("/"));
  const re = new RegExp(src.slice(1, -1));
  assert.equal(re.test("uses (symlinks) $HOME"), false);
  assert.equal(re.test("b"), false);
  assert.equal(re.test("b2"), true, "a longer name is not excluded");
  assert.equal(re.test("uses (symlinks) $HOME too"), true);
  assert.equal(exclusionFilter([]), undefined);
  for (const e of WINE_EXCLUSIONS) assert.ok(e.why.length > 10 && e.test && e.file.endsWith("_test.ts"));
});
