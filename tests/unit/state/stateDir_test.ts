/**
 * The state directory's path logic for both platforms, whatever this machine is: the OS is
 * injected, so the Windows rules (drive letters, UNC shares, spaces, backslashes) are checked
 * on Linux CI too.
 */
import assert from "node:assert/strict";
import { pathFor, resolveStateDir, statePath } from "../../../src/state/stateDir.ts";
import { LOCK_FILE } from "../../../src/state/lock.ts";

Deno.test("state dir on Windows: the config file's directory, spaces and all", () => {
  const dir = (configPath: string) => resolveStateDir({ configPath, os: "windows" });
  assert.equal(dir("C:\\Program Files\\logintc-sync\\config.cfg"), "C:\\Program Files\\logintc-sync");
  assert.equal(dir("C:\\config.cfg"), "C:\\");
  assert.equal(dir("config.cfg"), ".");
  assert.equal(dir("\\\\fileserver\\it share\\sync\\config.cfg"), "\\\\fileserver\\it share\\sync");
  // Forward slashes are valid on Windows too (Task Scheduler entries are often typed that way).
  assert.equal(dir("C:/ProgramData/logintc-sync/config.cfg"), "C:/ProgramData/logintc-sync");
  assert.equal(
    statePath("C:\\Program Files\\logintc-sync", ["jobs", "a.json"], "windows"),
    "C:\\Program Files\\logintc-sync\\jobs\\a.json",
  );
  assert.equal(statePath("C:\\", [LOCK_FILE], "windows"), `C:\\${LOCK_FILE}`);
});

Deno.test("state dir on POSIX: a backslash is part of a file name, not a separator", () => {
  const dir = (configPath: string) => resolveStateDir({ configPath, os: "linux" });
  assert.equal(dir("/etc/logintc-sync/config.cfg"), "/etc/logintc-sync");
  assert.equal(dir("/srv/odd\\name.cfg"), "/srv");
  assert.equal(dir("/opt/my sync/config.cfg"), "/opt/my sync");
  assert.equal(dir("config.cfg"), ".");
  assert.equal(resolveStateDir({ configPath: "/etc/x.cfg", os: "darwin" }), "/etc");
  assert.equal(
    statePath("/var/lib/logintc-sync", ["jobs", "a.json"], "linux"),
    "/var/lib/logintc-sync/jobs/a.json",
  );
});

Deno.test("state dir: --state-dir and LOGINTC_SYNC_STATE_DIR are used as given on both platforms", () => {
  for (const os of ["windows", "linux"] as const) {
    assert.equal(resolveStateDir({ flag: "D:\\state dir", configPath: "C:\\c.cfg", os }), "D:\\state dir");
    assert.equal(resolveStateDir({ env: "/var/lib/x", configPath: "/etc/c.cfg", os }), "/var/lib/x");
  }
  assert.equal(pathFor("windows").sep, "\\");
  assert.equal(pathFor("linux").sep, "/");
});
