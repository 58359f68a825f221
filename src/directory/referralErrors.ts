/**
 * Messages for referrals that cannot be followed. Each names the referral URL, says that nothing was
 * synced, and offers the two ways out: -i, or Active Directory's Global Catalog, which serves the whole
 * forest from one server without referrals (ports 3268/3269: https://learn.microsoft.com/troubleshoot/
 * windows-server/active-directory/specify-server-port-active-directory-powershell-cmdlet). Kept apart
 * from ./errors.ts, which translates single LDAP failures.
 */
import { DirectoryError } from "../errors.ts";
import { escapeText as q } from "../output/escape.ts";
import { GLOBAL_CATALOG_HINT } from "./errors.ts";

const WAYS_OUT = "Run with -i (--ignore-referral) to skip referrals, or narrow base_dn to exclude them. " +
  GLOBAL_CATALOG_HINT;

/**
 * Where the referral came from, for the message: the configured search, then the URLs followed. URLs
 * and DNs come from the directory: they are escaped here (src/output/escape.ts); `reason` is a message
 * already (its values escaped where it was built).
 */
export interface ReferralTrail {
  /** "host:port" and base_dn of the configured search. */
  origin: string;
  /** The referral URLs followed to reach the failing one, in order (not including it). */
  via: readonly string[];
}

function trailLine(trail: ReferralTrail): string {
  return `  Reached from: ${[q(trail.origin), ...trail.via.map(q)].join(" → ")}`;
}

/**
 * The target's own error message, minus advice to edit host in [ldap]: the host came from the
 * referral, and the closing lines say so.
 */
function reasonText(reason: string): string {
  return reason.replace(/\s*(?:Check|Set) host\b[^.]*\[ldap\][^.]*\./g, "").trim();
}

export function referralFailed(url: string, reason: string, trail: ReferralTrail): DirectoryError {
  return new DirectoryError([
    `LDAP referral "${q(url)}" could not be followed, so the read would be incomplete; nothing was synced.`,
    ...reasonText(reason).split("\n").map((l) => `  ${l}`),
    trailLine(trail),
    "The referral chooses the host, port and base DN; bind_dn, bind_password, encryption and ca_file " +
    "come from [ldap]. " + WAYS_OUT,
  ].join("\n"));
}

export function referralLoop(url: string, trail: ReferralTrail): DirectoryError {
  return referralFailed(
    url,
    "It leads back to a search already made along this chain of referrals (a referral loop).",
    trail,
  );
}

export function referralHopLimit(url: string, limit: number, trail: ReferralTrail): DirectoryError {
  return referralFailed(
    url,
    `It would be referral number ${limit + 1} in a row; at most ${limit} are followed (hop limit).`,
    trail,
  );
}

/** A referral to a host outside what the config trusts with the bind credentials (./referralTrust.ts). */
export function referralUntrusted(
  url: string,
  host: string,
  trust: { describe: string },
  trail: ReferralTrail,
): DirectoryError {
  return referralFailed(
    url,
    `Its server ${q(host)} is not one the bind credentials may go to (${trust.describe}): a directory ` +
      "entry can name any server, and following it means binding there with bind_dn and bind_password. " +
      `If ${q(host)} is one of your directory's servers, add it to referral_hosts in [ldap] ` +
      "(names, *.domain patterns, IP addresses).",
    trail,
  );
}

export function referralWithoutUrl(at: string, dn: string, trail: ReferralTrail): DirectoryError {
  return new DirectoryError([
    `LDAP ${q(at)}: the search of "${
      q(dn)
    }" answered with a referral (LDAP result 10) without saying where ` +
    "to; nothing was synced.",
    trailLine(trail),
    WAYS_OUT,
  ].join("\n"));
}
