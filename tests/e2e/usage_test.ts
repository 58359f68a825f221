/**
 * The CLI as an admin or cron sees it: usage and config errors go to stderr, one line each,
 * exit 2, and nothing is contacted.
 */
import assert from "node:assert/strict";
import { runCli, view } from "../support/cli.ts";
import { VERSION } from "../../src/version.ts";

const HINT = "Run 'logintc-sync --help' for usage.";

Deno.test("cli: --help prints usage, flags and exit codes to stdout, exit 0", async () => {
  const r = await runCli(["--help"]);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /^Usage: logintc-sync \[options\] <config-file>\n/);
  assert.match(r.stdout, /-m, --sync-mode <arg> /);
  assert.match(r.stdout, /\nExit codes:\n {2}0 /);
});

Deno.test("cli: -v prints the version, exit 0", async () => {
  const r = await runCli(["-v"]);
  assert.deepEqual(view(r), {
    code: 0,
    stdout: `logintc-sync ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})\n`,
    stderr: "",
  });
});

for (
  const [argv, message] of [
    [["--bogus", "c.cfg"], "unknown option '--bogus'"],
    [
      ["-m", "weird", "c.cfg"],
      "option '-m, --sync-mode <arg>': 'weird' is not one of add_only, remove, delete",
    ],
    [
      ["-r", "1.5", "c.cfg"],
      "option '-r, --max-remove-limit <arg>': '1.5' is not a whole number of 0 or more",
    ],
    [["-d"], "missing config file argument"],
  ] as const
) {
  Deno.test(`cli: ${argv.join(" ")} → one error line and the hint on stderr, exit 2`, async () => {
    const r = await runCli([...argv]);
    assert.deepEqual(view(r), { code: 2, stdout: "", stderr: `error: ${message}\n${HINT}\n` });
  });
}

Deno.test("cli: a config file that does not exist → exit 2 naming the path", async () => {
  const r = await runCli(["-d", "/nonexistent/config.cfg"]);
  assert.deepEqual(view(r), {
    code: 2,
    stdout: "",
    stderr: "error: /nonexistent/config.cfg: cannot read the config file: no such file\n",
  });
});

/** Runs the CLI with `lines(port)` as config, counting connections to that loopback port. */
async function runCounting(lines: (port: number) => string[]) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const accepting = (async () => {
    for await (const conn of listener) {
      connections++;
      conn.close();
    }
  })();
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/config.cfg`;
    await Deno.writeTextFile(path, lines(listener.addr.port).join("\r\n") + "\r\n", { mode: 0o600 });
    const result = await runCli(["-d", path]);
    return { ...result, path, connections };
  } finally {
    listener.close();
    await accepting;
    await Deno.remove(dir, { recursive: true });
  }
}

function config(port: number, ldap: { encryption: string; filter: string; phone: string }): string[] {
  return [
    "[logintc]", // 1
    `host = 127.0.0.1:${port}`, // 2
    `api_key = ${"k".repeat(64)}`, // 3
    "domain_id = 9120580e94f134cb7c9f27cd1e43dbc82980e152", // 4
    "[ldap]", // 5
    `host = 127.0.0.1:${port}`, // 6
    `encryption = ${ldap.encryption}`, // 7
    "bind_dn = cn=Manager,dc=example,dc=com", // 8
    "bind_password = Secret#1;x", // 9
    "base_dn = dc=example,dc=com", // 10
    "attr_username = uid", // 11
    "attr_name = cn", // 12
    "attr_email = mail", // 13
    `filter = ${ldap.filter}`, // 14
    ldap.phone, // 15
  ];
}

Deno.test("cli: a config with 3 problems → all on stderr with file:line, exit 2, nothing contacted", async () => {
  const r = await runCounting((port) =>
    config(port, { encryption: "tls", filter: "(objectClass=person", phone: "attr_phon = telephoneNumber" })
  );
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(
    r.stderr,
    [
      `error: ${r.path}:7: [ldap] encryption: 'tls' is not one of none, ssl, startTLS`,
      `error: ${r.path}:14: [ldap] filter: not a valid LDAP filter: missing ')' at the end`,
      `error: ${r.path}:15: [ldap] unknown key 'attr_phon'; did you mean 'attr_phone'?`,
      "",
    ].join("\n"),
  );
  assert.ok(!r.stderr.includes("Secret"));
  assert.equal(r.connections, 0, "the CLI must not connect anywhere with a bad config");
});

Deno.test("cli: control — the same config fixed does connect (so the test above can fail)", async () => {
  const r = await runCounting((port) =>
    config(port, {
      encryption: "none",
      filter: "(objectClass=person)",
      phone: "attr_phone = telephoneNumber",
    })
  );
  assert.ok(r.connections > 0, `expected a connection; stderr: ${r.stderr}`);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(!r.stderr.includes("Secret"));
});
