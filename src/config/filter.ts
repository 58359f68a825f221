/**
 * Syntax check for the LDAP search filter (RFC 4515 string form), done before anything is
 * contacted so a typo is a config error with a line number, not a failed run.
 *
 * RFC 4515 §3: filter = "(" ( "&" filter+ | "|" filter+ | "!" filter | item ) ")"; an item is
 * `attr op value` with op one of = ~= >= <= or an extensible match `attr:dn:rule:=`; in a
 * value `(`, `)` and `\` must be written `\28`, `\29`, `\5C` (a `\` starts two hex digits).
 * No whitespace is allowed between the parentheses (ldapts, our LDAP client, rejects it too).
 *
 * A bare single item without parentheses (`uid=jdoe`) is accepted and wrapped as `(uid=jdoe)`,
 * as ldapsearch and ldapts do; anything else must start with `(`.
 */
import { shownValue } from "./problems.ts";

export type FilterResult = { filter: string } | { problem: string };

const ATTR = /^(?:[A-Za-z][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*|[0-9]+(?:\.[0-9]+)*)$/;
/** An attribute description: a name or numeric OID, with optional `;options` (RFC 4512 §2.5). */
export function isAttributeName(text: string): boolean {
  return ATTR.test(text);
}

const RULE = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)$/;

export function checkFilter(text: string): FilterResult {
  const filter = text.startsWith("(") ? text : `(${text})`;
  if (!text.startsWith("(") && /^[&|!]/.test(text)) {
    return { problem: "must be enclosed in parentheses, e.g. (&(objectClass=person)(uid=*))" };
  }
  let i = 0;
  const at = () => `at character ${i + 1 - (filter === text ? 0 : 1)}`;

  function parse(): string | undefined {
    if (filter[i] !== "(") return `expected '(' ${at()}`;
    i++;
    const op = filter[i];
    if (op === "&" || op === "|") {
      i++;
      let count = 0;
      while (filter[i] === "(") {
        const p = parse();
        if (p) return p;
        count++;
      }
      if (count === 0) return `'${op}' needs at least one filter in parentheses ${at()}`;
    } else if (op === "!") {
      i++;
      const p = parse();
      if (p) return p;
      if (filter[i] === "(") return `'!' takes exactly one filter ${at()}`;
    } else {
      const p = item();
      if (p) return p;
    }
    if (i >= filter.length) return "missing ')' at the end";
    if (filter[i] !== ")") return `expected ')' ${at()}`;
    i++;
    return undefined;
  }

  function item(): string | undefined {
    const start = i;
    while (i < filter.length && filter[i] !== ")") {
      const c = filter[i];
      if (c === "(") return `'(' in a value must be written \\28 ${at()}`;
      if (c === "\\") {
        if (!/^[0-9A-Fa-f]{2}/.test(filter.slice(i + 1))) {
          return `'\\' must start two hex digits such as \\28 or \\5C ${at()}`;
        }
        i += 3;
        continue;
      }
      i++;
    }
    const text = filter.slice(start, i);
    const eq = text.indexOf("=");
    if (eq < 0) return `expected 'attribute=value' in ${shownValue(`(${text})`)}`;
    let left = text.slice(0, eq);
    if (left.endsWith(":")) return extensibleProblem(left.slice(0, -1), text);
    if (/[~<>]$/.test(left)) left = left.slice(0, -1);
    if (!ATTR.test(left)) {
      return `${shownValue(left)} is not a valid attribute name in ${shownValue(`(${text})`)}`;
    }
    return undefined;
  }

  const problem = parse();
  if (problem) return { problem };
  if (i < filter.length) {
    return { problem: `unexpected text after the closing ')' ${at()}; combine filters with (&...)` };
  }
  return { filter };
}

/** `attr[:dn][:rule]:=` or `[:dn]:rule:=` (RFC 4515 §3 extensible). */
function extensibleProblem(left: string, text: string): string | undefined {
  const parts = left.split(":");
  const attr = parts.shift() ?? "";
  if (parts[0]?.toLowerCase() === "dn") parts.shift();
  const rule = parts.shift();
  const ok = parts.length === 0 &&
    (attr === "" ? rule !== undefined : ATTR.test(attr)) &&
    (rule === undefined || RULE.test(rule));
  return ok
    ? undefined
    : `${shownValue(`${left}:=`)} is not a valid extensible match in ${shownValue(`(${text})`)}`;
}
