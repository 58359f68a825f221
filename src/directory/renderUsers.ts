/**
 * The dry-run users table, in the original tool's exact layout (guide: "Run LoginTC Sync Tool"):
 * ASCII borders, a header separator, no separators between rows. Rendered to a string; golden-tested.
 */
import { renderTable } from "../table.ts";
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
  // cli-table3's layout, in linear time (src/table.ts): one row per directory user.
  return renderTable(
    ["Username", "Name", "Email"],
    users.map((u) => [u.username, u.name ?? "", u.email ?? ""]),
    ASCII_CHARS,
  );
}
