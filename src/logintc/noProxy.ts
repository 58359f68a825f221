/**
 * no_proxy / NO_PROXY: the hosts that skip the proxy. Pure. The rules are curl's
 * (https://curl.se/libcurl/c/CURLOPT_NOPROXY.html), which Deno's fetch follows too:
 * - entries separated by commas, spaces around them ignored;
 * - `*` alone covers every host;
 * - an IP address covers that address, and `address/bits` (CIDR) that network; they never cover
 *   a name (no lookups are made);
 * - any other entry is a name that covers itself and every name below it, ignoring case and a
 *   leading dot: `example.com` and `.example.com` both cover `ldap.example.com`, not `myexample.com`.
 */
import { inNetwork, parseCidr, parseIp } from "../ipAddress.ts";

/** True when the list `value` exempts `host` (a name or an IP address, without port). */
export function noProxyCovers(value: string, host: string): boolean {
  const target = host.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  const address = parseIp(target);
  for (const raw of value.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    const cidr = parseCidr(entry);
    const ip = cidr ? undefined : parseIp(entry);
    if (cidr || ip) {
      if (
        address && (cidr ? inNetwork(address, cidr.net, cidr.bits) : inNetwork(address, ip!, ip!.length * 8))
      ) {
        return true;
      }
      continue;
    }
    if (address) continue;
    const name = entry.replace(/^\./, "").replace(/\.$/, "");
    if (name !== "" && (target === name || target.endsWith(`.${name}`))) return true;
  }
  return false;
}
