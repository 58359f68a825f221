/**
 * Referral URLs (RFC 4516 LDAP URLs, as used by RFC 4511 §4.1.10 and §4.5.3) and the DN comparisons the
 * referral chaser needs. Pure.
 */
import { escapeText } from "../output/escape.ts";

export type Scope = "base" | "one" | "sub";

/** What a referral URL asks for. Host and DN come from the URL; encryption never does. */
export interface ReferralUrl {
  host: string;
  /** Absent when the URL names none: the chaser uses the config's encryption's default port. */
  port?: number;
  /** Absent when the URL names none (RFC 4511 §4.1.10: then the original DN applies). */
  dn?: string;
  /** Absent when the URL names none (RFC 4511 §4.5.3: then the original scope applies). */
  scope?: Scope;
}

export type ParsedReferral = { ok: true; url: ReferralUrl } | { ok: false; problem: string };

// RFC 4516 §2: scheme://[host[:port]][/dn[?attributes[?scope[?filter[?extensions]]]]]
const URL_RE = /^(ldaps?):\/\/([^/?#]*)(?:\/([^?]*)(?:\?([^?]*)(?:\?([^?]*)(?:\?([^?]*)(?:\?(.*))?)?)?)?)?$/i;
const SCOPES: Record<string, Scope> = { base: "base", one: "one", sub: "sub" };

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

function hostPort(text: string): { host: string; port?: number } | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]*)(?::(\d{1,5}))?$/i.exec(text);
  if (!m) return undefined;
  const host = decode(m[1].startsWith("[") ? m[1].slice(1, -1) : m[1]);
  if (host === undefined) return undefined;
  if (m[2] === undefined) return { host };
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

export function parseReferralUrl(text: string): ParsedReferral {
  const m = URL_RE.exec(text);
  if (!m) {
    return /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^ldaps?:/i.test(text)
      ? { ok: false, problem: "it is not an ldap:// or ldaps:// URL" }
      : { ok: false, problem: "it is not a valid LDAP URL (RFC 4516)" };
  }
  const [, , hostText, dnText, , scopeText, filterText, extText] = m;
  const hp = hostPort(hostText);
  if (!hp) return { ok: false, problem: "its host or port is not valid" };
  if (hp.host === "") return { ok: false, problem: "it names no server" };
  const dn = dnText === undefined || dnText === "" ? undefined : decode(dnText);
  if (dnText && dn === undefined) return { ok: false, problem: "its DN is not valid percent-encoding" };
  let scope: Scope | undefined;
  if (scopeText) {
    scope = SCOPES[scopeText.toLowerCase()];
    if (!scope) return { ok: false, problem: `its scope "${escapeText(scopeText)}" is not base, one or sub` };
  }
  // RFC 4511 §4.5.3 would have a filter in the URL replace ours; that could widen or narrow the set of
  // users (and so add or remove LoginTC users) on a remote server's word, so such a URL is refused.
  if (filterText) return { ok: false, problem: "it carries its own search filter, which is not applied" };
  // RFC 4516 §2.1: a critical extension ("!") the client does not know must not be ignored.
  if (extText?.split(",").some((e) => e.trim().startsWith("!"))) {
    return { ok: false, problem: "it carries a critical extension" };
  }
  return { ok: true, url: { host: hp.host, port: hp.port, dn, scope } };
}

/** The RDNs of a DN, split on unescaped commas (RFC 4514 §2.4), trimmed, lower-cased, `a = b` → `a=b`. */
function rdns(dn: string): string[] {
  return dn.split(/(?<!\\),/).map((r) => r.trim().replace(/\s*=\s*/, "=").toLowerCase());
}

/** A DN form for comparisons (RFC 4514 names compare case-insensitively for the attributes we meet). */
export function dnKey(dn: string): string {
  return rdns(dn).join(",");
}

/**
 * Active Directory's application and configuration partitions: DC=DomainDnsZones, DC=ForestDnsZones and
 * CN=Configuration directly below a domain name (only DC= parts). They hold DNS zones and the forest's
 * configuration and schema, never user accounts (MS-ADTS §3.1.1.1.7, the config NC is "cn=Configuration"
 * under the forest root domain: https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-adts/
 * a0cd29cc-1607-4f50-8afb-744a600a905c), and their host names are DNS aliases that rarely resolve
 * outside the domain.
 */
export function isAdPartition(dn: string): boolean {
  const [first, ...rest] = rdns(dn);
  return ["dc=domaindnszones", "dc=forestdnszones", "cn=configuration"].includes(first) &&
    rest.length > 0 && rest.every((r) => r.startsWith("dc="));
}
