/**
 * The write-only values file (src/state/writeOnlyValues.ts): a missing or damaged file is "write
 * once more", never a crash; writes are atomic and leave no temp file; only write-only features
 * are recorded.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ApplyResult, PlanFeatures } from "../../../src/sync/types.ts";
import {
  parseWriteOnlyValues,
  readWriteOnlyValues,
  saveWriteOnlyValues,
  writeOnlyValuesAfter,
  writeOnlyValuesPath,
} from "../../../src/state/writeOnlyValues.ts";
import { withTempDir } from "../../support/tempDir.ts";

const HOST = "cloud.logintc.com";
const DOMAIN = "9".repeat(40);

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("write-only-values-test-", fn);

Deno.test("write-only values: missing → none, no problem; write then read round-trips; no temp file left", async () => {
  await withDir(async (dir) => {
    assert.deepEqual(await readWriteOnlyValues(dir, HOST, DOMAIN), { values: {} });
    const users = { u1: { groups: ["g1"], phones: ["+1 555 0100"] }, u2: { groups: ["g1"] } };
    const path = await saveWriteOnlyValues(dir, HOST, DOMAIN, users);
    assert.equal(path, writeOnlyValuesPath(dir, DOMAIN));
    assert.equal(path, join(dir, "written", `${DOMAIN}.json`));
    assert.deepEqual(await readWriteOnlyValues(dir, HOST, DOMAIN), { values: users });
    assert.deepEqual([...Deno.readDirSync(join(dir, "written"))].map((e) => e.name), [`${DOMAIN}.json`]);
    // Another host or domain: not ours to trust.
    assert.deepEqual(await readWriteOnlyValues(dir, "other.example.com", DOMAIN), {
      values: {},
      problem: `${path}: written for another LoginTC host or domain`,
    });
  });
});

Deno.test("write-only values: a damaged or unreadable file is a problem to report and no values, never a throw", async () => {
  await withDir(async (dir) => {
    const path = writeOnlyValuesPath(dir, DOMAIN);
    await Deno.mkdir(join(dir, "written"));
    for (
      const [text, problem] of [
        ["{not json", "not JSON"],
        ["[]", "not a write-only values file"],
        [
          JSON.stringify({ format: 2, host: HOST, domainId: DOMAIN, users: {} }),
          "not a write-only values file",
        ],
        [
          JSON.stringify({ format: 1, host: HOST, domainId: DOMAIN, users: { u: 1 } }),
          "user u: not an object",
        ],
        [
          JSON.stringify({ format: 1, host: HOST, domainId: DOMAIN, users: { u: { phones: "x" } } }),
          'user u: "phones" is not a list',
        ],
      ]
    ) {
      await Deno.writeTextFile(path, text);
      assert.deepEqual(await readWriteOnlyValues(dir, HOST, DOMAIN), {
        values: {},
        problem: `${path}: ${problem}`,
      });
    }
    await Deno.remove(path);
    await Deno.mkdir(path); // a directory where the file should be
    const r = await readWriteOnlyValues(dir, HOST, DOMAIN);
    assert.deepEqual(r.values, {});
    assert.match(r.problem ?? "", /: cannot read it \(/);
  });
});

Deno.test("writeOnlyValuesAfter: only write-only features, by LoginTC id (created users too); deletes drop; no change → undefined", () => {
  const result: ApplyResult = {
    done: [
      { kind: "addToGroup", username: "old", userId: "u-old", groupId: "g", groupName: "Staff" },
      { kind: "addToGroup", username: "New", groupId: "g", groupName: "Staff" },
      { kind: "addPhone", username: "old", userId: "u-old", number: "+1 555 0100" },
      { kind: "deleteUser", username: "gone", userId: "u-gone" },
    ],
    failed: [],
    notAttempted: [],
    createdIds: { new: "u-new" },
  };
  const both: PlanFeatures = { aliases: "read", phone: "write-only", group: "write-only" };
  assert.deepEqual(writeOnlyValuesAfter({ "u-gone": { groups: ["g"] } }, result, both), {
    "u-old": { groups: ["g"], phones: ["+1 555 0100"] },
    "u-new": { groups: ["g"] },
  });
  // Read features are never recorded: LoginTC shows them.
  const groupOnly: PlanFeatures = { aliases: "read", phone: "read", group: "write-only" };
  assert.deepEqual(writeOnlyValuesAfter({}, { ...result, done: result.done.slice(0, 3) }, groupOnly), {
    "u-old": { groups: ["g"] },
    "u-new": { groups: ["g"] },
  });
  const before = { "u-old": { groups: ["g"] }, "u-new": { groups: ["g"] } };
  assert.equal(writeOnlyValuesAfter(before, { ...result, done: result.done.slice(0, 2) }, both), undefined);
  assert.equal(
    writeOnlyValuesAfter({}, result, { aliases: "read", phone: "read", group: "read" }),
    undefined,
  );
  // Pure: the input is not changed.
  assert.deepEqual(before, { "u-old": { groups: ["g"] }, "u-new": { groups: ["g"] } });
});

Deno.test("parseWriteOnlyValues: a valid file's users", () => {
  const text = JSON.stringify({
    format: 1,
    host: HOST,
    domainId: DOMAIN,
    users: { a: { groups: ["g"] }, b: {} },
  });
  assert.deepEqual(parseWriteOnlyValues(text, HOST, DOMAIN), { a: { groups: ["g"] }, b: {} });
});
