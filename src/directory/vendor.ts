/**
 * Which directory server we talk to, from its RootDSE (RFC 4512 §5.1), and the one table of what
 * differs between vendors where our messages give advice: the setting behind a size limit, an
 * administrative (look-through) limit, a time limit, and how an inactivated account is reported.
 *
 * Detection (first match wins), each from the server's own RootDSE:
 * - Active Directory (and Samba AD): supportedCapabilities holds LDAP_CAP_ACTIVE_DIRECTORY_OID
 *   1.2.840.113556.1.4.800 ([MS-ADTS] §3.1.1.3.4.3); Samba names itself in vendorName.
 * - 389 Directory Server: vendorName "389 Project" (also its Red Hat builds: vendorVersion
 *   "389-Directory/…" or "Red Hat-Directory/…").
 * - OpenLDAP: objectClass OpenLDAProotDSE, or a configContext (cn=config); it sends no vendorName.
 * - OpenDJ and its forks: vendorName or vendorVersion naming OpenDJ, ForgeRock, Wren or Ping.
 * - ApacheDS: vendorName "Apache Software Foundation".
 * Anything else is "unknown" and gets advice that names no product.
 */
import type { Entry } from "ldapts";

export type VendorId =
  | "active-directory"
  | "samba"
  | "389-ds"
  | "openldap"
  | "opendj"
  | "apacheds"
  | "unknown";

/** What detectVendor returns: which server, and what it said about itself (for --doctor). */
export interface Vendor {
  id: VendorId;
  /** Human name, e.g. "389 Directory Server". */
  name: string;
  /** The RootDSE's vendorName / vendorVersion, as the server sent them (raw data: escape to show). */
  vendorName?: string;
  vendorVersion?: string;
}

/** The RootDSE attributes detection reads; ask for them explicitly (most are operational). */
export const ROOT_DSE_ATTRIBUTES = [
  "objectClass",
  "vendorName",
  "vendorVersion",
  "supportedCapabilities",
  "configContext",
] as const;

/** A RootDSE as ldapts returns it (or any record of attribute → value(s), names in any case). */
export type RootDse = Partial<Entry> | Record<string, unknown>;

export const AD_CAPABILITY_OID = "1.2.840.113556.1.4.800";

/** What the size-limit advice may name: the sync account (shown-safe) and our page size. */
export interface LimitContext {
  bindDn: string;
  /** Entries per page we ask for (RFC 2696), when known. */
  pageSize?: number;
}

/** The advice per vendor. */
export interface VendorAdvice {
  /** Result 4 (sizeLimitExceeded) during our paged search: which limit to raise for the sync account. */
  sizeLimit(ctx: LimitContext): string;
  /** Result 11 (adminLimitExceeded). */
  adminLimit: string;
  /** Result 3 (timeLimitExceeded). */
  timeLimit: string;
  /**
   * A bind refused because the account is inactivated or locked (the server's own text matches):
   * what to do instead of the generic hint. Undefined: the vendor has no such text we know.
   */
  lockedAccount?: { text: RegExp; advice: string };
}

/** An unknown server: say what to raise, and name the two most common products' settings. */
const GENERIC: VendorAdvice = {
  sizeLimit: ({ bindDn }) =>
    "Raise the server's size limit for the sync account (for paged searches, the total it may return): " +
    `OpenLDAP \`limits dn.exact="${bindDn}" size.prtotal=unlimited\`; Active Directory: MaxPageSize / ` +
    "MaxResultSetSize in the LDAP policy (ntdsutil); or narrow the filter.",
  adminLimit: "Raise the server's administrative limit for the sync account, add an index for the filter, " +
    "or narrow the filter.",
  timeLimit: "Raise the server's time limit for bind_dn or narrow the filter.",
};

const AD: VendorAdvice = {
  sizeLimit: () =>
    "Active Directory: MaxPageSize / MaxResultSetSize in the LDAP policy (ntdsutil), or narrow the filter.",
  adminLimit: "Active Directory: check MaxResultSetSize / MaxPageSize in the LDAP policy (ntdsutil), " +
    "or narrow the filter.",
  timeLimit: "Active Directory: MaxQueryDuration in the LDAP policy (ntdsutil), or narrow the filter.",
};

/** The one table: everything vendor-specific our messages say. */
const VENDOR_ADVICE: Record<VendorId, VendorAdvice> = {
  "active-directory": AD,
  // Samba keeps AD's LDAP policy object; there is no ntdsutil, so name the object itself.
  samba: {
    sizeLimit: () =>
      "Samba AD: check MaxPageSize / MaxResultSetSize in lDAPAdminLimits of CN=Default Query Policy " +
      "(Configuration partition), or narrow the filter.",
    adminLimit:
      "Samba AD: check MaxResultSetSize / MaxPageSize in lDAPAdminLimits of CN=Default Query Policy " +
      "(Configuration partition), or narrow the filter.",
    timeLimit: "Samba AD: check MaxQueryDuration in lDAPAdminLimits of CN=Default Query Policy, or narrow " +
      "the filter.",
  },
  // 389's nsPagedSizeLimit limits each page of a paged search (measured with 389-ds-base 2.3: a
  // limit of 100 fails a 500-entry page with result 4 and passes 50-entry pages), so it must be at
  // least our page size; nsSizeLimit applies when no paged limit is set.
  "389-ds": {
    sizeLimit: ({ bindDn, pageSize }) =>
      `389 Directory Server: set nsPagedSizeLimit on the entry "${bindDn}" to at least ` +
      `${pageSize ?? "the page size"} (our page size; -1 = unlimited) — it limits each page of a paged ` +
      "search — or raise nsSizeLimit there (or nsslapd-pagedsizelimit / nsslapd-sizelimit in cn=config).",
    adminLimit:
      "389 Directory Server answers this when a search looks at more entries than its look-through " +
      "limit allows: raise nsLookThroughLimit " +
      "(and nsPagedLookThroughLimit for paged searches) on the sync account's entry, or " +
      "nsslapd-lookthroughlimit in the database configuration; or index the filter's attributes.",
    timeLimit: "389 Directory Server: raise nsTimeLimit on the sync account's entry, or nsslapd-timelimit " +
      "in cn=config; or narrow the filter.",
    lockedAccount: {
      text: /account inactivated|account is locked|exceed password retry limit/i,
      advice: "389 Directory Server: the sync account is inactivated or locked; activate it " +
        "(`dsidm … account unlock <dn>`, or remove nsAccountLock from its entry).",
    },
  },
  openldap: {
    sizeLimit: ({ bindDn }) =>
      `OpenLDAP: \`limits dn.exact="${bindDn}" size.prtotal=unlimited\` (or size=unlimited) in slapd's ` +
      "configuration, or narrow the filter.",
    adminLimit:
      "OpenLDAP: the search touched more candidate entries than size.unchecked allows; add an index " +
      "for the filter's attributes, or raise size.unchecked in a `limits` rule for the sync account.",
    timeLimit: 'OpenLDAP: `limits dn.exact="…" time=unlimited` (or timelimit) in slapd\'s configuration, ' +
      "or narrow the filter.",
  },
  opendj: {
    sizeLimit: ({ bindDn }) =>
      `OpenDJ: raise ds-rlim-size-limit on the entry "${bindDn}" (-1 = unlimited), or the server's ` +
      "size-limit (dsconfig set-global-configuration-prop); or narrow the filter.",
    adminLimit: "OpenDJ: raise ds-rlim-lookthrough-limit on the sync account's entry (or the server's " +
      "lookthrough-limit), or index the filter's attributes.",
    timeLimit: "OpenDJ: raise ds-rlim-time-limit on the sync account's entry (or the server's time-limit).",
  },
  apacheds: {
    ...GENERIC,
    sizeLimit: () =>
      "ApacheDS: raise ads-maxSizeLimit in the LDAP server's configuration (ou=config), or narrow the filter.",
    timeLimit: "ApacheDS: raise ads-maxTimeLimit in the LDAP server's configuration (ou=config).",
  },
  unknown: GENERIC,
};

const NAMES: Record<VendorId, string> = {
  "active-directory": "Active Directory",
  samba: "Samba AD",
  "389-ds": "389 Directory Server",
  openldap: "OpenLDAP",
  opendj: "OpenDJ",
  apacheds: "ApacheDS",
  unknown: "unknown directory server",
};

/** An attribute's values, whatever case the server spelled its name in. */
function values(dse: RootDse, name: string): string[] {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(dse)) {
    if (k.toLowerCase() !== lower) continue;
    const list = Array.isArray(v) ? v : [v];
    return list.filter((x) => x !== undefined && x !== null).map((x) => String(x));
  }
  return [];
}

/** Which server sent this RootDSE. Pure; an empty or unreadable RootDSE is "unknown". */
export function detectVendor(rootDse: RootDse): Vendor {
  const vendorName = values(rootDse, "vendorName")[0];
  const vendorVersion = values(rootDse, "vendorVersion")[0];
  const self = `${vendorName ?? ""} ${vendorVersion ?? ""}`;
  const caps = values(rootDse, "supportedCapabilities");
  const classes = values(rootDse, "objectClass").map((c) => c.toLowerCase());
  let id: VendorId = "unknown";
  if (caps.includes(AD_CAPABILITY_OID)) id = /samba/i.test(self) ? "samba" : "active-directory";
  else if (/389 project|389-directory|red hat-directory/i.test(self)) id = "389-ds";
  else if (classes.includes("openldaprootdse") || values(rootDse, "configContext").length > 0) {
    id = "openldap";
  } else if (/opendj|forgerock|wren|ping ?identity/i.test(self)) id = "opendj";
  else if (/apache software foundation|apacheds/i.test(self)) id = "apacheds";
  return {
    id,
    name: NAMES[id],
    ...(vendorName !== undefined ? { vendorName } : {}),
    ...(vendorVersion !== undefined ? { vendorVersion } : {}),
  };
}

/** The advice for a vendor (unknown when not detected). */
export function adviceFor(vendor: Vendor | undefined): VendorAdvice {
  return VENDOR_ADVICE[vendor?.id ?? "unknown"];
}
