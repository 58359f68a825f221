/**
 * The directory itself, over one bound connection: the bind, the RootDSE (which server, whether
 * it offers paged results), base_dn, how many entries the filter matches, five of them mapped as
 * a sync would map them (-n/-e applied), and on the same five, which anchor a sync would read
 * (src/directory/anchor.ts) and whether the sync account can read it; and how many are disabled
 * (./disabledUsers.ts). Reads only.
 */
import type { Entry } from "ldapts";
import { CONNECT_TIMEOUT_MS, openBound } from "../directory/connect.ts";
import { type ErrorContext, translateLdapError } from "../directory/errors.ts";
import { type LdapClient, openLdapClient } from "../directory/ldapClient.ts";
import { type AnchorMapping, mapEntry, type RawEntry, requestedAttributes } from "../directory/mapUser.ts";
import { type AnchorChoice, binaryAttributes, chooseAnchor, isGuidAttribute } from "../directory/anchor.ts";
import type { Vendor } from "../directory/vendor.ts";
import { PAGE_SIZE } from "../directory/readDirectory.ts";
import { splitPem } from "../tls/trust.ts";
import { detectVendor, ROOT_DSE_ATTRIBUTES } from "../directory/vendor.ts";
import { escapeText } from "../output/escape.ts";
import { redactSecret } from "../output/redact.ts";
import type { LdapConfig, SyncConfig, SyncOptions } from "../types.ts";
import { resultCode } from "../unknown.ts";
import type { DoctorCheck } from "../report/report.ts";
import { fail, ok, skip, warn } from "./doctorCheck.ts";
import { checkDisabled } from "./disabledUsers.ts";

/** Simple Paged Results control (RFC 2696), as servers list it in supportedControl. */
const PAGED_RESULTS_OID = "1.2.840.113556.1.4.319";
/** How many users are shown mapped. */
const SAMPLE_SIZE = 5;

export type DirectoryOptions = Pick<SyncOptions, "defaultName" | "defaultEmail">;

/** The checks made over a bound connection, in order (runDoctor lists the link checks before them). */
export const DIRECTORY_CHECK_IDS = [
  "ldap.bind",
  "ldap.rootdse",
  "ldap.base-dn",
  "ldap.filter",
  "ldap.sample",
  "ldap.anchor",
  "ldap.disabled",
];

export async function checkDirectory(
  config: LdapConfig,
  options: DirectoryOptions,
  timeoutMs: number,
  leavers: { sync: SyncConfig; now: () => Date },
): Promise<DoctorCheck[]> {
  const ctx: ErrorContext = {
    host: config.host,
    port: config.port,
    encryption: config.encryption,
    phase: "connect",
    bindDn: config.bindDn,
    baseDn: config.baseDn,
    filter: config.filter,
    caFile: config.caFile,
    connectTimeoutMs: Math.min(timeoutMs, CONNECT_TIMEOUT_MS),
    operationTimeoutMs: timeoutMs,
  };
  const checks: DoctorCheck[] = [];
  const explain = (e: unknown) => redactSecret(translateLdapError(e, ctx).message, config.bindPassword);
  let client: LdapClient | undefined;
  try {
    try {
      // The sync's own connect (StartTLS, RootDSE, bind), so the doctor sees what a run would.
      client = await openBound(
        { host: config.host, port: config.port },
        {
          config,
          caPems: splitPem(config.caPem ?? ""),
          connect: openLdapClient,
          connectTimeoutMs: ctx.connectTimeoutMs,
          operationTimeoutMs: timeoutMs,
        },
        ctx,
        (c) => client = c,
      );
      checks.push(ok("ldap.bind", `bound as ${config.bindDn}`));
    } catch (e) {
      checks.push(fail(
        "ldap.bind",
        explain(e),
        resultCode(e) === 49
          ? "check bind_dn and the bind password (bind_password, bind_password_file or " +
            "LOGINTC_SYNC_BIND_PASSWORD), and that the account is enabled"
          : "fix what the message names, then run --doctor again",
      ));
      return [...checks, ...DIRECTORY_CHECK_IDS.slice(1).map((id) => skip(id, "the bind failed"))];
    }
    ctx.phase = "search";
    checks.push(await rootDse(client));
    const base = await baseDn(client, config, explain);
    checks.push(base);
    if (base.status === "FAIL") {
      return [
        ...checks,
        ...DIRECTORY_CHECK_IDS.slice(3).map((id) => skip(id, "base_dn failed")),
      ];
    }
    checks.push(await countMatches(client, config, explain));
    checks.push(...await sample(client, config, options, ctx.vendor, explain));
    const vendor = ctx.vendor ?? detectVendor({});
    checks.push(await checkDisabled(client, config, leavers.sync, vendor, leavers.now(), explain));
    return checks;
  } finally {
    await client?.unbind().catch(() => {});
  }
}

async function rootDse(client: LdapClient): Promise<DoctorCheck> {
  const id = "ldap.rootdse";
  let entry: Entry | undefined;
  try {
    const r = await client.search("", {
      scope: "base",
      filter: "(objectClass=*)",
      attributes: [...ROOT_DSE_ATTRIBUTES, "supportedControl"],
    });
    entry = r.searchEntries[0];
  } catch {
    entry = undefined;
  }
  if (!entry) {
    return warn(
      id,
      "the RootDSE could not be read: vendor and paged-results support unknown",
      'allow the sync account to read the RootDSE (base "", scope base)',
    );
  }
  const vendor = detectVendor(entry);
  const controls = ([] as unknown[]).concat(entry.supportedControl ?? entry.supportedcontrol ?? []).map(
    String,
  );
  const version = vendor.vendorVersion ? ` (${escapeText(vendor.vendorVersion)})` : "";
  if (!controls.includes(PAGED_RESULTS_OID)) {
    return warn(
      id,
      `${vendor.name}${version}; paged results (RFC 2696) NOT listed in supportedControl`,
      "a large directory may hit the server's size limit: enable the paged results control for the sync account",
    );
  }
  return ok(id, `${vendor.name}${version}; paged results supported`);
}

async function baseDn(
  client: LdapClient,
  config: LdapConfig,
  explain: (e: unknown) => string,
): Promise<DoctorCheck> {
  try {
    const r = await client.search(config.baseDn, {
      scope: "base",
      filter: "(objectClass=*)",
      attributes: ["1.1"],
    });
    if (r.searchEntries.length === 1) return ok("ldap.base-dn", `${config.baseDn} exists`);
  } catch (e) {
    if (resultCode(e) === 32) {
      return fail(
        "ldap.base-dn",
        `${config.baseDn} does not exist on this server (or the sync account cannot see it)`,
        "check base_dn's spelling against the directory, and the sync account's read access to it",
      );
    }
    return fail("ldap.base-dn", explain(e), "fix what the message names, then run --doctor again");
  }
  return fail("ldap.base-dn", `${config.baseDn}: not readable`, "check the sync account's read access");
}

/** Every entry the filter matches, counted page by page without reading attributes ("1.1", RFC 4511 §4.5.1.8). */
async function countMatches(
  client: LdapClient,
  config: LdapConfig,
  explain: (e: unknown) => string,
): Promise<DoctorCheck> {
  const id = "ldap.filter";
  let entries = 0;
  let references = 0;
  try {
    const pages = client.searchPaginated(config.baseDn, {
      scope: "sub",
      filter: config.filter,
      attributes: ["1.1"],
      paged: { pageSize: PAGE_SIZE },
    });
    for await (const page of pages) {
      entries += page.searchEntries.length;
      references += page.searchReferences.length;
    }
  } catch (e) {
    return fail(id, explain(e), "fix what the message names (filter, limits), then run --doctor again");
  }
  const refs = references > 0 ? `, and ${references} referral(s)` : "";
  if (entries === 0) {
    return fail(
      id,
      `the filter ${config.filter} matches 0 entries under ${config.baseDn}${refs}`,
      "check filter and base_dn, and the sync account's read access (a sync never removes anyone on an empty read)",
    );
  }
  return ok(id, `${entries} entries match ${config.filter}${refs}`);
}

/** ldap.sample and ldap.anchor, from one search of SAMPLE_SIZE entries (the sync's attributes). */
async function sample(
  client: LdapClient,
  config: LdapConfig,
  options: DirectoryOptions,
  vendor: Vendor | undefined,
  explain: (e: unknown) => string,
): Promise<DoctorCheck[]> {
  const id = "ldap.sample";
  const choice = chooseAnchor(vendor?.id, config.attrAnchor);
  const anchor = choice && { attribute: choice.attribute, guid: isGuidAttribute(choice.attribute) };
  let entries: Entry[] = [];
  try {
    // The first page of a paged search of SAMPLE_SIZE: a plain search with a size limit ends in
    // result 4 (sizeLimitExceeded, RFC 4511 §4.1.9), which would lose the entries.
    const pages = client.searchPaginated(config.baseDn, {
      scope: "sub",
      filter: config.filter,
      attributes: requestedAttributes(config, anchor?.attribute),
      ...(anchor?.guid ? { explicitBufferAttributes: binaryAttributes(anchor.attribute) } : {}),
      paged: { pageSize: SAMPLE_SIZE },
    });
    for await (const page of pages) {
      entries = page.searchEntries;
      break;
    }
  } catch (e) {
    const why = explain(e);
    return [
      fail(id, why, "fix what the message names, then run --doctor again"),
      skip("ldap.anchor", "the sample could not be read"),
    ];
  }
  if (entries.length === 0) {
    return [warn(id, "no entry to show", "see ldap.filter"), skip("ldap.anchor", "no entry to look at")];
  }
  const mapped = entries.slice(0, SAMPLE_SIZE).map((entry) =>
    mapEntry(entry as RawEntry, config, options, anchor)
  );
  return [sampleCheck(mapped, config), anchorCheck(mapped, choice, anchor, vendor)];
}

/** Which anchor a sync reads, and whether the sampled users have it (the sync account may read it). */
function anchorCheck(
  mapped: readonly ReturnType<typeof mapEntry>[],
  choice: AnchorChoice | undefined,
  anchor: AnchorMapping | undefined,
  vendor: Vendor | undefined,
): DoctorCheck {
  const id = "ldap.anchor";
  if (!choice || !anchor) {
    return warn(
      id,
      `no anchor: ${vendor?.name ?? "the server"} has none logintc-sync knows, so users are matched by ` +
        "username only (a reused username or a rename cannot be told from an ordinary change)",
      "set attr_anchor in [ldap] to an attribute that never changes and is never reused",
    );
  }
  const users = mapped.flatMap((m) => m.kind === "user" ? [m.user] : []);
  const why = choice.from === "attr_anchor"
    ? "attr_anchor"
    : `the anchor of ${vendor?.name ?? "this server"}`;
  const lines = users.map((u) =>
    `${escapeText(u.username)}: ${
      u.anchor !== undefined ? escapeText(u.anchor) : `MISSING (${anchor.attribute})`
    }`
  );
  const have = users.filter((u) => u.anchor !== undefined).length;
  const head = `${escapeText(anchor.attribute)} (${why}): read on ${have} of ${users.length} sampled user(s)`;
  if (have < users.length) {
    return {
      ...warn(
        id,
        head,
        `users without ${anchor.attribute} are matched by username only: let bind_dn read ${anchor.attribute} ` +
          "(an operational attribute, asked for by name)" +
          (choice.from === "attr_anchor" ? ", or check attr_anchor" : ""),
      ),
      detail: [head, ...lines].join("\n"),
    };
  }
  return { ...ok(id, head), detail: [head, ...lines].join("\n") };
}

function sampleCheck(mapped: readonly ReturnType<typeof mapEntry>[], config: LdapConfig): DoctorCheck {
  const id = "ldap.sample";
  const entries = mapped;
  const lines: string[] = [];
  let incomplete = 0;
  for (const m of mapped) {
    if (m.kind === "noUsername") {
      incomplete++;
      lines.push(`${escapeText(m.dn)}: no ${config.attrUsername} (not synced)`);
      continue;
    }
    const u = m.user;
    if (!u.name || !u.email) incomplete++;
    lines.push(
      // Directory values, one line each: escaped (src/output/escape.ts), so a line break in a name
      // cannot start a line of its own.
      `${escapeText(u.username)}: name ${
        u.name !== undefined ? escapeText(u.name) : `MISSING (${config.attrName})`
      }, email ${u.email !== undefined ? escapeText(u.email) : `MISSING (${config.attrEmail})`}`,
    );
  }
  const head = `${entries.length - incomplete} of ${entries.length} sampled user(s) complete`;
  if (incomplete > 0) {
    return {
      ...warn(
        id,
        head,
        `a user without a username is not synced; one without a name or email is not created: fix ${config.attrName}/${config.attrEmail} in the directory, or give -n/-e defaults`,
      ),
      detail: [head, ...lines].join("\n"),
    };
  }
  return { ...ok(id, head), detail: [head, ...lines].join("\n") };
}
