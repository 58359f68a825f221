/**
 * Write-only values: where LoginTC accepts a write but does not show the value back (the
 * capability probe's "write-only", src/logintc/capabilities.ts), what this tool last wrote for
 * each LoginTC user, so the next run writes again only when the directory value changes — never
 * the same write on every scheduled run.
 *
 * `<stateDir>/written/<domainId>.json` (docs/operations.md, "Write-only values"; the directory's
 * name is kept: administrators may have these files):
 *   {"format": 1, "host": "<[logintc] host>", "domainId": "…",
 *    "users": {"<LoginTC user id>": {"groups": ["<group id>"], "phones": ["+1 555 0100"]}}}
 * Keyed by LoginTC's user id, so a user deleted and created again is written once more. A
 * missing, unreadable or damaged file, or one for another host, means "write once more", never
 * a crash. Written only by real runs.
 */
import { escapeControls } from "../output/escape.ts";
import type { Output } from "../output/output.ts";
import {
  ALL_FEATURES_READ,
  type ApplyResult,
  type LoginTCState,
  type PlanFeatures,
  usernameKey,
  type WriteOnlyValues,
} from "../sync/types.ts";
import { statePath } from "./stateDir.ts";
import { ensureStateFolder, readStateFile, writeStateFile } from "./stateFiles.ts";
import { isObject, messageOf } from "../unknown.ts";

const FORMAT = 1;
const DIR = "written";

/** One run's write-only values: read before planning, saved after applying. */
export interface WriteOnlyValuesRun {
  values: WriteOnlyValues;
  /** After a real run: records the write-only values just written. Never throws. */
  saveAfter(result: ApplyResult): Promise<void>;
}

/**
 * Reads the file only when a feature is write-only. A file read only, so dry runs show the same
 * warning; a problem is a warning, never an error: the values are then written once more.
 */
export async function openWriteOnlyValues(
  state: LoginTCState,
  host: string,
  deps: { stateDir: string; output: Output },
): Promise<WriteOnlyValuesRun> {
  const { domainId, features = ALL_FEATURES_READ } = state;
  let values: WriteOnlyValues = {};
  if (features.group === "write-only" || features.phone === "write-only") {
    const read = await readWriteOnlyValues(deps.stateDir, host, domainId);
    if (read.problem) {
      deps.output.err(
        `warning: ${escapeControls(read.problem)}; write-only values (-g, attr_phone) are written once more`,
      );
    }
    values = read.values;
  }
  return {
    values,
    async saveAfter(result) {
      const after = writeOnlyValuesAfter(values, result, features);
      if (!after) return;
      try {
        await saveWriteOnlyValues(deps.stateDir, host, domainId, after);
      } catch (e) {
        // The writes were made; the next run writes them once more. Never worse than that.
        deps.output.err(`warning: cannot record write-only values: ${escapeControls(messageOf(e))}`);
      }
    },
  };
}

export function writeOnlyValuesPath(stateDir: string, domainId: string): string {
  return statePath(stateDir, [DIR, `${domainId}.json`]);
}

export interface WriteOnlyValuesRead {
  values: WriteOnlyValues;
  /** Set when a file was there but could not be used (shown as a warning). */
  problem?: string;
}

export async function readWriteOnlyValues(
  stateDir: string,
  host: string,
  domainId: string,
): Promise<WriteOnlyValuesRead> {
  const path = writeOnlyValuesPath(stateDir, domainId);
  let text: string | undefined;
  try {
    await ensureStateFolder(statePath(stateDir, [DIR]), { create: false });
    text = await readStateFile(path);
  } catch (e) {
    // A link or a file of another user too: written once more, the file is left alone.
    return { values: {}, problem: `${path}: cannot read it (${messageOf(e)})` };
  }
  if (text === undefined) return { values: {} };
  const parsed = parseWriteOnlyValues(text, host, domainId);
  if (typeof parsed === "string") return { values: {}, problem: `${path}: ${parsed}` };
  return { values: parsed };
}

/** The file's users, or why it cannot be used. Pure. */
export function parseWriteOnlyValues(text: string, host: string, domainId: string): WriteOnlyValues | string {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (!isObject(x) || x.format !== FORMAT || !isObject(x.users)) return "not a write-only values file";
  if (x.host !== host || x.domainId !== domainId) return "written for another LoginTC host or domain";
  const out: WriteOnlyValues = {};
  for (const [id, entry] of Object.entries(x.users)) {
    if (!isObject(entry)) return `user ${id}: not an object`;
    const user: WriteOnlyValues[string] = {};
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
 * The values after this run: the writes just made for write-only features added, the users this
 * run deleted dropped. Pure; `undefined` when nothing changed.
 */
export function writeOnlyValuesAfter(
  before: WriteOnlyValues,
  result: ApplyResult,
  features: PlanFeatures,
): WriteOnlyValues | undefined {
  const after: WriteOnlyValues = structuredClone(before);
  let changed = false;
  const idOf = (step: ApplyResult["done"][number]) =>
    ("userId" in step ? step.userId : undefined) ?? result.createdIds?.[usernameKey(step.username)];
  const add = (id: string | undefined, key: "groups" | "phones", value: string) => {
    if (id === undefined) return;
    const list = (after[id] ??= {})[key] ??= [];
    if (!list.includes(value)) (list.push(value), changed = true);
  };
  for (const step of result.done) {
    if (step.kind === "addToGroup" && features.group === "write-only") {
      add(idOf(step), "groups", step.groupId);
    }
    if (step.kind === "addPhone" && features.phone === "write-only") add(idOf(step), "phones", step.number);
    if (step.kind === "deleteUser" && after[step.userId]) (delete after[step.userId], changed = true);
  }
  return changed ? after : undefined;
}

export async function saveWriteOnlyValues(
  stateDir: string,
  host: string,
  domainId: string,
  values: WriteOnlyValues,
): Promise<string> {
  const path = writeOnlyValuesPath(stateDir, domainId);
  await ensureStateFolder(statePath(stateDir, [DIR]));
  const body = { format: FORMAT, host, domainId, users: values };
  await writeStateFile(path, JSON.stringify(body, null, 1) + "\n");
  return path;
}
