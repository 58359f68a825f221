/**
 * LoginTC's message for a refused TLS certificate (src/logintc/failures.ts delegates here), by its
 * real cause as Deno's fetch names it (src/tls/certificate.ts).
 */
import { escapeText } from "../output/escape.ts";
import { formatDate, problemFromFetchText } from "../tls/certificate.ts";
import type { RouteInfo } from "./failures.ts";

/**
 * A refused certificate, by its real cause (src/tls/certificate.ts reads it from Deno's text): a date
 * or a name is not fixed by ca_file, so only an untrusted issuer points there.
 */
export function tlsText(route: RouteInfo, raw: string, why: string, req: string): string {
  const hostName = route.host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  const problem = problemFromFetchText(raw, hostName);
  const cert = `The TLS certificate of LoginTC Admin at ${route.host}`;
  const inspecting = route.proxy ? " (or of a TLS-inspecting proxy on the way)" : "";
  switch (problem?.kind) {
    case "expired":
      return `${cert}${inspecting} expired` +
        (problem.notAfter ? ` on ${formatDate(problem.notAfter)}` : "") + ` (${req}). ` +
        "It must be renewed where it is served; ca_file cannot fix it. If the date looks wrong, check this " +
        "machine's clock";
    case "not-yet-valid":
      return `${cert}${inspecting} is not valid yet` +
        (problem.notBefore ? ` (not before ${formatDate(problem.notBefore)})` : "") + ` (${req}). ` +
        "Check this machine's clock";
    case "name":
      return `${cert}${inspecting} is not valid for the name "${escapeText(problem.host)}"` +
        (problem.names ? ` (it is for: ${escapeText(problem.names)})` : "") + ` (${req}). ` +
        "Check host in [logintc]";
    default:
      return `Cannot verify the TLS certificate of LoginTC Admin at ${route.host} (${why}) on ${req}. ` +
        "If it (or a TLS-inspecting proxy) uses a private CA, set ca_file in [logintc] to that CA's PEM file";
  }
}
