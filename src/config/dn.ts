/**
 * Syntax checks for distinguished names (RFC 4514) and, for bind_dn only, the other bind names
 * Active Directory accepts (measured against Samba AD: docs/configuration.md, bind_dn): `user@example.com`
 * (userPrincipalName) and `EXAMPLE\user` (down-level logon name).
 *
 * RFC 4514 §3: a DN is RDNs separated by `,`; an RDN is one or more `type=value` joined by `+`;
 * the type is a descriptor (`cn`) or a numeric OID (`2.5.4.3`); in a value `\` escapes one of
 * ` "#+,;<=>\` or starts two hex digits (`\2C`), and `#` at the start means a BER hex string.
 * We are lenient on one point only: spaces around `,`, `+` and `=` are allowed (OpenLDAP and AD
 * accept `cn=Manager, dc=example, dc=com`, and configs written for the old tool contain them).
 */

const TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)/;
const ESCAPABLE = ` "#+,;<=>\\`;
const MUST_ESCAPE = `";<>`;
const HEX2 = /^[0-9A-Fa-f]{2}/;

/** Why `dn` is not a valid DN (a short phrase with the 1-based character position), or undefined. */
export function dnProblem(dn: string): string | undefined {
  let i = 0;
  const at = () => `at character ${i + 1}`;
  const skipSpaces = () => {
    while (dn[i] === " ") i++;
  };
  for (;;) {
    skipSpaces();
    const type = TYPE.exec(dn.slice(i));
    if (!type) return `expected an attribute name such as 'cn' or 'dc' ${at()}`;
    i += type[0].length;
    skipSpaces();
    if (dn[i] !== "=") return `expected '=' after '${type[0]}' ${at()}`;
    i++;
    skipSpaces();
    const problem = dn[i] === "#" ? skipHexString() : skipValue();
    if (problem) return problem;
    if (i >= dn.length) return undefined;
    i++; // the ',' or '+' that skipValue stopped at
    if (i >= dn.length || dn.slice(i).trim() === "") return `the DN ends with '${dn[i - 1]}'`;
  }

  function skipHexString(): string | undefined {
    const hex = /^#(?:[0-9A-Fa-f]{2})+/.exec(dn.slice(i));
    if (!hex) return `expected hex digits after '#' ${at()}`;
    i += hex[0].length;
    skipSpaces();
    if (i < dn.length && dn[i] !== "," && dn[i] !== "+") return `unexpected '${dn[i]}' ${at()}`;
    return undefined;
  }

  function skipValue(): string | undefined {
    while (i < dn.length && dn[i] !== "," && dn[i] !== "+") {
      const c = dn[i];
      if (c === "\\") {
        const next = dn[i + 1];
        if (next !== undefined && ESCAPABLE.includes(next)) i += 2;
        else if (HEX2.test(dn.slice(i + 1))) i += 3;
        else {return `invalid escape '\\${
            next ?? ""
          }' ${at()} (use \\, \\+ \\" \\\\ or two hex digits like \\2C)`;}
        continue;
      }
      if (MUST_ESCAPE.includes(c)) return `'${c}' must be escaped as '\\${c}' ${at()}`;
      i++;
    }
    return undefined;
  }
}

/** For bind_dn: a DN, `user@domain` or `DOMAIN\user`; why not, or undefined. */
export function bindNameProblem(name: string): string | undefined {
  if (!name.includes("=")) {
    if (/^[^\s@\\]+@[^\s@\\]+$/.test(name)) return undefined; // userPrincipalName
    if (/^[^\s@\\/]+\\[^\\]+$/.test(name)) return undefined; // down-level logon name
    return "expected a DN such as cn=Manager,dc=example,dc=com, user@example.com or EXAMPLE\\user";
  }
  const problem = dnProblem(name);
  return problem === undefined ? undefined : `not a valid DN: ${problem}`;
}
