/**
 * The real CLI (`-d config.cfg`) against a real slapd and the LoginTC emulator: the original tool's exact
 * dry-run output (then our plan), a bind password with '#' and ';', and a failing read (exit 1, admin
 * message on stderr, nothing more on stdout).
 */
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../emulator/mod.ts";
import { runCli } from "../support/cli.ts";
import { syncConfigText } from "../support/config.ts";
import { type Slapd, startSlapd } from "../support/slapd.ts";

const PASSWORD = "ab#c;d";

function cfg(s: Slapd, emu: Emulator, ldap: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    host: `127.0.0.1:${s.port}`,
    encryption: "none",
    bind_dn: s.bindDn,
    bind_password: PASSWORD,
    base_dn: s.peopleDn,
    attr_username: "uid",
    attr_name: "displayName",
    attr_email: "mail",
    filter: "(objectClass=inetOrgPerson)",
    ...ldap,
  };
  return syncConfigText(s, emu, values);
}

Deno.test("CLI --dry-run against slapd", async (t) => {
  const s = await startSlapd({
    syncPassword: PASSWORD,
    groups: 1,
    users: [
      { uid: "john.doe", cn: "John Doe", displayName: "John Doe", mail: "john.doe@example.com" },
      { uid: "jane.doe", cn: "Jane Doe", displayName: "Jane Doe", mail: "jane.doe@example.com" },
      { uid: "jürgen", cn: "Jürgen Müller", displayName: "Jürgen Müller" },
      { rdn: "cn=No Uid", cn: "No Uid" },
    ],
  });
  const emu = await startEmulator({ tls: { cert: s.pki.serverCertPem, key: s.pki.serverKeyPem } });
  const dir = await Deno.makeTempDir({ prefix: "logintc-cli-" });
  try {
    const write = async (name: string, text: string) => {
      await Deno.writeTextFile(`${dir}/${name}`, text, { mode: 0o600 }); // private, as the CLI expects
      return `${dir}/${name}`;
    };

    await t.step("exact stdout, exit 0 (password ab#c;d binds)", async () => {
      const path = await write("config.cfg", cfg(s, emu, { filter: "(uid=*.doe)" }));
      const r = await runCli(["-d", path]);
      assert.equal(r.stderr, "");
      assert.equal(
        r.stdout,
        [
          "Fetching users...",
          "Fetched 2 user(s)",
          "+----------+----------+----------------------+",
          "| Username | Name     | Email                |",
          "+----------+----------+----------------------+",
          "| jane.doe | Jane Doe | jane.doe@example.com |",
          "| john.doe | John Doe | john.doe@example.com |",
          "+----------+----------+----------------------+",
          // The original stops here; we go on with the plan (an empty LoginTC domain).
          "Plan: 2 to create, 0 to update, 2 to add to domain, 0 to remove",
          "+----------+---------------+---------------------------------------------+",
          "| Username | Action        | Detail                                      |",
          "+----------+---------------+---------------------------------------------+",
          "| jane.doe | create        | name: Jane Doe, email: jane.doe@example.com |",
          "| john.doe | create        | name: John Doe, email: john.doe@example.com |",
          "| jane.doe | add to domain |                                             |",
          "| john.doe | add to domain |                                             |",
          "+----------+---------------+---------------------------------------------+",
          "Dry run: nothing was changed.",
          "",
        ].join("\n"),
      );
      assert.equal(r.code, 0);
    });

    await t.step("skipped entries are counted after the table; missing email is an empty cell", async () => {
      const path = await write("all.cfg", cfg(s, emu));
      const r = await runCli(["--dry-run", path]);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split("\n");
      assert.equal(lines[1], "Fetched 3 user(s)");
      assert.ok(lines.includes("| jürgen   | Jürgen Müller |                      |"), r.stdout);
      // Right after the table, before the plan.
      const skipped = lines.indexOf("Skipped 1 entries without a username (uid)");
      assert.ok(skipped > 0, r.stdout);
      assert.match(lines[skipped - 1], /^\+-+\+/);
      assert.match(lines[skipped + 1], /^Plan: /);
    });

    await t.step("no matching users: the header box only, exit 0", async () => {
      const path = await write("none.cfg", cfg(s, emu, { filter: "(uid=nobody)" }));
      const r = await runCli(["-d", path]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        "Fetching users...\nFetched 0 user(s)\n+----------+------+-------+\n| Username | Name | Email |\n" +
          "+----------+------+-------+\nNothing to do: LoginTC is in sync with the directory.\n" +
          "Dry run: nothing was changed.\n",
      );
    });

    await t.step("LDAPS with ca_file in the config", async () => {
      const path = await write(
        "tls.cfg",
        cfg(s, emu, {
          host: `127.0.0.1:${s.ldapsPort}`,
          encryption: "ssl",
          ca_file: s.pki.caFile,
          filter: "(uid=jane.doe)",
        }),
      );
      const r = await runCli(["-d", path]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Fetching users...\nFetched 1 user\(s\)\n/);
    });

    await t.step("a failing read: exit 1, message on stderr, nothing after 'Fetching users...'", async () => {
      const path = await write("bad.cfg", cfg(s, emu, { base_dn: "ou=nowhere,dc=example,dc=com" }));
      const r = await runCli(["-d", path]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "Fetching users...\n");
      assert.match(
        r.stderr,
        /^error: LDAP 127\.0\.0\.1:\d+: base_dn "ou=nowhere,dc=example,dc=com" does not exist/,
      );
      assert.ok(!r.stderr.includes(PASSWORD));
      assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/); // no stack

      const wrong = await write("wrong.cfg", cfg(s, emu, { bind_password: "ab#c;dX" }));
      const w = await runCli(["-d", wrong]);
      assert.equal(w.code, 1);
      assert.equal(w.stdout, "Fetching users...\n");
      assert.match(w.stderr, /invalid credentials \(LDAP result 49\)/);
      assert.ok(!w.stderr.includes("ab#c;d"));
    });

    await t.step("untrusted certificate (no ca_file, clean env): exit 1 mentioning ca_file", async () => {
      const path = await write(
        "untrusted.cfg",
        cfg(s, emu, { host: `127.0.0.1:${s.ldapsPort}`, encryption: "ssl" }),
      );
      const r = await runCli(["-d", path]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "Fetching users...\n");
      assert.match(r.stderr, /TLS certificate is not trusted .*ca_file/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
    await emu.close();
    await s.stop();
  }
});
