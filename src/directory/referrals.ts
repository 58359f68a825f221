/**
 * Following referrals (RFC 4511 §4.1.10 referral results, §4.5.3 continuation references): the configured
 * search first, then every referral it returns, breadth first, each a search of the URL's DN and scope on
 * the URL's server. The connection settings (bind DN, password, encryption, ca_file) are the config's —
 * the caller's `search` decides them; this module only decides what to search and when to stop.
 *
 * Stops (the read fails, nothing is synced): a referral that cannot be parsed or searched, a loop (a
 * target already on the chain that led to it), more than MAX_REFERRAL_HOPS referrals in a row. The same
 * target reached along two different chains is searched once. A referral to a host the bind credentials
 * may not go to (./referralTrust.ts) stops it too, before anything is sent there. References to Active Directory's
 * partitions without users are counted, not followed. Documented in docs/configuration.md.
 */
import { DirectoryError } from "../errors.ts";
import { escapeText as q } from "../output/escape.ts";
import {
  referralFailed,
  referralHopLimit,
  referralLoop,
  type ReferralTrail,
  referralUntrusted,
  referralWithoutUrl,
} from "./referralErrors.ts";
import type { ReferralTrust } from "./referralTrust.ts";
import { dnKey, isAdPartition, parseReferralUrl, type Scope } from "./referralUrl.ts";

/**
 * Referrals followed in a row before giving up. 10 is the usual client default, e.g. LDAP_OPT_REFHOPLIMIT
 * (https://www.ibm.com/docs/en/svd/10.0.1?topic=settings-ldap-opt-refhoplimit).
 */
export const MAX_REFERRAL_HOPS = 10;

/** One search to make. */
export interface SearchTarget {
  host: string;
  port: number;
  dn: string;
  scope: Scope;
  /** The referral URL that named this target; undefined for the configured search. */
  url?: string;
  /** Keys (targetKey) of the searches that led here, the configured one first. */
  chain: readonly string[];
  /** The referral URLs followed to get here, in order, not including `url`. */
  via: readonly string[];
}

/** What `search` throws when the server answers with a referral (LDAP result 10). */
export class ReferralResult extends Error {
  /** Undefined when the client could not read the URLs. */
  constructor(readonly urls: readonly string[] | undefined) {
    super("referral (LDAP result 10)");
  }
}

export interface ChaseDeps {
  /**
   * Searches one target; passes entries on itself and returns the continuation references (URLs) it
   * saw. Throws ReferralResult for a referral result, a DirectoryError for anything else.
   */
  search(target: SearchTarget): Promise<readonly string[]>;
  /** The port for a URL without one: the config's encryption decides (636 for ssl, else 389). */
  defaultPort: number;
  /** -i: continuation references are counted, not followed (a referral result still fails). */
  ignoreReferral: boolean;
  /** Where the bind credentials may go (./referralTrust.ts); a referral elsewhere fails the read. */
  trust: ReferralTrust;
}

export interface ChaseSummary {
  /** Referral URLs followed (each target searched once). */
  followed: string[];
  /** Continuation references not followed because of -i. */
  ignored: string[];
  /** References to Active Directory partitions without users, not followed. */
  partitions: string[];
}

export function targetKey(t: { host: string; port: number; dn: string; scope: Scope }): string {
  return `${t.host.toLowerCase()}:${t.port}/${dnKey(t.dn)}?${t.scope}`;
}

function trailOf(origin: SearchTarget, via: readonly string[]): ReferralTrail {
  const host = origin.host.includes(":") ? `[${origin.host}]` : origin.host;
  return { origin: `${host}:${origin.port} base_dn "${origin.dn}"`, via };
}

export async function searchWithReferrals(primary: SearchTarget, deps: ChaseDeps): Promise<ChaseSummary> {
  const summary: ChaseSummary = { followed: [], ignored: [], partitions: [] };
  const queued = new Set([targetKey(primary)]);
  const queue: SearchTarget[] = [primary];
  for (let target = queue.shift(); target; target = queue.shift()) {
    const here = target;
    const via = here.url === undefined ? here.via : [...here.via, here.url];
    const trail = trailOf(primary, via);
    let urls: readonly string[];
    try {
      urls = await deps.search(here);
    } catch (e) {
      if (!(e instanceof ReferralResult)) {
        if (here.url === undefined) throw e;
        throw referralFailed(
          here.url,
          e instanceof DirectoryError ? e.message : String(e),
          trailOf(primary, here.via),
        );
      }
      if (deps.ignoreReferral) {
        // The search reports this itself under -i (errors.ts); never let it pass as an empty read.
        throw new DirectoryError(
          `LDAP ${q(here.host)}:${here.port}: "${q(here.dn)}" is held by another server (LDAP result 10); ` +
            "with -i (--ignore-referral) nothing can be read there.",
        );
      }
      if (!e.urls || e.urls.length === 0) {
        throw referralWithoutUrl(`${here.host}:${here.port}`, here.dn, trailOf(primary, here.via));
      }
      // A referral result: every URL it names is chased (RFC 4511 §4.1.10 lists alternatives; reading
      // all of them costs a little time but never misses entries).
      urls = e.urls;
    }
    if (deps.ignoreReferral) {
      summary.ignored.push(...urls);
      continue;
    }
    for (const url of urls) {
      const parsed = parseReferralUrl(url);
      if (!parsed.ok) throw referralFailed(url, `The URL cannot be followed: ${parsed.problem}.`, trail);
      const dn = parsed.url.dn ?? here.dn;
      if (isAdPartition(dn)) {
        summary.partitions.push(url);
        continue;
      }
      // Checked before anything is sent there: following means binding with bind_dn and bind_password.
      if (!deps.trust.allows(parsed.url.host)) {
        throw referralUntrusted(url, parsed.url.host, deps.trust, trail);
      }
      const next: SearchTarget = {
        host: parsed.url.host,
        port: parsed.url.port ?? deps.defaultPort,
        dn,
        scope: parsed.url.scope ?? here.scope,
        url,
        chain: [...here.chain, targetKey(here)],
        via,
      };
      const key = targetKey(next);
      if (next.chain.includes(key)) throw referralLoop(url, trail);
      if (via.length + 1 > MAX_REFERRAL_HOPS) throw referralHopLimit(url, MAX_REFERRAL_HOPS, trail);
      if (queued.has(key)) continue; // reached along another chain: searched (or to be) once
      queued.add(key);
      queue.push(next);
      summary.followed.push(url);
    }
  }
  return summary;
}
