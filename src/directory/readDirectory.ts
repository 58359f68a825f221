/**
 * The directory reader (imperative shell around the pure mapping/validation): connect, (StartTLS), simple
 * bind, one paged subtree search, map, validate. Any failure aborts the whole read with a DirectoryError —
 * a partial list never escapes, because the planner would treat missing users as removed.
 */
import { Client, type ClientOptions, type SearchOptions, type SearchResult } from "ldapts";
import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import { DirectoryError } from "../errors.ts";
import type { Output } from "../output/output.ts";
import type { DirectoryRead, DirectoryUser, LdapConfig, Options } from "../types.ts";
import { type ErrorContext, type Phase, referralError, translateLdapError } from "./errors.ts";
import { readVendor } from "./rootDse.ts";
import { mapEntry, type RawEntry, requestedAttributes } from "./mapUser.ts";
import { splitPem, trustedCas } from "./trust.ts";
import { checkLocalValidation, checkUsernameCollisions, sortUsers } from "./validate.ts";

/** TCP connect + TLS handshake budget. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Budget for each LDAP operation (bind, StartTLS, one search page). */
export const OPERATION_TIMEOUT_MS = 60_000;
/**
 * Simple Paged Results (RFC 2696) page size. Must stay ≤ 1000: Active Directory's default MaxPageSize
 * caps pages at 1000 entries. 500 keeps memory flat while streaming (lab-notes §2: ~120 MB at 100k users).
 */
export const PAGE_SIZE = 500;

/** The part of ldapts' Client the reader uses (a seam for fault-injection tests). */
export interface LdapClient {
  readonly isBound: boolean;
  readonly isConnected: boolean;
  search(baseDn: string, options: SearchOptions): Promise<SearchResult>;
  startTLS(options: ConnectionOptions): Promise<void>;
  bind(dn: string, password: string): Promise<void>;
  searchPaginated(baseDn: string, options: SearchOptions): AsyncGenerator<SearchResult>;
  unbind(): Promise<void>;
}

export interface ReadDeps {
  output: Output;
  connect?: (options: ClientOptions) => LdapClient;
  connectTimeoutMs?: number;
  operationTimeoutMs?: number;
}

export type ReadOptions = Pick<
  Options,
  "ignoreReferral" | "defaultName" | "defaultEmail" | "localValidation"
>;

export function ldapUrl(config: LdapConfig): string {
  const host = isIP(config.host) === 6 ? `[${config.host}]` : config.host;
  return `${config.encryption === "ssl" ? "ldaps" : "ldap"}://${host}:${config.port}`;
}

/** TLS options: full trust list (see trust.ts), hostname checked against `host` (SNI only for names). */
export function tlsOptions(config: LdapConfig, caPems: readonly string[]): ConnectionOptions {
  const options: ConnectionOptions = { ca: trustedCas(caPems), host: config.host, rejectUnauthorized: true };
  // ldapts does not pass servername to StartTLS, and Deno's node:tls then checks against "localhost"
  // (lab-notes §2). SNI must not be an IP address (RFC 6066 §3), so set it only for names.
  if (isIP(config.host) === 0) options.servername = config.host;
  return options;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Never let the bind password reach a message, whatever a library or server echoed. */
function scrub(err: DirectoryError, password: string): DirectoryError {
  if (password.length === 0 || !err.message.includes(password)) return err;
  return new DirectoryError(err.message.replaceAll(password, "********"));
}

export async function readDirectory(
  config: LdapConfig,
  options: ReadOptions,
  deps: ReadDeps,
): Promise<DirectoryRead> {
  const connectTimeoutMs = deps.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const operationTimeoutMs = deps.operationTimeoutMs ?? OPERATION_TIMEOUT_MS;
  const ctx: ErrorContext = {
    host: config.host,
    port: config.port,
    encryption: config.encryption,
    phase: "connect",
    bindDn: config.bindDn,
    baseDn: config.baseDn,
    filter: config.filter,
    caFile: config.caFile,
    connectTimeoutMs,
    operationTimeoutMs,
  };
  // The filter was checked and ca_file read when the config was loaded (src/config/filter.ts,
  // src/config/section.ts): one parser, one read, one message with the config line.
  const tls = config.encryption === "none" ? undefined : tlsOptions(config, splitPem(config.caPem ?? ""));

  const connect = deps.connect ?? ((o: ClientOptions) => new Client(o));
  const client = connect({
    url: ldapUrl(config),
    connectTimeout: connectTimeoutMs,
    timeout: operationTimeoutMs,
    // Only for ldaps://: ldapts treats any tlsOptions as "connect with TLS", which StartTLS must not do.
    ...(config.encryption === "ssl" ? { tlsOptions: tls } : {}),
  });
  const setPhase = (p: Phase) => ctx.phase = p;
  try {
    if (config.encryption === "starttls") {
      setPhase("starttls");
      // ldapts bounds the StartTLS request but not the handshake after it.
      await withTimeout(
        client.startTLS(tls!),
        connectTimeoutMs + operationTimeoutMs,
        "TLS handshake timed out",
      );
    }
    // Which server this is, for vendor-specific advice in messages (src/directory/vendor.ts); read
    // before the bind so a refused bind gets it too. It also opens the connection (none, ssl).
    setPhase("rootdse");
    ctx.vendor = await readVendor(client);
    // ldapts would silently reconnect a connection that dropped — in plain text after StartTLS.
    if (!client.isConnected) throw new Error("Connection closed before message response was received");
    setPhase("bind");
    await client.bind(config.bindDn, config.bindPassword);
    setPhase("search");
    // ldapts silently reconnects a dropped connection on the next operation — unencrypted for StartTLS and
    // unauthenticated in any case. Refuse instead of reading anonymously or in plain text.
    if (!client.isBound) throw new Error("Connection closed before message response was received");
    return await collect(client, config, options, ctx);
  } catch (e) {
    throw scrub(translateLdapError(e, ctx), config.bindPassword);
  } finally {
    await client.unbind().catch(() => {});
  }
}

async function collect(
  client: LdapClient,
  config: LdapConfig,
  options: ReadOptions,
  ctx: ErrorContext,
): Promise<DirectoryRead> {
  const users: DirectoryUser[] = [];
  const skippedNoUsername: string[] = [];
  const referrals: string[] = [];
  const pages = client.searchPaginated(config.baseDn, {
    scope: "sub",
    filter: config.filter,
    attributes: requestedAttributes(config),
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
      if (page.searchReferences.length > 0) {
        if (!options.ignoreReferral) throw referralError(ctx, page.searchReferences);
        referrals.push(...page.searchReferences);
      }
      for (const entry of page.searchEntries) {
        const m = mapEntry(entry as RawEntry, config, options);
        if (m.kind === "user") users.push(m.user);
        else skippedNoUsername.push(m.dn);
      }
    }
  } finally {
    // When we stop early (a referral, an error), the page already asked for must not become an
    // unhandled rejection; the caller unbinds, which ends it.
    next.catch(() => {});
  }
  checkUsernameCollisions(users, config.attrUsername);
  const sorted = sortUsers(users);
  if (options.localValidation) checkLocalValidation(sorted, config.attrName, config.attrEmail);
  return {
    users: sorted,
    skippedNoUsername: [...skippedNoUsername].sort(),
    referralsIgnored: [...new Set(referrals)].sort(),
  };
}
