/**
 * Secrets outside the config file: api_key, bind_password and proxy_pass each from the file, a
 * `<key>_file` or an environment variable; exactly one source; never in a message.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../../src/errors.ts";
import { parseConfig, type ReadTextFile } from "../../../src/config/parseConfig.ts";
import { SECRET_ENV_NAMES } from "../../../src/config/secrets.ts";
import { CLI_PERMISSIONS } from "../../../src/cli/permissions.ts";

const API_KEY = "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0nOp3rSt6vWx9zAb2dEf5hIj8k";
const PASSWORD = "pw#;Secret-zz9 ";
const PROXY_PASS = "proxyPass!42";
const CONFIG = join("/etc", "sync", "c.cfg");

function text(logintc: string[], ldap: string[]): string {
  return [
    "[logintc]",
    "host = cloud.logintc.com",
    "domain_id = 9120580e94f134cb7c9f27cd1e43dbc82980e152",
    ...logintc,
    "[ldap]",
    "host = ldap.example.com",
    "encryption = ssl",
    "bind_dn = cn=sync,dc=example,dc=com",
    "base_dn = dc=example,dc=com",
    "attr_username = uid",
    "attr_name = cn",
    "attr_email = mail",
    "filter = (uid=*)",
    ...ldap,
  ].join("\n") + "\n";
}

function files(map: Record<string, string>): ReadTextFile {
  return (p) => {
    if (p in map) return map[p];
    throw new Deno.errors.NotFound(p);
  };
}

function problems(t: string, read: ReadTextFile, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(t, CONFIG, read, (n) => env[n]);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    for (const p of e.problems) for (const s of [API_KEY, PASSWORD, PROXY_PASS]) assert.ok(!p.includes(s), p);
    return [...e.problems];
  }
  assert.fail("expected a ConfigError");
}

Deno.test("secrets: from the environment, with the keys absent or left empty", () => {
  const env = {
    LOGINTC_SYNC_API_KEY: API_KEY,
    LOGINTC_SYNC_BIND_PASSWORD: PASSWORD,
    LOGINTC_SYNC_PROXY_PASS: PROXY_PASS,
  };
  const proxy = ["proxy_host = p.example.com", "proxy_port = 3128", "proxy_user = u"];
  for (
    const [logintc, ldap] of [[proxy, []], [["api_key =", ...proxy, "proxy_pass ="], ["bind_password ="]]]
  ) {
    const c = parseConfig(text(logintc, ldap), CONFIG, files({}), (n) => env[n as keyof typeof env]);
    assert.equal(c.logintc.apiKey, API_KEY);
    assert.equal(c.ldap.bindPassword, PASSWORD);
    assert.equal(c.logintc.proxy?.pass, PROXY_PASS);
    assert.equal(c.secretFiles, undefined);
  }
});

Deno.test("secrets: from files relative to the config's folder; a BOM and one trailing newline dropped, no more", () => {
  const read = files({
    [join("/etc", "sync", "api.key")]: API_KEY + "\n",
    [join("/run", "secrets", "bind")]: "\uFEFF" + PASSWORD + "\r\n",
    [join("/etc", "sync", "proxy")]: PROXY_PASS + "\n\n",
  });
  const proxy = ["proxy_host = p", "proxy_port = 3128", "proxy_user = u", "proxy_pass_file = proxy"];
  const c = parseConfig(
    text(["api_key_file = api.key", ...proxy], [`bind_password_file = ${join("/run", "secrets", "bind")}`]),
    CONFIG,
    read,
  );
  assert.equal(c.logintc.apiKey, API_KEY);
  // Trailing spaces are part of a password: only the newline goes.
  assert.equal(c.ldap.bindPassword, PASSWORD);
  assert.equal(c.logintc.proxy?.pass, PROXY_PASS + "\n");
  assert.deepEqual(c.secretFiles, [
    join("/etc", "sync", "api.key"),
    join("/etc", "sync", "proxy"),
    join("/run", "secrets", "bind"),
  ]);
});

Deno.test("secrets: two sources are a config error naming both; the value is never shown", () => {
  const read = files({ [join("/etc", "sync", "k")]: API_KEY });
  const env = { LOGINTC_SYNC_API_KEY: API_KEY, LOGINTC_SYNC_BIND_PASSWORD: PASSWORD };
  assert.deepEqual(
    problems(text([`api_key = ${API_KEY}`], [`bind_password = ${PASSWORD}`]), read, env),
    [
      `${CONFIG}:4: [logintc] api_key: is given more than once: api_key and the environment variable ` +
      "LOGINTC_SYNC_API_KEY; keep exactly one",
      `${CONFIG}:14: [ldap] bind_password: is given more than once: bind_password and the environment ` +
      "variable LOGINTC_SYNC_BIND_PASSWORD; keep exactly one",
    ],
  );
  assert.deepEqual(
    problems(text([`api_key = ${API_KEY}`, "api_key_file = k"], [`bind_password = x`]), read),
    [
      `${CONFIG}:4: [logintc] api_key: is given more than once: api_key and api_key_file; keep exactly one`,
    ],
  );
});

Deno.test("secrets: missing everywhere, an unreadable or empty file, an empty variable, a bad key from a file", () => {
  const read = files({ [join("/etc", "sync", "empty")]: "\n", [join("/etc", "sync", "short")]: "abc\n" });
  assert.deepEqual(problems(text([], []), read), [
    `${CONFIG}:1: [logintc] missing required key 'api_key' (or api_key_file, or LOGINTC_SYNC_API_KEY in the ` +
    "environment)",
    `${CONFIG}:4: [ldap] missing required key 'bind_password' (or bind_password_file, or ` +
    "LOGINTC_SYNC_BIND_PASSWORD in the environment)",
  ]);
  assert.deepEqual(problems(text(["api_key_file = nope"], ["bind_password_file = empty"]), read), [
    // Not quoted: a path that names nothing may be the key itself, pasted into the wrong key.
    `${CONFIG}:4: [logintc] api_key_file: cannot read the file it names: no such file (the path is not ` +
    `shown, in case it is a secret typed into the wrong key; a relative path is read from ${
      join("/etc", "sync")
    })`,
    `${CONFIG}:14: [ldap] bind_password_file: '${join("/etc", "sync", "empty")}' is empty`,
  ]);
  assert.deepEqual(
    problems(text(["api_key_file = short"], []), read, { LOGINTC_SYNC_BIND_PASSWORD: "" }),
    [
      `${CONFIG}:4: [logintc] api_key_file: (the value in '${join("/etc", "sync", "short")}') must be ` +
      "exactly 64 letters and digits; the value has 3 characters",
      `${CONFIG}:5: [ldap] bind_password (from LOGINTC_SYNC_BIND_PASSWORD): the variable is set but empty`,
    ],
  );
  assert.deepEqual(
    problems(text([], [`bind_password = ${PASSWORD}`]), read, {
      LOGINTC_SYNC_API_KEY: "short",
      LOGINTC_SYNC_PROXY_PASS: PROXY_PASS,
    }),
    [
      `${CONFIG}:1: [logintc] api_key (from LOGINTC_SYNC_API_KEY): must be exactly 64 letters and digits; ` +
      "the value has 5 characters",
      `${CONFIG}:1: [logintc] proxy_pass (from LOGINTC_SYNC_PROXY_PASS): is set but proxy_host is not`,
    ],
  );
});

Deno.test("secrets: the release permissions grant exactly these variables", () => {
  assert.deepEqual(SECRET_ENV_NAMES, [
    "LOGINTC_SYNC_API_KEY",
    "LOGINTC_SYNC_BIND_PASSWORD",
    "LOGINTC_SYNC_PROXY_PASS",
  ]);
  const env = CLI_PERMISSIONS.find((p) => p.startsWith("--allow-env="))!.split("=")[1].split(",");
  for (const name of SECRET_ENV_NAMES) assert.ok(env.includes(name), name);
});
