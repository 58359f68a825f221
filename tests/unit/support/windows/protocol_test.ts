/**
 * The fixture bridge of the Wine test setup (tests/support/windows/protocol.ts), on every platform:
 * Windows ⇄ Linux path mapping.
 */
import assert from "node:assert/strict";
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
