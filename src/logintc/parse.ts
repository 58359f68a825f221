/**
 * Reads LoginTC's JSON answers into our types, checking only what we rely on. Pure. A shape
 * problem returns a short description (the caller wraps it in a LoginTCError naming the request).
 */
import { lookAlikeKey } from "../usernames.ts";
import {
  type LoginTCGroup,
  type LoginTCToken,
  type LoginTCUser,
  USER_LIST_FIELDS,
  USER_TEXT_FIELDS,
} from "../types.ts";
import type { LoginTCDomain } from "./api.ts";
import { escapeText } from "../output/escape.ts";
import { isObject } from "../unknown.ts";

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

export function parseJson(text: string): Parsed<unknown> {
  try {
    return ok(JSON.parse(text));
  } catch {
    return bad(text.trim() === "" ? "the body is empty" : "the body is not JSON");
  }
}

const str = (x: unknown): string | undefined => typeof x === "string" ? x : undefined;

/**
 * What LoginTC issues as ids: letters and digits (its docs show 40 hexadecimal characters,
 * https://www.logintc.com/docs/rest-api/). Ids go into request paths (./paths.ts), so an answer with
 * anything else — `..`, a slash, a 1 MB string — is refused whole, never used.
 */
const ID = /^[A-Za-z0-9]{1,64}$/;

/** An id LoginTC could have issued (for ids from elsewhere, e.g. the ledger, before they go in a path). */
export function isLoginTCId(id: unknown): id is string {
  return typeof id === "string" && ID.test(id);
}

/** The problem with an id that is not one LoginTC issues, or undefined when it is fine. */
function idProblem(what: string, id: unknown): string | undefined {
  if (typeof id === "string" && ID.test(id)) return undefined;
  const shown = typeof id === "string"
    ? `"${escapeText(id.length > 40 ? `${id.slice(0, 40)}…` : id)}"`
    : id === undefined
    ? "none"
    : typeof id;
  return `${what} has an id that is not 1–64 letters and digits (${shown})`;
}

/**
 * A user object. id and username are required; every other key is kept only when present:
 * absent (or null) means unknown, never "" or [] (src/types.ts LoginTCUser). A key the sync
 * relies on that is present with the wrong type is an error, not a guess: nothing is planned
 * from a body we misread. Keys the sync does not use (hardware, bypasscodes) are kept when
 * well-formed and otherwise ignored.
 */
export function toUser(x: unknown): Parsed<LoginTCUser> {
  if (!isObject(x)) return bad("a user is not a JSON object");
  const id = str(x.id);
  const username = str(x.username);
  if (!id || username === undefined) return bad("a user has no id or username");
  const wrongId = idProblem(`user ${JSON.stringify(username)}`, id);
  if (wrongId) return bad(wrongId);
  const user: LoginTCUser = { id, username };
  for (const k of [...USER_TEXT_FIELDS, "hardware"] as const) {
    if (x[k] === undefined || x[k] === null) continue;
    const v = str(x[k]);
    if (v !== undefined) user[k] = v;
    else if (k !== "hardware") return bad(`user ${JSON.stringify(username)}: "${k}" is not a string`);
  }
  for (const k of [...USER_LIST_FIELDS, "bypasscodes"] as const) {
    const v = x[k];
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.every((s) => typeof s === "string")) user[k] = v as string[];
    else if (k !== "bypasscodes") {
      return bad(`user ${JSON.stringify(username)}: "${k}" is not a list of strings`);
    }
  }
  return ok(user);
}

/**
 * GET /users?username=X: the user asked for, or undefined when LoginTC says there is none.
 * The official clients expect one user object; `[]`, `{}` and `null` are read as "no such
 * user" (some servers answer a search that way), as is a one-element list holding the user.
 * A user whose username is not the one asked for (ignoring ASCII case: usernames are unique
 * case-insensitively) is an error, never trusted: a server that ignores ?username= answers with
 * someone else. One that only looks like it (src/usernames.ts: a server that folds more than ASCII
 * answers `kelvin` for `Kelvin` spelled with U+212A) is returned as it is: the planner then sees
 * two look-alikes and leaves both out, never merging them.
 */
export function toFoundUser(x: unknown, asked: string): Parsed<LoginTCUser | undefined> {
  if (x === null) return ok(undefined);
  if (Array.isArray(x)) {
    if (x.length === 0) return ok(undefined);
    if (x.length > 1) return bad(`expected one user, got a list of ${x.length}`);
    x = x[0];
  }
  if (isObject(x) && Object.keys(x).length === 0) return ok(undefined);
  const p = toUser(x);
  if (!p.ok) return p;
  if (lookAlikeKey(p.value.username) !== lookAlikeKey(asked)) {
    return bad(
      `asked for username ${JSON.stringify(asked)}, got ${JSON.stringify(p.value.username)} ` +
        "(is ?username= supported?)",
    );
  }
  return p;
}

export function toPage<T>(x: unknown, item: (x: unknown) => Parsed<T>): Parsed<T[]> {
  if (!Array.isArray(x)) return bad("a list page is not a JSON array");
  const out: T[] = [];
  for (const el of x) {
    const p = item(el);
    if (!p.ok) return p;
    out.push(p.value);
  }
  return ok(out);
}

export function toDomain(x: unknown): Parsed<LoginTCDomain> {
  if (!isObject(x) || !str(x.id)) return bad("the domain has no id");
  const wrongId = idProblem("the domain", x.id);
  if (wrongId) return bad(wrongId);
  const d: LoginTCDomain = { id: x.id as string, name: str(x.name) ?? "" };
  if (str(x.type) !== undefined) d.type = x.type as string;
  return ok(d);
}

/** {"name":"…"}: what GET /organization answers (docs/logintc-api.md, "What `--doctor` asks"). */
export function toOrganization(x: unknown): Parsed<{ name: string }> {
  if (!isObject(x)) return bad("the organization is not an object");
  return ok({ name: str(x.name) ?? "" });
}

export function toGroup(x: unknown): Parsed<LoginTCGroup> {
  if (!isObject(x) || !str(x.id)) return bad("a group has no id");
  const wrongId = idProblem(`group ${JSON.stringify(str(x.name) ?? "")}`, x.id);
  if (wrongId) return bad(wrongId);
  return ok({ id: x.id as string, name: str(x.name) ?? "" });
}

/**
 * {"state":"pending","code":"…"} or {"state":"active"}
 * (https://www.logintc.com/docs/rest-api/tokens.html); only these two states exist.
 */
export function toToken(x: unknown): Parsed<LoginTCToken> {
  if (!isObject(x)) return bad("the token is not a JSON object");
  if (x.state !== "pending" && x.state !== "active") return bad(`the token state is not pending or active`);
  const t: LoginTCToken = { state: x.state };
  if (str(x.code) !== undefined) t.code = x.code as string;
  return ok(t);
}
