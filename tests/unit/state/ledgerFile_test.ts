/**
 * The ledger's file (src/state/ledgerFile.ts): where it is, its text, and that a file that cannot
 * be used is "unknown" with one warning naming it (never quoting it), never a crash.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  formatLedger,
  ledgerPath,
  openLedger,
  parseLedger,
  readLedger,
  saveLedger,
} from "../../../src/state/ledgerFile.ts";
import type { Ledger } from "../../../src/sync/ledger.ts";
import { memoryOutput } from "../../support/output.ts";
import { withTempDir } from "../../support/tempDir.ts";

const DOMAIN = "a".repeat(40);
const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("ledger-file-test-", fn);

const LEDGER: Ledger = {
  version: 1,
  domainId: DOMAIN,
  anchorAttribute: "entryUUID",
  updatedAt: "2026-02-01T00:00:00.000Z",
  users: [
    {
      username: "amy",
      anchor: "0e4c-amy",
      userId: "u1",
      managed: true,
      firstSeen: "2026-01-01T00:00:00.000Z",
      lastSeen: "2026-02-01T00:00:00.000Z",
      absentSince: null,
    },
    {
      username: "Bob",
      anchor: null,
      userId: null,
      managed: false,
      firstSeen: "2026-01-01T00:00:00.000Z",
      lastSeen: "2026-01-01T00:00:00.000Z",
      absentSince: "2026-02-01T00:00:00.000Z",
    },
  ],
};

Deno.test("ledger file: missing → unknown, no problem; save then read round-trips; 0600 (POSIX); no temp file left", async () => {
  await withDir(async (dir) => {
    assert.deepEqual(await readLedger(dir, DOMAIN), {});
    const path = await saveLedger(dir, LEDGER);
    assert.equal(path, ledgerPath(dir, DOMAIN));
    assert.equal(path, join(dir, "ledger", `${DOMAIN}.json`));
    assert.deepEqual(await readLedger(dir, DOMAIN), { ledger: LEDGER });
    assert.deepEqual([...Deno.readDirSync(join(dir, "ledger"))].map((e) => e.name), [`${DOMAIN}.json`]);
    const mode = (await Deno.stat(path)).mode;
    // Windows has no mode bits (Deno reports null): the folder's ACL applies there.
    if (Deno.build.os === "windows") assert.equal(mode, null);
    else assert.equal(mode! & 0o777, 0o600);
    await saveLedger(dir, { ...LEDGER, users: [] });
    assert.deepEqual((await readLedger(dir, DOMAIN)).ledger?.users, []);
  });
});

Deno.test("ledger file: plain JSON an administrator can read — the contract's keys in order, 2-space indent, final newline", () => {
  const text = formatLedger(LEDGER);
  assert.ok(text.endsWith("}\n"));
  assert.ok(
    text.startsWith('{\n  "version": 1,\n  "domainId": "' + DOMAIN + '",\n  "anchorAttribute": "entryUUID",'),
  );
  assert.match(
    text,
    /\{\n {6}"username": "amy",\n {6}"anchor": "0e4c-amy",\n {6}"userId": "u1",\n {6}"managed": true,\n {6}"firstSeen"/,
  );
  assert.deepEqual(parseLedger(text, DOMAIN), LEDGER);
});

Deno.test("ledger file: keys this version does not know survive a read and a rewrite", () => {
  const raw = JSON.parse(formatLedger(LEDGER));
  raw.future = { x: 1 };
  raw.users[0].note = "kept";
  const parsed = parseLedger(JSON.stringify(raw), DOMAIN);
  assert.ok(typeof parsed !== "string");
  assert.deepEqual(parsed.other, { future: { x: 1 } });
  assert.deepEqual(parsed.users[0].other, { note: "kept" });
  assert.deepEqual(JSON.parse(formatLedger(parsed)), raw);
});

Deno.test("ledger file: a file that cannot be used is unknown, with why (never its contents)", () => {
  const good = JSON.parse(formatLedger(LEDGER));
  const cases: [unknown, string][] = [
    ["{secret-looking text", "not JSON"],
    [[], "not a ledger"],
    [{ ...good, version: 2 }, "written by a newer logintc-sync (ledger version 2; this one reads 1)"],
    [{ ...good, version: 0 }, "not a ledger"],
    [{ ...good, domainId: "b".repeat(40) }, "written for another LoginTC domain"],
    [{ ...good, anchorAttribute: 5 }, '"anchorAttribute" is not text or null'],
    [{ ...good, users: [1] }, "user 1: not an object"],
    [
      { ...good, users: [good.users[0], { ...good.users[0], username: "AMY" }] },
      "user 2: a second entry for one username",
    ],
    [{ ...good, users: [{ ...good.users[0], anchor: 7 }] }, 'user 1: "anchor" is not text or null'],
    [{ ...good, users: [{ ...good.users[0], managed: "yes" }] }, 'user 1: "managed" is not true or false'],
    [{ ...good, users: [{ ...good.users[0], lastSeen: undefined }] }, 'user 1: "lastSeen" is not text'],
  ];
  for (const [value, problem] of cases) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    assert.equal(parseLedger(text, DOMAIN), problem, text);
  }
});

Deno.test("ledger file: openLedger warns once, naming the file, and the run goes on unknown; a real run then writes a fresh one", async () => {
  await withDir(async (dir) => {
    const path = ledgerPath(dir, DOMAIN);
    await Deno.mkdir(join(dir, "ledger"));
    await Deno.writeTextFile(path, "\x1b[31mnot json");
    const out = memoryOutput();
    const opened = await openLedger(DOMAIN, { stateDir: dir, output: out });
    assert.equal(opened.ledger, undefined);
    assert.deepEqual(out.stderr, [
      `warning: ledger ${path}: not JSON; this run matches users by username only (nothing is flagged as ` +
      `reused or renamed), and a real run writes a fresh ledger`,
    ]);
    assert.equal(
      await opened.saveAfter({
        domainId: DOMAIN,
        anchorAttribute: "entryUUID",
        directory: [{ dn: "uid=amy", username: "amy", aliases: {}, anchor: "x" }],
        leftOut: [],
        members: [],
        orgUsers: [],
        done: [],
        now: new Date("2026-03-01T00:00:00Z"),
      }),
      undefined,
    );
    assert.deepEqual((await readLedger(dir, DOMAIN)).ledger?.users.map((u) => [u.username, u.anchor]), [[
      "amy",
      "x",
    ]]);
    // A folder where the file should be: unreadable, a warning; the write fails with a line to print.
    await Deno.remove(path);
    await Deno.mkdir(path);
    const out2 = memoryOutput();
    const again = await openLedger(DOMAIN, { stateDir: dir, output: out2 });
    assert.equal(again.ledger, undefined);
    assert.match(out2.stderr[0], /^warning: ledger .*: cannot read it \(/);
    const problem = await again.saveAfter({
      domainId: DOMAIN,
      anchorAttribute: null,
      directory: [],
      leftOut: [],
      members: [],
      orgUsers: [],
      done: [],
      now: new Date(),
    });
    assert.match(problem ?? "", /^cannot write the ledger /);
  });
});
