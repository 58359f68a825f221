/**
 * The config file's bytes → its text, or one error saying it is not a text file.
 *
 * Accepted: UTF-8 with or without a byte order mark, and UTF-16 little- or big-endian WITH its byte
 * order mark (what Windows Notepad saves as "Unicode" / "Unicode big endian"; The Unicode Standard
 * §23.8 "Specials": U+FEFF at the start of a text stream marks its encoding). Anything else — NUL
 * bytes (a binary file, or UTF-16 without a BOM), bytes that are not UTF-8, or control characters
 * other than tab and line breaks — is not a config file, and the error says only where, never what:
 * echoing a binary file's bytes would print garbage and control sequences, and the file may hold a
 * password. (Deno.readTextFile would silently turn invalid bytes into U+FFFD instead.)
 */
import { ConfigError } from "../errors.ts";

const SAVE_AS = "save it as UTF-8 (or as 'Unicode' in Notepad)";

function notText(path: string, why: string): ConfigError {
  return new ConfigError([`${path}: not a text file (${why}); ${SAVE_AS}`]);
}

/** 1-based line of a character offset, for the message. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line++;
  }
  return line;
}

function decode(bytes: Uint8Array, label: "utf-8" | "utf-16le" | "utf-16be"): string | undefined {
  try {
    // fatal: an invalid sequence throws instead of becoming U+FFFD; ignoreBOM: we strip it ourselves.
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The text of a config file, BOM removed; throws ConfigError `<path>: not a text file (…)`. */
export function decodeConfigText(bytes: Uint8Array, path: string): string {
  let text: string | undefined;
  let encoding: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = "UTF-16LE";
    text = decode(bytes.subarray(2), "utf-16le");
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = "UTF-16BE";
    text = decode(bytes.subarray(2), "utf-16be");
  } else {
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    encoding = "UTF-8";
    const nul = bytes.indexOf(0);
    if (nul >= 0) throw notText(path, `a NUL byte at byte ${nul + 1}`);
    text = decode(bom ? bytes.subarray(3) : bytes, "utf-8");
    if (text === undefined) {
      const at = firstInvalidUtf8(bytes);
      throw notText(path, `not valid UTF-8 at byte ${at + 1}`);
    }
  }
  if (text === undefined) throw notText(path, `not valid ${encoding} after its byte order mark`);
  // deno-lint-ignore no-control-regex -- control characters are what is looked for
  const control = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(2, "0");
    throw notText(path, `control character 0x${code} on line ${lineAt(text, control.index)}`);
  }
  return text;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629 §4). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const n = b < 0x80
      ? 1
      : b >= 0xc2 && b <= 0xdf
      ? 2
      : b >= 0xe0 && b <= 0xef
      ? 3
      : b >= 0xf0 && b <= 0xf4
      ? 4
      : 0;
    if (n === 0 || decode(bytes.subarray(i, i + n), "utf-8") === undefined) return i;
    i += n;
  }
  return 0;
}
