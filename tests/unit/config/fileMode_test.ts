/** The config file mode warning (pure part): POSIX only, ssh's rule (any group/other bit). */
import assert from "node:assert/strict";
import { configModeWarning } from "../../../src/config/fileMode.ts";

Deno.test("config mode: 0600 and 0400 are quiet; any group or other bit warns with the fix", () => {
  assert.equal(configModeWarning("/etc/c.cfg", 0o100600, "linux"), undefined);
  assert.equal(configModeWarning("/etc/c.cfg", 0o100400, "darwin"), undefined);
  assert.equal(
    configModeWarning("/etc/c.cfg", 0o100644, "linux"),
    "warning: /etc/c.cfg has mode 0644: group or others can access it, and it holds the LoginTC API key " +
      "and the bind password. Restrict it: chmod 600 /etc/c.cfg",
  );
  for (const mode of [0o640, 0o604, 0o620, 0o610, 0o602, 0o601]) {
    assert.ok(configModeWarning("/c.cfg", mode, "linux"), mode.toString(8));
  }
});

Deno.test("config mode: a path with spaces or quotes is quoted for the shell", () => {
  assert.match(
    configModeWarning("/opt/my sync/c.cfg", 0o644, "linux")!,
    /chmod 600 '\/opt\/my sync\/c\.cfg'$/,
  );
  assert.match(configModeWarning("/opt/it's/c.cfg", 0o644, "linux")!, /chmod 600 '\/opt\/it'\\''s\/c\.cfg'$/);
});

Deno.test("config mode: never on Windows (ACLs, no mode bits) or without a mode", () => {
  assert.equal(configModeWarning("C:\\sync\\c.cfg", 0o666, "windows"), undefined);
  assert.equal(configModeWarning("/c.cfg", null, "linux"), undefined);
});
