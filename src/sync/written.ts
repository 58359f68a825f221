/**
 * Write-only values: where LoginTC accepts a write but does not show the value back (the
 * capability probe's "write-only", src/logintc/capabilities.ts), this file remembers what this
 * tool last wrote for each LoginTC user, so the next run writes again only when the directory
 * value changes — never the same write on every scheduled run.
 *
 * `<stateDir>/written/<domainId>.json` (docs/operations.md, "Write-only values"):
 *   {"format": 1, "host": "<[logintc] host>", "domainId": "…",
 *    "users": {"<LoginTC user id>": {"groups": ["<group id>"], "phones": ["+1 555 0100"]}}}
 * Keyed by LoginTC's user id, so a user deleted and created again is written once more. A
 * missing, unreadable or damaged file, or one for another host, means "write once more", never
 * a crash. Written atomically (temp file + rename, like src/sync/jobStore.ts), only by real runs.
 */
import { statePath, writeFileAtomic } from "./stateDir.ts";
import { type ApplyResult, type PlanFeatures, type Remembered, usernameKey } from "./types.ts";
import { isObject, messageOf } from "../unknown.ts";

const FORMAT = 1;

export function writtenPath(stateDir: string, domainId: string): string {
  return statePath(stateDir, ["written", `${domainId}.json`]);
}

export interface RememberedRead {
  remembered: Remembered;
  /** Set when a file was there but could not be used (shown as a warning). */
  problem?: string;
}

export async function readRemembered(
  stateDir: string,
  host: string,
  domainId: string,
): Promise<RememberedRead> {
  const path = writtenPath(stateDir, domainId);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { remembered: {} };
    return { remembered: {}, problem: `${path}: cannot read it (${messageOf(e)})` };
  }
  const parsed = parseRemembered(text, host, domainId);
  if (typeof parsed === "string") return { remembered: {}, problem: `${path}: ${parsed}` };
  return { remembered: parsed };
}

/** The file's users, or why it cannot be used. Pure. */
export function parseRemembered(text: string, host: string, domainId: string): Remembered | string {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (!isObject(x) || x.format !== FORMAT || !isObject(x.users)) return "not a write-only values file";
  if (x.host !== host || x.domainId !== domainId) return "written for another LoginTC host or domain";
  const out: Remembered = {};
  for (const [id, entry] of Object.entries(x.users)) {
    if (!isObject(entry)) return `user ${id}: not an object`;
    const user: Remembered[string] = {};
    for (const k of ["groups", "phones"] as const) {
      const v = entry[k];
      if (v === undefined) continue;
      if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) {
        return `user ${id}: "${k}" is not a list`;
      }
      user[k] = v;
    }
    out[id] = user;
  }
  return out;
}

/**
 * What the file holds after this run: the writes just made for write-only features added, the
 * users this run deleted dropped. Pure; `undefined` when nothing changed.
 */
export function rememberApplied(
  before: Remembered,
  result: ApplyResult,
  features: PlanFeatures,
): Remembered | undefined {
  const after: Remembered = structuredClone(before);
  let changed = false;
  const idOf = (step: ApplyResult["done"][number]) =>
    ("userId" in step ? step.userId : undefined) ?? result.createdIds?.[usernameKey(step.username)];
  const add = (id: string | undefined, key: "groups" | "phones", value: string) => {
    if (id === undefined) return;
    const list = (after[id] ??= {})[key] ??= [];
    if (!list.includes(value)) (list.push(value), changed = true);
  };
  for (const step of result.done) {
    if (step.kind === "addToGroup" && features.group === "remembered") {
      add(idOf(step), "groups", step.groupId);
    }
    if (step.kind === "addPhone" && features.phone === "remembered") add(idOf(step), "phones", step.number);
    if (step.kind === "deleteUser" && after[step.userId]) (delete after[step.userId], changed = true);
  }
  return changed ? after : undefined;
}

export async function writeRemembered(
  stateDir: string,
  host: string,
  domainId: string,
  remembered: Remembered,
): Promise<string> {
  const path = writtenPath(stateDir, domainId);
  await Deno.mkdir(statePath(stateDir, ["written"]), { recursive: true });
  const body = { format: FORMAT, host, domainId, users: remembered };
  await writeFileAtomic(path, JSON.stringify(body, null, 1) + "\n");
  return path;
}
