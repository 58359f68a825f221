/**
 * The real CLI shows hostile directory and LoginTC values escaped: a displayName holding "clear the
 * screen" and "set the window title" sequences, a bidi override in a username, a name in LoginTC with a
 * C1 CSI. Nothing the terminal would act on reaches stdout or stderr; what LoginTC would be sent is the
 * raw value (only its display is escaped).
 */
import assert from "node:assert/strict";
import { startEmulator } from "../../emulator/mod.ts";
import { runCli } from "../support/cli.ts";
import { startSlapd } from "../support/slapd.ts";
import { syncConfigText } from "../support/config.ts";

const CLEAR_AND_TITLE = "Mallory \x1b[2J\x1b]0;owned\x07";

/** No ESC byte, no C1 or bidi control, no other C0 than the line feeds between lines. */
function assertTerminalSafe(text: string): void {
  // deno-lint-ignore no-control-regex -- the characters a terminal acts on are the point
  assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
}

Deno.test("CLI: hostile values from the directory and LoginTC are shown escaped", async () => {
  const s = await startSlapd({
    groups: 1,
    users: [
      { uid: "mallory", cn: "M", displayName: CLEAR_AND_TITLE, mail: "mallory@example.com" },
      { uid: "eve\u202etxt.exe", cn: "E", displayName: "Eve", mail: "eve@example.com" },
      { uid: "zed", cn: "Z", displayName: "Zed", mail: "zed@example.com" },
    ],
  });
  const emu = await startEmulator({ tls: { cert: s.pki.serverCertPem, key: s.pki.serverKeyPem } });
  // Already in LoginTC, under a name with a one-byte CSI: the plan shows "from → to".
  emu.seedUser({ username: "zed", name: "Zed\x9b2J", email: "zed@example.com", domains: [emu.domainId] });
  const dir = await Deno.makeTempDir({ prefix: "logintc-escape-" });
  try {
    const path = `${dir}/config.cfg`;
    const ldap = {
      host: `127.0.0.1:${s.port}`,
      encryption: "none",
      bind_dn: s.bindDn,
      bind_password: s.bindPassword,
      base_dn: s.peopleDn,
      attr_username: "uid",
      attr_name: "displayName",
      attr_email: "mail",
      filter: "(objectClass=inetOrgPerson)",
    };
    await Deno.writeTextFile(path, syncConfigText(s, emu, ldap), { mode: 0o600 });
    const dry = await runCli(["-d", path]);
    assert.equal(dry.code, 0, dry.stderr);
    assertTerminalSafe(dry.stdout);
    assertTerminalSafe(dry.stderr);
    const lines = dry.stdout.split("\n");
    assert.ok(
      lines.includes("| mallory          | Mallory \\x1b[2J\\x1b]0;owned\\x07 | mallory@example.com |"),
      dry.stdout,
    );
    assert.ok(lines.some((l) => l.startsWith("| eve\\u202etxt.exe | Eve ")), dry.stdout);
    assert.ok(dry.stdout.includes("name: Zed\\x9b2J → Zed"), dry.stdout);
    // Every table line is as wide as its border: widths are those of the escaped text.
    const table = lines.slice(2, 9); // top border, header, separator, 3 users, bottom border
    assert.equal(new Set(table.map((l) => l.length)).size, 1, table.join("\n"));

    const run = await runCli([path]);
    assert.equal(run.code, 0, run.stderr);
    assertTerminalSafe(run.stdout + run.stderr);
    // LoginTC got the values themselves, not their display form.
    const users = emu.users();
    assert.equal(users.find((u) => u.username === "mallory")?.name, CLEAR_AND_TITLE);
    assert.ok(users.some((u) => u.username === "eve\u202etxt.exe"));
    assert.equal(users.find((u) => u.username === "zed")?.name, "Zed");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await emu.close();
    await s.stop();
  }
});
