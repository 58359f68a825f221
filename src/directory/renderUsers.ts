/**
 * The dry-run users table, in the original tool's exact layout (guide: "Run LoginTC Sync Tool"):
 * ASCII borders, a header separator, no separators between rows. Golden-tested as a string; the shell
 * writes it line by line (usersTableLines), so 100k users never become one 10 MB string.
 */
import { escapeText } from "../output/escape.ts";
import { ASCII_CHARS, tableLines } from "../output/table.ts";
import type { DirectoryUser } from "../types.ts";

const HEAD = ["Username", "Name", "Email"];

/**
 * The table's lines, each row formatted when it is needed (twice: widths, then output). Missing
 * name/email render as empty cells. Users are expected sorted (readDirectory does).
 */
export function usersTableLines(users: readonly DirectoryUser[]): Iterable<string> {
  // cli-table3's layout, in linear time (src/output/table.ts): one row per directory user, each value
  // terminal-safe (src/output/escape.ts) before it is measured, so widths are those of what is printed.
  return tableLines(HEAD, users.length, (i) => {
    const u = users[i];
    return [escapeText(u.username), escapeText(u.name ?? ""), escapeText(u.email ?? "")];
  }, ASCII_CHARS);
}

/** The whole table as one string: usersTableLines joined. */
export function renderUsersTable(users: readonly DirectoryUser[]): string {
  return [...usersTableLines(users)].join("\n");
}
