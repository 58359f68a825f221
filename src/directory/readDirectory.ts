/**
 * The directory reader (imperative shell around the pure mapping/validation): connect, (StartTLS), simple
 * bind, one paged search of base_dn, then of every referral it returns (referrals.ts), map, validate. Any
 * failure aborts the whole read with a DirectoryError — a partial list never escapes, because the planner
 * would treat missing users as removed.
 */
import type { ClientOptions, SearchResult } from "ldapts";
import { defaultLdapPort } from "../config/ldapSection.ts";
import { DirectoryError } from "../errors.ts";
import type { Output } from "../output/output.ts";
import { redactSecret } from "../output/redact.ts";
import type { DirectoryRead, DirectoryUser, LdapConfig, SyncOptions } from "../types.ts";
import { resultCode } from "../unknown.ts";
import { CONNECT_TIMEOUT_MS, type ConnectSettings, openBound, OPERATION_TIMEOUT_MS } from "./connect.ts";
import { certificateProblem } from "./peerCertificate.ts";
import { type ErrorContext, translateLdapError } from "./errors.ts";
import { type LdapClient, openLdapClient } from "./ldapClient.ts";
import { DISABLED_BY_FILTER, disabledAttributes, disabledReason } from "./disabled.ts";
import { type AnchorMapping, mapEntry, type RawEntry, requestedAttributes } from "./mapUser.ts";
import { type AnchorChoice, binaryAttributes, chooseAnchor, isGuidAttribute } from "./anchor.ts";
import { ReferralResult, type SearchTarget, searchWithReferrals } from "./referrals.ts";
import { referralTrust } from "./referralTrust.ts";
import { dnKey } from "./referralUrl.ts";
import type { VendorId } from "./vendor.ts";
import { splitPem } from "../tls/trust.ts";
import { checkLocalValidation, sortCheckedUsers } from "./validate.ts";

export type { LdapClient };

/**
 * Simple Paged Results (RFC 2696) page size. Must stay ≤ 1000: Active Directory's default MaxPageSize
 * caps pages at 1000 entries. 500 keeps memory flat while streaming (docs/development.md, "ldapts under
 * Deno").
 */
export const PAGE_SIZE = 500;

export interface ReadDeps {
  output: Output;
  /** The clock: an accountExpires before now is a disabled account (./disabled.ts). */
  now: () => Date;
  connect?: (options: ClientOptions) => LdapClient;
  connectTimeoutMs?: number;
  operationTimeoutMs?: number;
}

export type ReadOptions =
  & Pick<
    SyncOptions,
    "ignoreReferral" | "defaultName" | "defaultEmail" | "localValidation"
  >
  & {
    /** [sync] disabled_filter: the entries it matches are disabled (on any server). */
    disabledFilter?: string;
  };

/** Never let the bind password reach a message, whatever a library or server echoed. */
function scrub(err: unknown, password: string): unknown {
  if (!(err instanceof DirectoryError)) return err;
  if (password.length === 0 || !err.message.includes(password)) return err;
  return new DirectoryError(redactSecret(err.message, password));
}

export async function readDirectory(
  config: LdapConfig,
  options: ReadOptions,
  deps: ReadDeps,
): Promise<DirectoryRead> {
  const settings: ConnectSettings = {
    config,
    // The filter was checked and ca_file read when the config was loaded (src/config/filter.ts,
    // src/config/section.ts): one parser, one read, one message with the config line.
    caPems: config.encryption === "none" ? [] : splitPem(config.caPem ?? ""),
    connect: deps.connect ?? openLdapClient,
    connectTimeoutMs: deps.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    operationTimeoutMs: deps.operationTimeoutMs ?? OPERATION_TIMEOUT_MS,
  };

  const users: DirectoryUser[] = [];
  const withoutUsername: string[] = [];
  const now = deps.now();
  /** DNs disabled_filter matched, as the server wrote them. */
  const disabledDns = new Set<string>();
  // The anchor attribute, chosen once from the first server's RootDSE (or attr_anchor) and asked of
  // every server the read reaches (referrals lead to the same directory's other servers).
  let anchor: { choice?: AnchorChoice; mapping?: AnchorMapping } | undefined;
  const anchorFor = (vendor: VendorId) => {
    if (anchor === undefined) {
      const choice = chooseAnchor(vendor, config.attrAnchor);
      anchor = choice
        ? { choice, mapping: { attribute: choice.attribute, guid: isGuidAttribute(choice.attribute) } }
        : {};
    }
    return anchor.mapping;
  };
  // One search never returns a DN twice, so DNs are only compared once referrals add entries from
  // other searches (the same entry can be reached twice, e.g. through two replicas).
  let seen: Set<string> | undefined;
  const onEntry = (entry: RawEntry, fromReferral: boolean, vendor: VendorId) => {
    if (fromReferral) {
      seen ??= new Set([...users.map((u) => dnKey(u.dn)), ...withoutUsername.map(dnKey)]);
      const key = dnKey(entry.dn);
      if (seen.has(key)) return;
      seen.add(key);
    }
    const m = mapEntry(entry, config, options, anchor?.mapping);
    if (m.kind === "user") {
      const disabled = disabledReason(entry, vendor, now);
      if (disabled !== undefined) m.user.disabled = disabled;
      users.push(m.user);
    } else withoutUsername.push(m.dn);
  };
  const primary: SearchTarget = {
    host: config.host,
    port: config.port,
    dn: config.baseDn,
    scope: "sub",
    chain: [],
    via: [],
  };
  let summary;
  try {
    summary = await searchWithReferrals(primary, {
      search: (target) =>
        searchTarget(target, settings, options, {
          onEntry,
          onDisabled: (dn) => disabledDns.add(dn),
          anchorFor,
        }),
      defaultPort: defaultLdapPort(config.encryption),
      ignoreReferral: options.ignoreReferral,
      trust: referralTrust(config.host, config.referralHosts ?? []),
    });
  } catch (e) {
    throw scrub(e, config.bindPassword);
  }
  if (disabledDns.size > 0) markDisabled(users, disabledDns);
  const sorted = sortCheckedUsers(users, config.attrUsername);
  if (options.localValidation) checkLocalValidation(sorted, config.attrName, config.attrEmail);
  const choice = (anchor as { choice?: AnchorChoice } | undefined)?.choice;
  return {
    ...(choice ? { anchorAttribute: choice.attribute, anchorFrom: choice.from } : {}),
    users: sorted,
    withoutUsername: [...withoutUsername].sort(),
    referralsIgnored: [...new Set(summary.ignored)].sort(),
    referralsFollowed: summary.followed,
    partitionsSkipped: [...new Set(summary.partitions)].sort(),
  };
}

/**
 * The users disabled_filter matched (`dns`, from the searches of every target) are disabled, unless
 * their server's own rule already said why. The two searches of a server return its DNs in the same
 * spelling; dnKey only matters should one differ.
 */
function markDisabled(users: DirectoryUser[], dns: ReadonlySet<string>): void {
  let matched = 0;
  const unmatched: DirectoryUser[] = [];
  for (const user of users) {
    if (!dns.has(user.dn)) unmatched.push(user);
    else {
      matched++;
      user.disabled ??= DISABLED_BY_FILTER;
    }
  }
  if (matched === dns.size) return;
  const keys = new Set([...dns].map(dnKey));
  for (const user of unmatched) if (keys.has(dnKey(user.dn))) user.disabled ??= DISABLED_BY_FILTER;
}

/**
 * Connects to one target, searches it; entries go to onEntry, continuation references are returned.
 * With disabled_filter, a second search on the same connection asks the server which of the entries
 * the filter selects are disabled (DNs only): the server evaluates the filter with its own matching
 * rules (AD's bitwise `1.2.840.113556.1.4.803`, its schema's case rules), which a client-side match
 * would have to guess. Entries changed between the two searches are read as the later search saw them.
 */
async function searchTarget(
  target: SearchTarget,
  s: ConnectSettings,
  options: ReadOptions,
  to: {
    onEntry: (entry: RawEntry, fromReferral: boolean, vendor: VendorId) => void;
    onDisabled: (dn: string) => void;
    /** The anchor to ask for, chosen from the first server's RootDSE. */
    anchorFor: (vendor: VendorId) => AnchorMapping | undefined;
  },
): Promise<string[]> {
  const { config } = s;
  const ctx: ErrorContext = {
    host: target.host,
    port: target.port,
    encryption: config.encryption,
    phase: "connect",
    bindDn: config.bindDn,
    baseDn: target.dn,
    filter: config.filter,
    caFile: config.caFile,
    pageSize: PAGE_SIZE,
    connectTimeoutMs: s.connectTimeoutMs,
    operationTimeoutMs: s.operationTimeoutMs,
  };
  let client: LdapClient | undefined;
  try {
    await openBound(target, s, ctx, (c) => client = c);
    const vendor = ctx.vendor?.id ?? "unknown";
    const anchor = to.anchorFor(vendor);
    // The anchor is asked for by name: operational attributes are not returned otherwise (RFC 4511 §4.5.1.8).
    const attributes = [...requestedAttributes(config, anchor?.attribute), ...disabledAttributes(vendor)];
    const references = await searchPages(
      client!,
      target,
      { filter: config.filter, attributes, binary: anchor?.guid ? binaryAttributes(anchor.attribute) : [] },
      (e) => to.onEntry(e, target.url !== undefined, vendor),
    );
    if (options.disabledFilter !== undefined) {
      // "1.1": no attributes, only the DNs (RFC 4511 §4.5.1.8). Its references are the first search's.
      ctx.filter = `(&${config.filter}${options.disabledFilter})`;
      await searchPages(
        client!,
        target,
        { filter: ctx.filter, attributes: ["1.1"] },
        (e) => to.onDisabled(e.dn),
      );
    }
    return references;
  } catch (e) {
    // A referral result (RFC 4511 §4.1.10) is followed — unless -i: then base_dn itself is elsewhere and
    // there would be no entries at all, which errors.ts reports (an empty read would remove everyone).
    if (resultCode(e) === 10 && ctx.phase === "search" && !options.ignoreReferral) {
      throw new ReferralResult(client?.referralUrls?.());
    }
    // A refused certificate: look at it (a diagnostic connection that sends nothing but StartTLS,
    // src/directory/peerCertificate.ts) so the message names the real cause.
    ctx.certificate = await certificateProblem(e, {
      host: target.host,
      port: target.port,
      startTls: config.encryption === "starttls",
      timeoutMs: s.connectTimeoutMs,
    });
    throw translateLdapError(e, ctx);
  } finally {
    await client?.unbind().catch(() => {});
  }
}

async function searchPages(
  client: LdapClient,
  target: SearchTarget,
  query: { filter: string; attributes: string[]; binary?: string[] },
  onEntry: (entry: RawEntry) => void,
): Promise<string[]> {
  const references: string[] = [];
  const pages: AsyncGenerator<SearchResult> = client.searchPaginated(target.dn, {
    scope: target.scope,
    filter: query.filter,
    attributes: query.attributes,
    // Values ldapts returns as bytes (objectGUID), not decoded as text (./anchor.ts).
    ...(query.binary?.length ? { explicitBufferAttributes: query.binary } : {}),
    paged: { pageSize: PAGE_SIZE },
  });
  // Page by page: only the mapped users are kept, not the raw pages. The next page is asked for
  // before this one is mapped: resuming ldapts' generator writes the next paged request at once,
  // so the server prepares page N+1 while we map page N (a paged search is otherwise strictly
  // request/response, and our CPU time would add to the server's).
  let next = pages.next();
  try {
    for (let r = await next; !r.done; r = await next) {
      const page = r.value;
      next = pages.next();
      references.push(...page.searchReferences);
      for (const entry of page.searchEntries) onEntry(entry as RawEntry);
    }
  } finally {
    // When we stop early (an error), the page already asked for must not become an unhandled
    // rejection; the caller unbinds, which ends it.
    next.catch(() => {});
  }
  return references;
}
