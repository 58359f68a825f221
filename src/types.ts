/**
 * The domain types shared by the reader, the planner and the writer: the config, a directory user
 * and a LoginTC user, side by side, so a new user field is declared here once for all three.
 * Plain data only: no classes, no I/O.
 */

// ---------------------------------------------------------------- config

export type Encryption = "none" | "ssl" | "starttls";

export interface ProxyConfig {
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  /** Secret: never printed. */
  readonly pass?: string;
}

/** The [logintc] section, validated. */
export interface LoginTCConfig {
  /** host or host:port of LoginTC Admin; the API is https://<host>/api. */
  readonly host: string;
  /** Secret: never printed. 64 letters/digits. */
  readonly apiKey: string;
  /** 40 lowercase hex. */
  readonly domainId: string;
  readonly proxy?: ProxyConfig;
  /** ca_file as resolved (shown in messages): extra CAs to trust (private CA, TLS-inspecting proxy). */
  readonly caFile?: string;
  /** The text of ca_file, read once when the config is loaded (src/config/section.ts). */
  readonly caPem?: string;
}

/** LoginTC's three alias fields (src/logintc/extensions.ts), each filled from its attr_aliasN key. */
export const ALIAS_SLOTS = ["alias1", "alias2", "alias3"] as const;
export type AliasSlot = (typeof ALIAS_SLOTS)[number];

/** The [ldap] section, validated. */
export interface LdapConfig {
  readonly host: string;
  /** Resolved: explicit :port, else 389 (none, starttls) or 636 (ssl). */
  readonly port: number;
  readonly encryption: Encryption;
  readonly bindDn: string;
  /** Secret: never printed. */
  readonly bindPassword: string;
  readonly baseDn: string;
  readonly filter: string;
  readonly attrUsername: string;
  readonly attrName: string;
  readonly attrEmail: string;
  /** Attribute names for alias1..alias3; undefined when not configured. */
  readonly attrAlias: { readonly [S in AliasSlot]?: string };
  readonly attrPhone?: string;
  readonly normalizeAlias: readonly AliasSlot[];
  /**
   * attr_anchor: the attribute that identifies an entry for good (src/directory/anchor.ts); undefined:
   * the server's own, chosen from its RootDSE.
   */
  readonly attrAnchor?: string;
  /**
   * referral_hosts: hosts a referral may send the bind credentials to besides the configured host's
   * DNS domain (src/directory/referralTrust.ts); entries as written, each checked at load.
   */
  readonly referralHosts?: readonly string[];
  /** ca_file as resolved (shown in messages): extra CAs to trust for LDAPS and StartTLS. */
  readonly caFile?: string;
  /** The text of ca_file, read once when the config is loaded (src/config/section.ts). */
  readonly caPem?: string;
}

/** disabled_users: whether disabled directory accounts are synced like the others (include) or not. */
export type DisabledUsers = "include" | "exclude";

/**
 * The [sync] section, validated (docs/configuration.md, "[sync]"): how leavers are handled, the audit
 * trail, the metrics. Every key is optional; a file without [sync] gets the defaults, which are the
 * original tool's behaviour.
 */
export interface SyncConfig {
  /** Default "include". */
  readonly disabledUsers: DisabledUsers;
  /** disabled_filter: an RFC 4515 filter (checked) for the entries that are disabled, on any server. */
  readonly disabledFilter?: string;
  /** protect_users: usernames never removed or deleted, as written (matched like usernames). */
  readonly protectUsers: readonly string[];
  /** remove_scope; default "all": every member the directory does not show (the original). */
  readonly removeScope: RemoveScope;
  /** delete_after_days; default 0: -m delete deletes at once (the original). */
  readonly deleteAfterDays: number;
  /** audit_log, resolved against the config file's directory: the audit trail (--audit-log wins). */
  readonly auditLog?: string;
  /** metrics_file, resolved likewise: the Prometheus textfile (--metrics-file wins). */
  readonly metricsFile?: string;
}

/** remove_scope: which members a leaver can be: all of them, or only those this tool added. */
export type RemoveScope = "all" | "managed";

/** The loaded config: deep-frozen by parseConfig, so every reader sees the values read at load. */
export interface Config {
  /** Path of the config file as given on the command line. */
  readonly path: string;
  readonly logintc: LoginTCConfig;
  readonly ldap: LdapConfig;
  readonly sync: SyncConfig;
  /** Files a secret was read from (api_key_file & co.), resolved; their mode is checked too. */
  readonly secretFiles?: readonly string[];
  /** The config file's mode from the stat before it was read (null where the OS has none). */
  readonly mode?: number | null;
}

// ---------------------------------------------------------------- flags

export type SyncMode = "add_only" | "remove" | "delete";
export type TokenMode = "do_not_issue_token" | "issue_token_with_email" | "issue_token_without_email";

/**
 * What the flags ask of the directory read, the plan, the guards and the job. The CLI's whole set of
 * parsed flags (with the mode, the config path and how to run) is src/cli/flags.ts Options.
 */
export interface SyncOptions {
  localValidation: boolean; // -a
  defaultEmail?: string; // -e
  ignoreReferral: boolean; // -i
  emailNotification?: string; // -l
  syncMode: SyncMode; // -m
  defaultName?: string; // -n
  maxRemoveLimit: number; // -r
  /** True when -r was given (with --max-remove-percent alone, -r's default 0 does not apply). */
  maxRemoveLimitSet?: boolean;
  syncTokenMode: TokenMode; // -t
  group?: string; // -g
  /** --max-remove-percent: removals withheld above this share of the domain's members (0–100). */
  maxRemovePercent?: number;
}

// ---------------------------------------------------------------- directory

/**
 * What to do with a LoginTC alias, as read from the directory:
 * - undefined: not configured, or the attribute is absent on the entry → leave alone;
 * - "": attribute present but empty or a single space → clear it;
 * - otherwise: set it to this value (already normalized when normalize_alias says so).
 */
export type AliasValue = string | undefined;

/** One user as read from LDAP, after mapping and -n/-e defaults. */
export interface DirectoryUser {
  dn: string;
  username: string;
  /** undefined when the attribute is missing and no -n default was given. */
  name?: string;
  /** undefined when the attribute is missing and no -e default was given. */
  email?: string;
  aliases: { [S in AliasSlot]?: AliasValue };
  /** undefined when not configured or absent. Phones are only ever added. */
  phone?: string;
  /**
   * Set when the directory shows the account disabled (src/directory/disabled.ts): how it shows it,
   * e.g. "userAccountControl: disabled". Absent: not disabled, or not known to be.
   */
  disabled?: string;
  /**
   * The entry's anchor, an identifier the directory never changes or reuses (entryUUID, objectGUID
   * as GUID text, nsUniqueId, or attr_anchor's value); undefined when the entry came back without it.
   */
  anchor?: string;
}

/** A complete directory read. There is no partial one: a failed read throws. */
export interface DirectoryRead {
  /** Sorted by username (case-insensitive, then code point). */
  users: DirectoryUser[];
  /** DNs of entries without a username value; they are not synced. */
  withoutUsername: string[];
  /** Search references (referral URLs) ignored because of -i. */
  referralsIgnored: string[];
  /** Referral URLs followed (without -i), in the order they were searched. */
  referralsFollowed: string[];
  /** References to Active Directory partitions without users (DomainDnsZones, …), not followed. */
  partitionsSkipped: string[];
  /** The attribute read as each entry's anchor (DirectoryUser.anchor); undefined: none. */
  anchorAttribute?: string;
  /** Whether attr_anchor named it or the server's RootDSE chose it (src/directory/anchor.ts). */
  anchorFrom?: "attr_anchor" | "server";
}

// ---------------------------------------------------------------- LoginTC

/**
 * A user as LoginTC Admin returns it. Only id and username are certain. Every other key is
 * optional, and absent means UNKNOWN, never empty: a LoginTC that does not return a field
 * (the public API's user object has only id, username, email, name and domains) has told us
 * nothing about it, so the planner never plans a write from its absence (docs/logintc-api.md).
 */
export interface LoginTCUser {
  id: string;
  username: string;
  name?: string | undefined;
  email?: string | undefined;
  /** Domain ids the user is a member of. */
  domains?: string[] | undefined;
  bypasscodes?: string[] | undefined;
  hardware?: string | undefined;
  // ---- extensions (not in the public API; see src/logintc/extensions.ts)
  alias1?: string | undefined;
  alias2?: string | undefined;
  alias3?: string | undefined;
  /** Phone numbers. */
  phones?: string[] | undefined;
  /** Group ids. */
  groups?: string[] | undefined;
}

/**
 * The user object's text and list fields the sync reads (src/logintc/parse.ts checks their type),
 * and the text fields PUT /users/{id} writes (src/logintc/api.ts UserChanges). A new field is a key
 * here and a property of LoginTCUser above.
 */
export const USER_TEXT_FIELDS = [
  "name",
  "email",
  ...ALIAS_SLOTS,
] as const satisfies readonly (keyof LoginTCUser)[];
export const USER_LIST_FIELDS = [
  "domains",
  "phones",
  "groups",
] as const satisfies readonly (keyof LoginTCUser)[];
export type UserTextField = (typeof USER_TEXT_FIELDS)[number];

export interface LoginTCToken {
  state: "pending" | "active";
  code?: string;
}

export interface LoginTCGroup {
  id: string;
  name: string;
}
