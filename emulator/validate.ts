/**
 * Request-body validation: turns parsed JSON into typed input or throws a 400 ApiProblem
 * naming the field. Rules: username and name 1–128 characters, a valid email
 * (https://www.logintc.com/docs/rest-api/users.html); any non-string field is rejected the same
 * way (an assumption: docs/logintc-api.md).
 */
import type { NotificationBody } from "../src/logintc/extensions.ts";
import { invalid } from "./problems.ts";
import type { NewUserFields, UserFieldChanges } from "./state.ts";
import { isObject, messageOf } from "../src/unknown.ts";

/** `x@y.z`-ish: something, @, something with a dot, no spaces (§3). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX = 128;

function length(s: string): number {
  return [...s].length;
}

function requireObject(body: unknown, what: string): Record<string, unknown> {
  if (!isObject(body)) throw invalid(`The request body must be a JSON object (${what}).`);
  return body;
}

function text(field: string, v: unknown): string {
  if (typeof v !== "string") throw invalid(`Field "${field}" must be a string.`);
  return v;
}

function bounded(field: string, v: unknown): string {
  const s = text(field, v);
  if (length(s) < 1 || length(s) > MAX) throw invalid(`Field "${field}" must be 1-${MAX} characters.`);
  return s;
}

function email(field: string, v: unknown): string {
  const s = text(field, v);
  if (length(s) > 254 || !EMAIL.test(s)) throw invalid(`Field "${field}" must be a valid email address.`);
  return s;
}

export function validateNewUser(body: unknown): NewUserFields {
  const o = requireObject(body, "a user");
  return {
    username: bounded("username", o.username),
    name: bounded("name", o.name),
    email: email("email", o.email),
  };
}

/** PUT /users/{id}: null or absent = unchanged (PHP sends null); usernames cannot change (P update_user). */
export function validateUserChanges(body: unknown): UserFieldChanges {
  const o = requireObject(body, "user changes");
  if ("username" in o) throw invalid(`Field "username" cannot be changed.`);
  const out: UserFieldChanges = {};
  if (o.name !== undefined && o.name !== null) out.name = bounded("name", o.name);
  if (o.email !== undefined && o.email !== null) out.email = email("email", o.email);
  for (const k of ["alias1", "alias2", "alias3"] as const) {
    if (o[k] === undefined || o[k] === null) continue;
    const s = text(k, o[k]);
    if (length(s) > MAX) throw invalid(`Field "${k}" must be at most ${MAX} characters.`);
    out[k] = s;
  }
  return out;
}

export function validateBulkUsers(body: unknown): NewUserFields[] {
  if (!Array.isArray(body)) throw invalid("The request body must be a JSON array of users.");
  return body.map((u, i) => {
    try {
      return validateNewUser(u);
    } catch (e) {
      throw invalid(`Item ${i}: ${messageOf(e)}`);
    }
  });
}

/**
 * Token extension body {"sendEmail": false}; no body means LoginTC emails the code
 * (https://www.logintc.com/docs/guides/admin-panel/).
 */
export function validateTokenBody(body: unknown): { sendEmail: boolean } {
  if (body === undefined) return { sendEmail: true };
  const o = requireObject(body, "token options");
  if (o.sendEmail === undefined) return { sendEmail: true };
  if (typeof o.sendEmail !== "boolean") throw invalid(`Field "sendEmail" must be true or false.`);
  return { sendEmail: o.sendEmail };
}

export function validatePhone(body: unknown): string {
  const o = requireObject(body, "a phone");
  const s = text("number", o.number);
  if (s.trim() === "" || length(s) > 64) throw invalid(`Field "number" must be 1-64 characters.`);
  return s;
}

function usernames(field: string, v: unknown): string[] {
  if (!Array.isArray(v)) throw invalid(`Field "${field}" must be an array of usernames.`);
  return v.map((x) => text(`${field}[]`, x));
}

export function validateNotification(body: unknown): NotificationBody {
  const o = requireObject(body, "a notification");
  return {
    email: email("email", o.email),
    added: usernames("added", o.added),
    removed: usernames("removed", o.removed),
  };
}
