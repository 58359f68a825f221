/**
 * One bound LDAP connection to a server: the configured one, or a referral's. Encryption, bind DN and
 * password always come from the config; only the host and port differ for a referral. TLS is verified
 * against the host connected to (the referral's own name for a referral) with the config's trust list.
 */
import type { ClientOptions } from "ldapts";
import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import { withTimeout } from "../timers.ts";
import type { LdapConfig } from "../types.ts";
import { resultCode } from "../unknown.ts";
import type { ErrorContext } from "./errors.ts";
import type { LdapClient } from "./ldapClient.ts";
import { readVendor } from "./rootDse.ts";
import { trustedCas } from "../tls/trust.ts";

/** TCP connect + TLS handshake budget. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Budget for each LDAP operation (bind, StartTLS, one search page). */
export const OPERATION_TIMEOUT_MS = 60_000;

export interface Endpoint {
  host: string;
  port: number;
}

export interface ConnectSettings {
  config: LdapConfig;
  /** The PEM certificates of ca_file (read once per run), empty without one. */
  caPems: readonly string[];
  connect: (options: ClientOptions) => LdapClient;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
}

function ldapUrl(config: LdapConfig, to: Endpoint): string {
  const host = isIP(to.host) === 6 ? `[${to.host}]` : to.host;
  return `${config.encryption === "ssl" ? "ldaps" : "ldap"}://${host}:${to.port}`;
}

/** TLS options: full trust list (see trust.ts), hostname checked against `host` (SNI only for names). */
function tlsOptions(host: string, caPems: readonly string[]): ConnectionOptions {
  const options: ConnectionOptions = { ca: trustedCas([...caPems]), host, rejectUnauthorized: true };
  // ldapts does not pass servername to StartTLS, and Deno's node:tls then checks against "localhost"
  // (docs/development.md, "ldapts under Deno"). SNI must not be an IP address (RFC 6066 §3), so set it
  // only for names.
  if (isIP(host) === 0) options.servername = host;
  return options;
}

/**
 * Connects to `to`, runs StartTLS when configured, reads the RootDSE, binds. Notes the phase and the
 * vendor in `ctx` (for error messages). The caller unbinds the client, also after a failure here (it
 * is handed over through `opened` as soon as it exists).
 */
export async function openBound(
  to: Endpoint,
  s: ConnectSettings,
  ctx: ErrorContext,
  opened: (client: LdapClient) => void,
): Promise<LdapClient> {
  const setPhase = (p: ErrorContext["phase"]) => ctx.phase = p;
  const { config } = s;
  const tls = config.encryption === "none" ? undefined : tlsOptions(to.host, s.caPems);
  setPhase("connect");
  const client = s.connect({
    url: ldapUrl(config, to),
    connectTimeout: s.connectTimeoutMs,
    timeout: s.operationTimeoutMs,
    // Only for ldaps://: ldapts treats any tlsOptions as "connect with TLS", which StartTLS must not do.
    ...(config.encryption === "ssl" ? { tlsOptions: tls } : {}),
  });
  opened(client);
  if (config.encryption === "starttls") {
    setPhase("starttls");
    // ldapts bounds the StartTLS request but not the handshake after it.
    await withTimeout(
      client.startTLS(tls!),
      s.connectTimeoutMs + s.operationTimeoutMs,
      "TLS handshake timed out",
    );
  }
  setPhase("bind");
  // Always bind, also for a referral: an anonymous search is answered as if the entries did not exist
  // (OpenLDAP: noSuchObject), which would read as an empty directory.
  try {
    await client.bind(config.bindDn, config.bindPassword);
  } catch (e) {
    // The server answered with a result (e.g. 389's "Account inactivated"): learn which server it is
    // for its own advice, on the same connection (still open after a failed bind; never reopened).
    if (resultCode(e) !== undefined && client.isConnected) {
      ctx.vendor = await readVendor(client).catch(() => undefined);
    }
    throw e;
  }
  setPhase("search");
  // ldapts silently reconnects a dropped connection on the next operation — unencrypted for StartTLS and
  // unauthenticated in any case. Refuse instead of reading anonymously or in plain text.
  if (!client.isBound) throw new Error("Connection closed before message response was received");
  // Which server this is, for vendor-specific advice in messages (src/directory/vendor.ts): read once,
  // bound (some servers refuse anonymous reads), before the search that may hit its limits.
  setPhase("rootdse");
  ctx.vendor = await readVendor(client);
  if (!client.isBound) throw new Error("Connection closed before message response was received");
  setPhase("search");
  return client;
}
