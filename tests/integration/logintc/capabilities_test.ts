/**
 * The capability probe against the emulator, both answers for every assumption: the extended
 * emulator (the extensions exist and show their values), the public-only one (they do not),
 * extensions whose values user objects do not show (write-only), and an empty organization
 * (no evidence: never "supported"). GETs only, always.
 */
import assert from "node:assert/strict";
import type { EmulatorOptions } from "../../../emulator/mod.ts";
import { createLoginTCClient } from "../../../src/logintc/client.ts";
import {
  capabilityLines,
  capabilityWarnings,
  probeCapabilities,
  type ProbeConfig,
} from "../../../src/logintc/capabilities.ts";
import { configFor, withEmulator, withPki } from "../../support/logintc.ts";

const EVERYTHING = {
  group: "Staff",
  emailNotification: "admin@example.com",
  syncTokenMode: "issue_token_without_email",
} as const;

async function probe(
  opts: Omit<EmulatorOptions, "tls">,
  seed: boolean,
  options: Parameters<typeof probeCapabilities>[2] = EVERYTHING,
) {
  return await withPki((pki) =>
    withEmulator(pki, opts, async (emu) => {
      emu.seedGroup("Staff");
      if (seed) emu.seedUser({ username: "alice", name: "Alice", email: "alice@example.com" });
      const api = createLoginTCClient(configFor(emu, { caPem: pki.caPem }), { retry: { maxAttempts: 1 } });
      const config: ProbeConfig = {
        ldap: { attrAlias: { alias1: "employeeNumber", alias3: "carLicense" }, attrPhone: "mobile" },
        logintc: { domainId: emu.domainId },
      };
      try {
        const caps = await probeCapabilities(api, config, options);
        assert.deepEqual(emu.requests.filter((r) => r.method !== "GET"), [], "the probe only reads");
        return { caps, paths: emu.requests.map((r) => r.path), groups: emu.groups() };
      } finally {
        await api.close();
      }
    })
  );
}

const verdicts = (caps: Awaited<ReturnType<typeof probe>>["caps"]) =>
  Object.fromEntries(
    caps.checks.map((c) => [c.feature, `${c.support}${c.used ? "" : " (skipped)"}`]),
  ) as Record<
    string,
    string
  >;

Deno.test("probe: the extended LoginTC supports every feature; the token without email stays unverified", async () => {
  const { caps, groups } = await probe({}, true);
  assert.deepEqual(verdicts(caps), {
    aliases: "supported",
    phone: "supported",
    group: "supported",
    notification: "supported",
    tokenWithoutEmail: "unverified",
  });
  assert.deepEqual(caps.group, groups[0]);
  assert.deepEqual(caps.problems, []);
  // The one warning left: the token without email, which no GET can verify.
  const warnings = capabilityWarnings(caps);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^-t issue_token_without_email: cannot be verified: /);
  assert.deepEqual(capabilityLines(caps).map((l) => l.split(": ").slice(0, 2).join(": ")), [
    "attr_alias1, attr_alias3: supported",
    "attr_phone: supported",
    "-g: supported",
    "-l: supported",
    "-t issue_token_without_email: unverified",
  ]);
});

Deno.test("probe: a public-only LoginTC lacks aliases, phones, groups and notifications — each named once", async () => {
  const { caps } = await probe({ api: "public" }, true);
  assert.deepEqual(verdicts(caps), {
    aliases: "unsupported (skipped)",
    phone: "unsupported (skipped)",
    group: "unsupported (skipped)",
    notification: "unsupported (skipped)",
    tokenWithoutEmail: "unverified",
  });
  assert.equal(caps.group, undefined);
  assert.deepEqual(caps.problems, [], "no group to find is not a missing group");
  const warnings = capabilityWarnings(caps);
  assert.equal(warnings.length, 5);
  assert.match(
    warnings[0],
    /^attr_alias1, attr_alias3: skipped: LoginTC's user objects carry no alias1\.\.3 /,
  );
  assert.match(
    warnings[1],
    /^attr_phone: skipped: LoginTC has no phones API \(GET \/api\/users\/[0-9a-f]{40}\/phones answered 404\)/,
  );
  assert.match(
    warnings[2],
    /^-g: skipped: LoginTC has no groups API \(GET \/api\/groups\?page=1 answered 404\)/,
  );
  assert.match(
    warnings[3],
    /^-l: skipped: LoginTC has no notification API \(GET \/api\/notifications answered 404\)/,
  );
  for (const w of warnings.slice(0, 4)) assert.ok(w.endsWith("(exit 5)"), w);
});

Deno.test("probe: extensions whose values user objects do not show are write-only (aliases: unsupported)", async () => {
  const { caps } = await probe({ userObject: "public" }, true);
  assert.deepEqual(verdicts(caps), {
    aliases: "unsupported (skipped)",
    phone: "write-only",
    group: "write-only",
    notification: "supported",
    tokenWithoutEmail: "unverified",
  });
});

Deno.test("probe: an empty organization is no evidence — aliases and phones unverified and skipped, never supported", async () => {
  const { caps, paths } = await probe({}, false);
  assert.deepEqual(verdicts(caps), {
    aliases: "unverified (skipped)",
    phone: "unverified (skipped)",
    group: "write-only",
    notification: "supported",
    tokenWithoutEmail: "unverified",
  });
  // Looked for a user object in the domain, then in the organization.
  assert.ok(paths.some((p) => /^\/api\/domains\/[0-9a-f]{40}\/users$/.test(p)));
  assert.ok(paths.includes("/api/users"));
  assert.match(
    capabilityWarnings(caps)[0],
    /^attr_alias1, attr_alias3: skipped: no user object to look at yet/,
  );
});

Deno.test("probe: a -g group that does not exist is a problem; nothing configured probes nothing", async () => {
  const missing = await probe({}, true, { group: "Nope", syncTokenMode: "do_not_issue_token" });
  assert.deepEqual(missing.caps.problems, ['group "Nope" not found in LoginTC Admin']);
  const none = await withPki((pki) =>
    withEmulator(pki, {}, async (emu) => {
      const api = createLoginTCClient(configFor(emu, { caPem: pki.caPem }));
      try {
        const caps = await probeCapabilities(api, {
          ldap: { attrAlias: {} },
          logintc: { domainId: emu.domainId },
        }, {
          syncTokenMode: "issue_token_with_email",
        });
        return { caps, requests: emu.requests.length };
      } finally {
        await api.close();
      }
    })
  );
  assert.deepEqual(none, { caps: { checks: [], problems: [] }, requests: 0 });
});
