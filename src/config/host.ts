/**
 * Host syntax for the `host` and `proxy_host` keys: `name`, `name:port`, IPv4, `[IPv6]`,
 * `[IPv6]:port`. The port, when present, is 1–65535. Pure; no name resolution.
 * A value that fails is quoted only when it cannot be a secret pasted into the wrong key
 * (shownValue: a 64-character API key in `host` is not echoed).
 */
import { shownValue } from "./problems.ts";

export interface HostPort {
  /** The host as written without the port; an IPv6 address keeps its brackets (URL form). */
  host: string;
  port?: number;
}

export type HostResult = HostPort | { problem: string };

export function parseHostPort(text: string): HostResult {
  if (text.includes("://") || text.includes("/")) {
    return { problem: `${shownValue(text)} must be a host name or IP address, without a scheme or path` };
  }
  let host: string;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) return { problem: `${shownValue(text)} is missing the ']' that closes the IPv6 address` };
    host = text.slice(0, close + 1);
    const rest = text.slice(close + 1);
    if (rest !== "") {
      if (!rest.startsWith(":")) return { problem: `${shownValue(text)} has unexpected text after ']'` };
      portText = rest.slice(1);
    }
    if (!isIPv6(host.slice(1, -1))) return { problem: `${shownValue(host)} is not a valid IPv6 address` };
  } else {
    const colons = text.split(":").length - 1;
    if (colons > 1) {
      return { problem: `${shownValue(text)}: write an IPv6 address in brackets, e.g. [::1]:636` };
    }
    [host, portText] = colons === 1 ? text.split(":") : [text, undefined];
    const problem = hostNameProblem(host);
    if (problem) return { problem: `${shownValue(text)}: ${problem}` };
  }
  if (portText === undefined) return { host };
  const port = parsePort(portText);
  if (port === undefined) {
    return { problem: `${shownValue(text)}: the port must be a number from 1 to 65535` };
  }
  return { host, port };
}

/** A TCP port 1–65535 written in decimal digits only, else undefined. */
export function parsePort(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** RFC 1123 host names (letters, digits, hyphens; `_` too, as AD uses it) or dotted IPv4. */
function hostNameProblem(name: string): string | undefined {
  if (name === "") return "the host name is empty";
  if (/^[0-9.]+$/.test(name)) {
    const parts = name.split(".");
    const ok = parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
    return ok ? undefined : "not a valid IPv4 address";
  }
  if (name.length > 253) return "the host name is longer than 253 characters";
  const label = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
  const labels = name.endsWith(".") ? name.slice(0, -1).split(".") : name.split(".");
  return labels.every((l) => label.test(l))
    ? undefined
    : "not a valid host name (letters, digits, '-' and '.' only)";
}

/** Loose IPv6 check (RFC 4291 text forms, optional %zone); the OS resolver has the last word. */
function isIPv6(addr: string): boolean {
  const [ip, zone] = addr.split("%", 2);
  if (zone !== undefined && !/^[A-Za-z0-9_.-]+$/.test(zone)) return false;
  if (!/^[0-9A-Fa-f:.]+$/.test(ip) || !ip.includes(":")) return false;
  const halves = ip.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === "" ? [] : h.split(":")));
  const last = groups.at(-1) ?? "";
  const v4 = last.includes(".");
  if (v4 && hostNameProblem(last) !== undefined) return false;
  const hexGroups = v4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = hexGroups.length + (v4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}
