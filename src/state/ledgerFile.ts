/**
 * The ledger's file: `<stateDir>/ledger/<domainId>.json` (docs/operations.md, "The ledger"; the
 * value and its update: src/sync/ledger.ts). Plain JSON an administrator can read: 2-space indented,
 * users sorted by username, a final newline. Written through the state directory's atomic writer
 * (0600), only at the end of a real run; dry runs, --check, --doctor and -j only read it.
 *
 * A file that cannot be used — missing, unreadable, not a ledger, a newer version, another domain's
 * — is "unknown": the run plans as without one, one warning names the file (never quoting its
 * contents: it may be anything), and a real run writes a fresh one. Keys this version does not know
 * are kept on rewrite, at the top and in entries: a newer version's data is never dropped silently.
 */
import { escapeControls } from "../output/escape.ts";
import type { Output } from "../output/output.ts";
import { type Ledger, LEDGER_VERSION, type LedgerEntry, type LedgerRun, nextLedger } from "../sync/ledger.ts";
import { usernameKey } from "../sync/types.ts";
import { isObject, messageOf } from "../unknown.ts";
import { statePath } from "./stateDir.ts";
import { ensureStateFolder, readStateFile, writeStateFile } from "./stateFiles.ts";

const DIR = "ledger";

export function ledgerPath(stateDir: string, domainId: string): string {
  return statePath(stateDir, [DIR, `${domainId}.json`]);
}

export interface LedgerRead {
  /** undefined: unknown (no file, or one that cannot be used). */
  ledger?: Ledger;
  /** Why a file that was there cannot be used (shown as a warning). */
  problem?: string;
}

export async function readLedger(stateDir: string, domainId: string): Promise<LedgerRead> {
  const path = ledgerPath(stateDir, domainId);
  let text: string | undefined;
  try {
    await ensureStateFolder(statePath(stateDir, [DIR]), { create: false });
    text = await readStateFile(path);
  } catch (e) {
    // A link or a file of another user too (src/state/stateFiles.ts): unknown, never followed.
    return { problem: `${path}: cannot read it (${messageOf(e)})` };
  }
  if (text === undefined) return {};
  const parsed = parseLedger(text, domainId);
  return typeof parsed === "string" ? { problem: `${path}: ${parsed}` } : { ledger: parsed };
}

const TOP_KEYS = ["version", "domainId", "anchorAttribute", "updatedAt", "users"] as const;
const ENTRY_KEYS = [
  "username",
  "anchor",
  "userId",
  "managed",
  "firstSeen",
  "lastSeen",
  "absentSince",
] as const;

/** The ledger in `text`, or why it cannot be used (never quoting the text). Pure. */
export function parseLedger(text: string, domainId: string): Ledger | string {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (!isObject(x) || typeof x.version !== "number" || !Array.isArray(x.users)) return "not a ledger";
  if (x.version > LEDGER_VERSION) {
    return `written by a newer logintc-sync (ledger version ${x.version}; this one reads ${LEDGER_VERSION})`;
  }
  if (x.version !== LEDGER_VERSION) return "not a ledger";
  if (x.domainId !== domainId) return "written for another LoginTC domain";
  if (!isText(x.updatedAt)) return `"updatedAt" is not text`;
  if (x.anchorAttribute !== null && !isText(x.anchorAttribute)) {
    return `"anchorAttribute" is not text or null`;
  }
  const users: LedgerEntry[] = [];
  const keys = new Set<string>();
  // Most entries share their dates (one per run): one string each, not one per entry and field.
  const dates = new Map<string, string>();
  const date = (d: string | null) => d === null ? null : dates.get(d) ?? (dates.set(d, d), d);
  for (const [i, u] of x.users.entries()) {
    const entry = parseEntry(u, date);
    if (typeof entry === "string") return `user ${i + 1}: ${entry}`;
    const key = usernameKey(entry.username);
    if (keys.has(key)) return `user ${i + 1}: a second entry for one username`;
    keys.add(key);
    users.push(entry);
  }
  const other = otherKeys(x, TOP_KEYS);
  return {
    ...(other ? { other } : {}),
    version: LEDGER_VERSION,
    domainId,
    anchorAttribute: x.anchorAttribute,
    updatedAt: x.updatedAt,
    users,
  };
}

function parseEntry(u: unknown, date: (d: string | null) => string | null): LedgerEntry | string {
  if (!isObject(u)) return "not an object";
  if (!isText(u.username) || u.username === "") return `"username" is not text`;
  for (const k of ["anchor", "userId", "absentSince"] as const) {
    if (u[k] !== null && !isText(u[k])) return `"${k}" is not text or null`;
  }
  if (typeof u.managed !== "boolean") return `"managed" is not true or false`;
  for (const k of ["firstSeen", "lastSeen"] as const) {
    if (!isText(u[k])) return `"${k}" is not text`;
  }
  const other = otherKeys(u, ENTRY_KEYS);
  return {
    ...(other ? { other } : {}),
    username: u.username,
    anchor: u.anchor as string | null,
    userId: u.userId as string | null,
    managed: u.managed,
    firstSeen: date(u.firstSeen as string)!,
    lastSeen: date(u.lastSeen as string)!,
    absentSince: date(u.absentSince as string | null),
  };
}

function isText(x: unknown): x is string {
  return typeof x === "string";
}

function otherKeys(
  x: Record<string, unknown>,
  known: readonly string[],
): Record<string, unknown> | undefined {
  const other = Object.entries(x).filter(([k]) => !known.includes(k));
  return other.length > 0 ? Object.fromEntries(other) : undefined;
}

/** The file's text: the contract's keys in their order, then any kept from a newer version. Pure. */
export function formatLedger(ledger: Ledger): string {
  const { other, users, ...top } = ledger;
  // Entries are written as they are (no copy of 100k entries) unless they carry kept keys.
  const body = {
    ...top,
    users: users.some((u) => u.other) ? users.map(({ other, ...entry }) => ({ ...entry, ...other })) : users,
    ...other,
  };
  return JSON.stringify(body, null, 2) + "\n";
}

export async function saveLedger(stateDir: string, ledger: Ledger): Promise<string> {
  const path = ledgerPath(stateDir, ledger.domainId);
  await ensureStateFolder(statePath(stateDir, [DIR]));
  await writeStateFile(path, formatLedger(ledger));
  return path;
}

/** One run's ledger: read before planning, saved after applying. */
export interface LedgerRunFile {
  /** undefined: unknown this run. */
  ledger: Ledger | undefined;
  /** After a real run: writes the next ledger. Returns an error line when it could not. */
  saveAfter(run: Omit<LedgerRun, "previous">): Promise<string | undefined>;
}

/**
 * Reads the domain's ledger; a file that cannot be used is one warning on stderr, naming it, and
 * the run goes on without (unknown).
 */
export async function openLedger(
  domainId: string,
  deps: { stateDir: string; output: Output },
): Promise<LedgerRunFile> {
  const read = await readLedger(deps.stateDir, domainId);
  if (read.problem) {
    deps.output.err(
      `warning: ledger ${escapeControls(read.problem)}; this run matches users by username only ` +
        `(nothing is flagged as reused or renamed), and a real run writes a fresh ledger`,
    );
  }
  return {
    ledger: read.ledger,
    async saveAfter(run) {
      try {
        await saveLedger(deps.stateDir, nextLedger({ ...run, previous: read.ledger }));
        return undefined;
      } catch (e) {
        return `cannot write the ledger ${ledgerPath(deps.stateDir, domainId)}: ${messageOf(e)}`;
      }
    },
  };
}
