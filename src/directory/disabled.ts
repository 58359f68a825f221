/**
 * Disabled directory accounts: how each server marks one (docs/configuration.md, "[sync]"), which
 * attributes show it — asked for by name in the sync's one search, since most are operational — and
 * the reason read from an entry. Pure; "now" is the caller's clock.
 *
 * - Active Directory and Samba AD: userAccountControl bit 0x2, ACCOUNTDISABLE
 *   (https://learn.microsoft.com/en-us/troubleshoot/windows-server/active-directory/useraccountcontrol-manipulate-account-properties),
 *   or accountExpires in the past: 100-nanosecond intervals since 1601-01-01 UTC, where 0 and
 *   0x7FFFFFFFFFFFFFFF mean "never" (https://learn.microsoft.com/en-us/windows/win32/adschema/a-accountexpires).
 *   The value needs 63 bits: read as a BigInt.
 * - 389 Directory Server: nsAccountLock: true, set by `dsconf … account lock` or through a role
 *   (https://www.port389.org/docs/389ds/howto/howto-account-inactivation.html); compared ignoring case.
 * - OpenLDAP's ppolicy overlay: pwdAccountLockedTime 000001010000Z, "locked permanently; only a password
 *   administrator can unlock it" (draft-behera-ldap-password-policy, pwdAccountLockedTime). Any other time
 *   is a lockout after failed binds that ends on its own: a lockout is not "disabled".
 * - Any server: `disabled_filter`, evaluated by the server itself (src/directory/readDirectory.ts).
 *
 * A value that cannot be read (not a number, an unknown spelling) is not "disabled": absent is unknown,
 * and with `disabled_users = exclude` a disabled user is removed, so only a clear value counts.
 */
import type { VendorId } from "./vendor.ts";
import { firstValue, type RawEntry } from "./mapUser.ts";

/** The attributes each server's rule reads (none for servers without a known one). */
const ATTRIBUTES: Partial<Record<VendorId, readonly string[]>> = {
  "active-directory": ["userAccountControl", "accountExpires"],
  samba: ["userAccountControl", "accountExpires"],
  "389-ds": ["nsAccountLock"],
  openldap: ["pwdAccountLockedTime"],
};

/** What to ask for besides the mapped attributes, for the server `vendor` (from its RootDSE). */
export function disabledAttributes(vendor: VendorId): readonly string[] {
  return ATTRIBUTES[vendor] ?? [];
}

/** The vendor rules' one-line names, for messages that say what is checked (e.g. --doctor). */
export function disabledRuleName(vendor: VendorId): string | undefined {
  const attrs = ATTRIBUTES[vendor];
  if (vendor === "openldap") return "pwdAccountLockedTime 000001010000Z (ppolicy's permanent lock)";
  if (vendor === "389-ds") return "nsAccountLock: true";
  return attrs === undefined ? undefined : "userAccountControl ACCOUNTDISABLE (0x2), accountExpires";
}

const UF_ACCOUNTDISABLE = 0x2;
/** accountExpires' "never" values. */
const NEVER = [0n, 0x7FFF_FFFF_FFFF_FFFFn];
/** 1601-01-01 to 1970-01-01 in 100-ns intervals. */
const EPOCH_DIFF = 116_444_736_000_000_000n;
const PERMANENT_LOCK = "000001010000Z";

/** Why the entry is disabled by its server's rule, or undefined. */
export function disabledReason(entry: RawEntry, vendor: VendorId, now: Date): string | undefined {
  switch (vendor) {
    case "active-directory":
    case "samba": {
      const uac = firstValue(entry, "userAccountControl")?.trim();
      // A 32-bit flag set, written in decimal (negative when the top bit is set).
      if (uac !== undefined && /^-?\d+$/.test(uac) && (Number(uac) & UF_ACCOUNTDISABLE) !== 0) {
        return "userAccountControl: account disabled";
      }
      return expired(firstValue(entry, "accountExpires"), now);
    }
    case "389-ds":
      return firstValue(entry, "nsAccountLock")?.trim().toLowerCase() === "true"
        ? "nsAccountLock: true"
        : undefined;
    case "openldap":
      return firstValue(entry, "pwdAccountLockedTime")?.trim() === PERMANENT_LOCK
        ? "pwdAccountLockedTime: locked permanently"
        : undefined;
    default:
      return undefined;
  }
}

/** `accountExpires: expired 2024-05-01` when the value is a time at or before now. */
function expired(value: string | undefined, now: Date): string | undefined {
  const text = value?.trim();
  if (text === undefined || !/^\d{1,19}$/.test(text)) return undefined;
  const ticks = BigInt(text);
  if (NEVER.includes(ticks)) return undefined;
  const nowTicks = BigInt(now.getTime()) * 10_000n + EPOCH_DIFF;
  if (ticks > nowTicks) return undefined;
  const ms = Number((ticks - EPOCH_DIFF) / 10_000n);
  const date = new Date(ms);
  // Before 1970 (or out of Date's range) still expired; the date is shown only when it is one.
  return Number.isNaN(date.getTime()) || ms < 0
    ? "accountExpires: expired"
    : `accountExpires: expired ${date.toISOString().slice(0, 10)}`;
}

/** The reason for an entry disabled_filter matched. */
export const DISABLED_BY_FILTER = "disabled_filter";
