/**
 * The write-only values file (src/sync/written.ts) and the probe-to-plan mapping
 * (src/sync/features.ts): a missing or damaged file is "write once more", never a crash; writes
 * are atomic and leave no temp file; only write-only features are remembered; exit 5 only when a
 * feature was skipped and nothing worse happened.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ExitCode } from "../../../src/errors.ts";
import type { Capabilities, FeatureCheck } from "../../../src/logintc/capabilities.ts";
import { planFeatures, withSkippedFeatures } from "../../../src/sync/features.ts";
import type { ApplyResult, PlanFeatures } from "../../../src/sync/types.ts";
import {
  parseRemembered,
  readRemembered,
  rememberApplied,
  writeRemembered,
  writtenPath,
} from "../../../src/sync/written.ts";
import { withTempDir } from "../../support/tempDir.ts";

const HOST = "cloud.logintc.com";
const DOMAIN = "9".repeat(40);

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("written-test-", fn);

Deno.test("written: missing → nothing remembered, no problem; write then read round-trips; no temp file left", async () => {
  await withDir(async (dir) => {
    assert.deepEqual(await readRemembered(dir, HOST, DOMAIN), { remembered: {} });
    const users = { u1: { groups: ["g1"], phones: ["+1 555 0100"] }, u2: { groups: ["g1"] } };
    const path = await writeRemembered(dir, HOST, DOMAIN, users);
    assert.equal(path, writtenPath(dir, DOMAIN));
    assert.equal(path, join(dir, "written", `${DOMAIN}.json`));
    assert.deepEqual(await readRemembered(dir, HOST, DOMAIN), { remembered: users });
    assert.deepEqual([...Deno.readDirSync(join(dir, "written"))].map((e) => e.name), [`${DOMAIN}.json`]);
    // Another host or domain: not ours to trust.
    assert.deepEqual(await readRemembered(dir, "other.example.com", DOMAIN), {
      remembered: {},
      problem: `${path}: written for another LoginTC host or domain`,
    });
  });
});

Deno.test("written: a damaged or unreadable file is a problem to report and an empty memory, never a throw", async () => {
  await withDir(async (dir) => {
    const path = writtenPath(dir, DOMAIN);
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
      assert.deepEqual(await readRemembered(dir, HOST, DOMAIN), {
        remembered: {},
        problem: `${path}: ${problem}`,
      });
    }
    await Deno.remove(path);
    await Deno.mkdir(path); // a directory where the file should be
    const r = await readRemembered(dir, HOST, DOMAIN);
    assert.deepEqual(r.remembered, {});
    assert.match(r.problem ?? "", /: cannot read it \(/);
  });
});

Deno.test("rememberApplied: only write-only features, by LoginTC id (created users too); deletes drop; no change → undefined", () => {
  const result: ApplyResult = {
    done: [
      { kind: "addToGroup", username: "old", userId: "u-old", groupId: "g", groupName: "Staff" },
      { kind: "addToGroup", username: "New", groupId: "g", groupName: "Staff" },
      { kind: "addPhone", username: "old", userId: "u-old", number: "+1 555 0100" },
      { kind: "deleteUser", username: "gone", userId: "u-gone" },
    ],
    failed: [],
    skipped: [],
    createdIds: { new: "u-new" },
  };
  const both: PlanFeatures = { aliases: "read", phone: "remembered", group: "remembered" };
  assert.deepEqual(rememberApplied({ "u-gone": { groups: ["g"] } }, result, both), {
    "u-old": { groups: ["g"], phones: ["+1 555 0100"] },
    "u-new": { groups: ["g"] },
  });
  // Read features are never remembered: LoginTC shows them.
  const groupOnly: PlanFeatures = { aliases: "read", phone: "read", group: "remembered" };
  assert.deepEqual(rememberApplied({}, { ...result, done: result.done.slice(0, 3) }, groupOnly), {
    "u-old": { groups: ["g"] },
    "u-new": { groups: ["g"] },
  });
  const before = { "u-old": { groups: ["g"] }, "u-new": { groups: ["g"] } };
  assert.equal(rememberApplied(before, { ...result, done: result.done.slice(0, 2) }, both), undefined);
  assert.equal(rememberApplied({}, result, { aliases: "read", phone: "read", group: "read" }), undefined);
  // Pure: the input is not changed.
  assert.deepEqual(before, { "u-old": { groups: ["g"] }, "u-new": { groups: ["g"] } });
});

Deno.test("parseRemembered: a valid file's users", () => {
  const text = JSON.stringify({
    format: 1,
    host: HOST,
    domainId: DOMAIN,
    users: { a: { groups: ["g"] }, b: {} },
  });
  assert.deepEqual(parseRemembered(text, HOST, DOMAIN), { a: { groups: ["g"] }, b: {} });
});

const check = (
  feature: FeatureCheck["feature"],
  support: FeatureCheck["support"],
  used: boolean,
): FeatureCheck => ({
  feature,
  asked: feature,
  support,
  evidence: "",
  used,
});

Deno.test("features: the probe's verdicts become the planner's, and exit 5 only when nothing worse happened", () => {
  const caps: Capabilities = {
    checks: [
      check("aliases", "unverified", false),
      check("phone", "write-only", true),
      check("group", "supported", true),
      check("tokenWithoutEmail", "unverified", true),
    ],
    problems: [],
  };
  assert.deepEqual(planFeatures(caps), { aliases: "off", phone: "remembered", group: "read" });
  assert.deepEqual(planFeatures({ checks: [], problems: [] }), {
    aliases: "read",
    phone: "read",
    group: "read",
  });
  const skipped = caps.checks.filter((c) => !c.used);
  assert.equal(withSkippedFeatures(ExitCode.OK, skipped), ExitCode.UNSUPPORTED);
  assert.equal(withSkippedFeatures(ExitCode.OK, []), ExitCode.OK);
  assert.equal(withSkippedFeatures(ExitCode.PARTIAL, skipped), ExitCode.PARTIAL);
  assert.equal(withSkippedFeatures(ExitCode.GUARD, skipped), ExitCode.GUARD);
});
