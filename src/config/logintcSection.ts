/** The [logintc] section: where LoginTC Admin is and how to reach it. */
import type { LoginTCConfig, ProxyConfig } from "../types.ts";
import { parseHostPort, parsePort } from "./host.ts";
import { shownValue } from "./problems.ts";
import { readSecret, type SecretIo } from "./secrets.ts";
import type { SectionReader } from "./section.ts";

export function readLoginTCSection(s: SectionReader, io: SecretIo): LoginTCConfig {
  const host = s.required("host");
  if (host) {
    const parsed = parseHostPort(host.value);
    if ("problem" in parsed) s.problem(host, parsed.problem);
  }

  const apiKey = readSecret(s, "api_key", true, io);
  // LoginTC API keys are 64 letters and digits, not hex (docs/logintc-api.md). The message
  // says what is wrong without quoting the key (a secret).
  if (apiKey && !/^[A-Za-z0-9]{64}$/.test(apiKey.value)) {
    const why = apiKey.value.length === 64
      ? "contains a character that is not a letter or digit"
      : `has ${apiKey.value.length} characters`;
    apiKey.problem(`must be exactly 64 letters and digits; the value ${why}`);
  }

  // Ids are 40 hex characters, lowercase in every API example
  // (https://www.logintc.com/docs/rest-api/domains.html);
  // uppercase is accepted and lowercased, as hex is case-insensitive and admins paste ids.
  const domainId = s.required("domain_id");
  // Not quoted either: an api_key pasted into the wrong line must not end up in a log.
  if (domainId && !/^[0-9A-Fa-f]{40}$/.test(domainId.value)) {
    const why = domainId.value.length === 40
      ? "contains a character that is not 0-9 or a-f"
      : `has ${domainId.value.length} characters`;
    s.problem(domainId, `must be exactly 40 hexadecimal characters (0-9, a-f); the value ${why}`);
  }

  return {
    host: host?.value ?? "",
    apiKey: apiKey?.value ?? "",
    domainId: domainId?.value.toLowerCase() ?? "",
    proxy: readProxy(s, io),
    ...s.ca(),
  };
}

function readProxy(s: SectionReader, io: SecretIo): ProxyConfig | undefined {
  const host = s.optional("proxy_host");
  const port = s.optional("proxy_port");
  const user = s.optional("proxy_user");
  const pass = readSecret(s, "proxy_pass", false, io);
  if (!host) {
    for (const entry of [port, user]) if (entry) s.problem(entry, "is set but proxy_host is not");
    pass?.problem("is set but proxy_host is not");
    return undefined;
  }
  const parsed = parseHostPort(host.value);
  if ("problem" in parsed) s.problem(host, parsed.problem);
  else if (parsed.port !== undefined) s.problem(host, "give the port in proxy_port, not in proxy_host");

  let portNumber: number | undefined;
  if (!port) s.problem(host, "requires proxy_port");
  else {
    portNumber = parsePort(port.value);
    if (portNumber === undefined) {
      s.problem(port, `${shownValue(port.value)} is not a port number from 1 to 65535`);
    }
  }
  if (pass && !user) pass.problem("is set but proxy_user is not");
  return { host: host.value, port: portNumber ?? 0, user: user?.value, pass: pass?.value };
}
