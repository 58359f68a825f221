/**
 * Issue 21, item 5: a secret typed into the wrong key is never echoed — `bind_password_file = <the
 * password>` (main said "cannot read '<the password>'"), the API key pasted into `host`, a password in
 * `attr_name`, the API key also pasted into `proxy_port` — in normal output, --doctor and --json, each
 * as text and as JSON. The message still names the key and its line. Nothing is contacted.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/cli.ts";
import { API_KEY, text } from "../support/configText.ts";
import { withTempDir } from "../support/tempDir.ts";

const PASSWORD = "Zq7#pw;Secret-yy8";
const OTHER_KEY = "Qw3eRt6yUi9oPa2sDf5gHj8kLz1xCv4bNm7qWe0rTy3uIo6pAs9dFg2hJk5lZx8c";

Deno.test("secrets in the wrong key: named by key and line, never shown (run, --doctor, --json)", async () => {
  await withTempDir("logintc-echo-", async (dir) => {
    const config = join(dir, "config.cfg");
    const body = text({
      logintc: { host: OTHER_KEY, proxy_host: "proxy.example.com", proxy_port: API_KEY },
      ldap: { bind_password: null, bind_password_file: PASSWORD, attr_name: PASSWORD },
    });
    await Deno.writeTextFile(config, body, { mode: 0o600 });
    const line = (key: string, section: string) => {
      const lines = body.split("\n");
      return lines.findIndex((l, i) => i > lines.indexOf(`[${section}]`) && l.startsWith(`${key} =`)) + 1;
    };
    const named = [
      `${config}:${
        line("host", "logintc")
      }: [logintc] host: the value (64 characters, not shown: it could be a secret)`,
      `${config}:${line("proxy_port", "logintc")}: [logintc] proxy_port: the value (64 characters, not shown`,
      `${config}:${
        line("bind_password_file", "ldap")
      }: [ldap] bind_password_file: cannot read the file it names: ` +
      `no such file (the path is not shown`,
      `${config}:${line("attr_name", "ldap")}: [ldap] attr_name: the value (17 characters, not shown`,
    ];
    for (
      const args of [["-d"], ["--doctor"], ["-d", "--json"], ["--doctor", "--json"], ["-j", "a".repeat(40)]]
    ) {
      const r = await runCli([...args, config]);
      const all = r.stdout + r.stderr;
      assert.equal(r.code, args.includes("--doctor") ? 1 : 2, `${args.join(" ")}\n${all}`);
      for (
        const secret of [PASSWORD, API_KEY, OTHER_KEY, encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD)]
      ) {
        assert.ok(!all.includes(secret), `${args.join(" ")} showed a secret:\n${all}`);
      }
      // As JSON, the same messages (JSON-escaped); as text, verbatim.
      const shown = args.includes("--json") ? JSON.parse(r.stdout) : undefined;
      const texts = shown ? JSON.stringify(shown) : all;
      for (const n of named) {
        assert.ok(
          texts.includes(shown ? JSON.stringify(n).slice(1, -1) : n),
          `${args.join(" ")}: no "${n}" in\n${all}`,
        );
      }
    }
  });
});
