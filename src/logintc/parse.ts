/**
 * Reads LoginTC's JSON answers into our types, checking only what we rely on. Pure. A shape
 * problem returns a short description (the caller wraps it in a LoginTCError naming the request).
 */
import type { LoginTCGroup, LoginTCToken, LoginTCUser } from "../types.ts";
import type { LoginTCDomain } from "./api.ts";

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

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const str = (x: unknown): string | undefined => typeof x === "string" ? x : undefined;
const strings = (x: unknown): string[] | undefined =>
  Array.isArray(x) && x.every((s) => typeof s === "string") ? x as string[] : undefined;

/** A user object: id and username are required; the rest default as the Java client expects. */
export function toUser(x: unknown): Parsed<LoginTCUser> {
  if (!isObject(x)) return bad("a user is not a JSON object");
  const id = str(x.id);
  const username = str(x.username);
  if (!id || username === undefined) return bad("a user has no id or username");
  const user: LoginTCUser = {
    id,
    username,
    name: str(x.name) ?? "",
    email: str(x.email) ?? "",
    domains: strings(x.domains) ?? [],
    hardware: str(x.hardware) ?? "",
  };
  const bypass = strings(x.bypasscodes);
  if (bypass) user.bypasscodes = bypass;
  for (const k of ["alias1", "alias2", "alias3"] as const) {
    const v = str(x[k]);
    if (v !== undefined) user[k] = v;
  }
  const phones = strings(x.phones);
  if (phones) user.phones = phones;
  const groups = strings(x.groups);
  if (groups) user.groups = groups;
  return ok(user);
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
