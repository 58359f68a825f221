/**
 * Defence in depth for "secrets are never printed": every line the CLI writes after the
 * config is loaded passes through a redactor that knows the bind password, API key and proxy
 * password. The modules already avoid printing them; this catches what they did not foresee
 * (a library error that echoes a request, a URL with userinfo).
 */
import { escapeText } from "./escape.ts";
import { mapOutput, type Output } from "./output.ts";

export const REDACTED = "********";

/** Secrets shorter than this are not redacted: replacing "a" everywhere would garble output. */
const MIN_SECRET_LENGTH = 4;

/**
 * One known secret replaced wherever it appears, whatever its length: for a message built before
 * the output's redactor sees it (a library error that echoed the bind password).
 */
export function redactSecret(text: string, secret: string): string {
  return secret.length > 0 ? text.replaceAll(secret, REDACTED) : text;
}

export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const list = [...new Set(secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))]
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  // A secret may also appear URL-encoded (userinfo in a proxy URL, a query string), or escaped for
  // the terminal (src/output/escape.ts) when it holds a backslash or a control character.
  const encoded = [...new Set([...list.map(encodeURIComponent), ...list.map(escapeText)])]
    .filter((e) => !list.includes(e));
  const all = [...list, ...encoded];
  return (text) => all.reduce((t, s) => t.split(s).join(REDACTED), text);
}

export function redactingOutput(output: Output, redact: (text: string) => string): Output {
  return mapOutput(output, redact);
}
