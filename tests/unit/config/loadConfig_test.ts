/** loadConfig: the file read from disk — a missing one or a directory named, and sample.cfg kept valid. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../../src/config/loadConfig.ts";
import { BASE } from "../../support/configText.ts";

Deno.test("loadConfig: a missing file or a directory is a ConfigError naming the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = join(dir, "nope.cfg");
    await assert.rejects(loadConfig(missing), {
      name: "ConfigError",
      problems: [`${missing}: cannot read the config file: no such file`],
    });
    await assert.rejects(loadConfig(dir), {
      name: "ConfigError",
      problems: [`${dir}: cannot read the config file: it is a directory`],
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig: sample.cfg parses (so it cannot rot) and mentions every key", async () => {
  const path = fileURLToPath(new URL("../../../sample.cfg", import.meta.url));
  const c = await loadConfig(path);
  assert.equal(c.ldap.encryption, "ssl");
  assert.equal(c.ldap.port, 636);
  const sample = await Deno.readTextFile(path);
  for (const [section, keys] of Object.entries(BASE)) {
    assert.ok(sample.includes(`[${section}]`));
    for (const key of Object.keys(keys)) assert.match(sample, new RegExp(`^${key} =`, "m"));
  }
  for (
    const key of [
      "proxy_host",
      "proxy_port",
      "proxy_user",
      "proxy_pass",
      "ca_file",
      "attr_alias1",
      "attr_alias2",
      "attr_alias3",
      "attr_phone",
      "normalize_alias",
      "referral_hosts",
    ]
  ) {
    assert.match(sample, new RegExp(`^${key} =`, "m"));
  }
  // [sync] is commented out, with its defaults: a copied sample behaves as the original tool.
  assert.deepEqual(c.sync, {
    disabledUsers: "include",
    protectUsers: [],
    removeScope: "all",
    deleteAfterDays: 0,
  });
  assert.match(sample, /^#\[sync\]$/m);
  for (
    const key of ["disabled_users", "disabled_filter", "protect_users", "remove_scope", "delete_after_days"]
  ) {
    assert.match(sample, new RegExp(`^#${key} =`, "m"));
  }
});
