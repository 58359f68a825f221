/**
 * What Notepad and others write: UTF-8 with or without BOM and UTF-16 LE/BE with BOM load the same
 * config; anything that is not text is ONE error `<file>: not a text file (…)` that echoes nothing of
 * the file (src/config/decode.ts); a line missing its '=' names only the key (src/config/ini.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/loadConfig.ts";
import { parseConfig } from "../../../src/config/parseConfig.ts";
import { ConfigError } from "../../../src/errors.ts";
import { runCli } from "../../support/cli.ts";

const PASSWORD = "Zz9Sécret=Tail";
const CONFIG = [
  "; saved by Notepad",
  "[logintc]",
  "host = cloud.logintc.com",
  "api_key = Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0nOp3rSt6vWx9zAb2dEf5hIj8k",
  "domain_id = 9120580e94f134cb7c9f27cd1e43dbc82980e152",
  "[ldap]",
  "host = ldap.example.com",
  "encryption = startTLS",
  "bind_dn = CN=Jürgen Müller,OU=Zürich,DC=example,DC=com",
  `bind_password = ${PASSWORD}`,
  "base_dn = OU=Zürich,DC=example,DC=com",
  "attr_username = sAMAccountName",
  "attr_name = displayName",
  "attr_email = mail",
  "filter = (objectClass=user)",
  "",
].join("\r\n");

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + 2 * i] = bigEndian ? c >> 8 : c & 0xff;
    out[3 + 2 * i] = bigEndian ? c & 0xff : c >> 8;
  }
  return out;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

async function withFile<T>(bytes: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "logintc-enc-" });
  try {
    const path = join(dir, "sync.cfg");
    await Deno.writeFile(path, bytes, { mode: 0o600 });
    return await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadConfig: UTF-8 (with or without BOM) and UTF-16 LE/BE with BOM give the same config", async () => {
  const expected = parseConfig(CONFIG, "x", () => "");
  const encodings: [string, Uint8Array][] = [
    ["UTF-8", utf8(CONFIG)],
    ["UTF-8 with BOM", concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(CONFIG))],
    ["UTF-16 LE with BOM (Notepad 'Unicode')", utf16(CONFIG, false)],
    ["UTF-16 BE with BOM", utf16(CONFIG, true)],
  ];
  for (const [name, bytes] of encodings) {
    const c = await withFile(bytes, (p) => loadConfig(p));
    assert.deepEqual(c.ldap, expected.ldap, name);
    assert.equal(c.ldap.bindPassword, PASSWORD, name);
    assert.equal(c.ldap.baseDn, "OU=Zürich,DC=example,DC=com", name);
    assert.deepEqual(c.logintc, expected.logintc, name);
  }
});

/** The one problem loadConfig reports for these bytes. */
async function notText(bytes: Uint8Array): Promise<string> {
  return await withFile(bytes, async (path) => {
    const e = await loadConfig(path).then(() => undefined, (e) => e);
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.problems.length, 1, e.problems.join("\n"));
    const p = e.problems[0];
    assert.ok(p.startsWith(`${path}: not a text file (`), p);
    // Nothing of the file is echoed: no control character, no part of the secret.
    // deno-lint-ignore no-control-regex -- control characters are what must not appear
    assert.doesNotMatch(p, /[\x00-\x1f\x7f-\x9f]/);
    assert.ok(!p.includes("Zz9") && !p.toLowerCase().includes("tail"), p);
    return p.slice(path.length + 2);
  });
}

Deno.test("loadConfig: binary, UTF-16 without BOM, Latin-1 or control characters → one 'not a text file' error", async () => {
  const binary = new Uint8Array(256).map((_, i) => (i * 37 + 11) & 0xff);
  assert.match(await notText(binary), /^not a text file \(a NUL byte at byte \d+\); save it as UTF-8/);
  assert.match(await notText(utf16(CONFIG, false).subarray(2)), /a NUL byte at byte 2\)/);
  // "ü" in Latin-1 (0xFC), as an old editor saves it: line 1 is ASCII, so the byte is named.
  const latin1 = concat(utf8("[ldap]\nbase_dn = OU=Z"), new Uint8Array([0xfc]), utf8("rich\n"));
  assert.match(await notText(latin1), /^not a text file \(not valid UTF-8 at byte 22\)/);
  assert.match(
    await notText(utf8(`[ldap]\nbind_password = ${PASSWORD}\x1b[2J\n`)),
    /control character 0x1b on line 2/,
  );
  // A UTF-16 BOM followed by an odd number of bytes is not UTF-16.
  assert.match(
    await notText(new Uint8Array([0xff, 0xfe, 0x41])),
    /not valid UTF-16LE after its byte order mark/,
  );
});

Deno.test("ini: a secret line missing its '=' names the key only", () => {
  for (
    const line of ["bind_password Zz9Secret=Tail", "BIND_PASSWORD\tZz9Secret=Tail", "api_key Zz9Secret=Tail"]
  ) {
    const text = CONFIG.replace(`bind_password = ${PASSWORD}`, line).replace(
      /^api_key = .*$/m,
      (l) => line.toLowerCase().startsWith("api_key") ? line : l,
    );
    const e = (() => {
      try {
        parseConfig(text, "/etc/sync.cfg", () => "");
      } catch (e) {
        return e;
      }
    })();
    assert.ok(e instanceof ConfigError);
    const all = e.problems.join("\n");
    const key = line.split(/\s/)[0].toLowerCase();
    assert.match(all, new RegExp(`expected 'key = value': '${key}' is followed by more text before '='`));
    assert.ok(!/zz9secret|tail/i.test(all), all);
  }
});

Deno.test("CLI: a binary config → exit 2, one line on stderr naming the file, nothing else", async () => {
  const binary = concat(
    utf8("[ldap]\nbind_password = Zz9Secret\n"),
    new Uint8Array([0, 1, 2, 0x1b, 0x9b, 0xff]),
  );
  await withFile(binary, async (path) => {
    const r = await runCli([path]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `error: ${path}: not a text file (a NUL byte at byte 34); save it as UTF-8 (or as 'Unicode' in Notepad)\n`,
    );
  });
});
