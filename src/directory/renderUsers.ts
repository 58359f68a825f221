/**
 * The dry-run users table, in the original tool's exact layout (guide: "Run LoginTC Sync Tool"):
 * ASCII borders, a header separator, no separators between rows. Rendered to a string; golden-tested.
 */
import Table from "cli-table3";
import type { DirectoryUser } from "../types.ts";

const ASCII_CHARS = {
  "top": "-",
  "top-mid": "+",
  "top-left": "+",
  "top-right": "+",
  "bottom": "-",
  "bottom-mid": "+",
  "bottom-left": "+",
  "bottom-right": "+",
  "left": "|",
  "left-mid": "+",
  "mid": "-",
  "mid-mid": "+",
  "right": "|",
  "right-mid": "+",
  "middle": "|",
};

/** Missing name/email render as empty cells. Users are expected sorted (readDirectory does). */
export function renderUsersTable(users: readonly DirectoryUser[]): string {
  // compact: no row separators; empty style arrays: no ANSI colours even with FORCE_COLOR (lab-notes §5).
  const table = new Table({
    head: ["Username", "Name", "Email"],
    chars: ASCII_CHARS,
    style: { head: [], border: [], compact: true },
  });
  for (const u of users) table.push([u.username, u.name ?? "", u.email ?? ""]);
  return table.toString();
}
