/**
 * The emulator's HTTP surface: a table of (method, path pattern) → handler over EmulatorState,
 * plus auth, Accept and error mapping. Pure: a request in, a response out; no sockets.
 * Public routes: docs/logintc-api.md; extensions: src/logintc/extensions.ts.
 */
import { EXTENSION_PATHS } from "../src/logintc/extensions.ts";
import {
  type ApiRequest,
  type ApiResponse,
  checkAccept,
  checkAuthorization,
  empty,
  json,
  jsonBody,
  pageParam,
  problem,
} from "./http.ts";
import type { Administrators } from "./administrators.ts";
import { ApiProblem, ERROR_CODES } from "./problems.ts";
import { type EmulatorState, pageOf, type UserFieldChanges } from "./state.ts";
import {
  validateBulkUsers,
  validateNewUser,
  validateNotification,
  validatePhone,
  validateTokenBody,
  validateUserChanges,
} from "./validate.ts";

export interface RouteContext {
  state: EmulatorState;
  administrators: Administrators;
  apiKey: string;
  pageSize: number;
  /** "public": extension routes do not exist (./mod.ts EmulatorOptions.api). */
  api: "extended" | "public";
}

type Params = Record<string, string>;
type Handler = (ctx: RouteContext, req: ApiRequest, p: Params) => ApiResponse;

interface Route {
  segments: string[];
  methods: Record<string, Handler>;
  /** An ASSUMED extension (src/logintc/extensions.ts): absent from a public-only LoginTC. */
  extension?: boolean;
}

/** Placeholders that pass through encodeURIComponent unchanged, to reuse extensions.ts's path builders. */
const G = "__groupId__";
const U = "__userId__";

function route(path: string, methods: Record<string, Handler>, extension = false): Route {
  return { segments: path.split("/").slice(1), methods, extension };
}

/** PUT /users/{id}: a public-only LoginTC knows name and email; other fields are silently dropped. */
function publicChanges(changes: UserFieldChanges): UserFieldChanges {
  const out: UserFieldChanges = {};
  if (changes.name !== undefined) out.name = changes.name;
  if (changes.email !== undefined) out.email = changes.email;
  return out;
}

const ROUTES: Route[] = [
  route("/ping", { GET: () => json(200, { status: "OK" }) }),
  route("/organization", { GET: (c) => json(200, c.state.organization()) }),
  route("/users", {
    GET: (c, req) => {
      const username = req.query.get("username");
      if (username !== null) return json(200, c.state.findByUsername(username));
      return json(200, c.state.userPage(pageParam(req.query), c.pageSize));
    },
    POST: (c, req) => json(200, c.state.createUser(validateNewUser(jsonBody(req)))),
  }),
  route(`/users/${U}`, {
    GET: (c, _req, p) => json(200, c.state.getUser(p[U])),
    PUT: (c, req, p) => {
      c.state.getUser(p[U]); // 404 before 400: the resource must exist first
      const changes = validateUserChanges(jsonBody(req));
      return json(200, c.state.updateUser(p[U], c.api === "public" ? publicChanges(changes) : changes));
    },
    DELETE: (c, _req, p) => (c.state.deleteUser(p[U]), empty()),
  }),
  route(`/users/${U}/bypasscodes`, {
    DELETE: (c, _req, p) => (c.state.deleteBypassCodes(p[U]), empty()),
  }),
  route(`/users/${U}/hardware`, {
    DELETE: (c, _req, p) => (c.state.removeHardware(p[U]), empty()),
  }),
  route(EXTENSION_PATHS.userPhones(U), {
    POST: (c, req, p) => {
      c.state.getUser(p[U]);
      return json(200, c.state.addPhone(p[U], validatePhone(jsonBody(req))));
    },
  }, true),
  route("/domains/:domainId", { GET: (c, _req, p) => json(200, c.state.domain(p.domainId)) }),
  route("/domains/:domainId/users", {
    GET: (c, req, p) => json(200, c.state.members.page(p.domainId, pageParam(req.query), c.pageSize)),
    PUT: (c, req, p) => {
      c.state.domain(p.domainId);
      return (c.state.members.set(p.domainId, validateBulkUsers(jsonBody(req))), empty());
    },
  }),
  route(`/domains/:domainId/users/${U}`, {
    GET: (c, _req, p) => json(200, c.state.members.get(p.domainId, p[U])),
    PUT: (c, _req, p) => (c.state.members.add(p.domainId, p[U]), empty()),
    DELETE: (c, _req, p) => (c.state.members.remove(p.domainId, p[U]), empty()),
  }),
  route(`/domains/:domainId/users/${U}/token`, {
    GET: (c, _req, p) => json(200, c.state.tokens.get(p.domainId, p[U])),
    PUT: (c, req, p) => {
      c.state.members.get(p.domainId, p[U]);
      // The public call has no body: a public-only LoginTC ignores one and emails the code.
      const { sendEmail } = c.api === "public" ? { sendEmail: true } : validateTokenBody(jsonBody(req));
      return json(200, c.state.tokens.issue(p.domainId, p[U], sendEmail));
    },
    DELETE: (c, _req, p) => (c.state.tokens.revoke(p.domainId, p[U]), empty()),
  }),
  route(EXTENSION_PATHS.groups, {
    GET: (c, req) => json(200, pageOf(c.state.groups.list(), pageParam(req.query), c.pageSize)),
  }, true),
  route(EXTENSION_PATHS.groupMember(G, U), {
    PUT: (c, _req, p) => (c.state.groups.addMember(p[G], p[U]), empty()),
    DELETE: (c, _req, p) => (c.state.groups.removeMember(p[G], p[U]), empty()),
  }, true),
  route(EXTENSION_PATHS.notifications, {
    POST: (c, req) => (c.administrators.notify(validateNotification(jsonBody(req))), empty()),
  }, true),
];

function isParam(segment: string): boolean {
  return segment.startsWith(":") || segment === G || segment === U;
}

function matchRoute(path: string, api: RouteContext["api"]): { route: Route; params: Params } | undefined {
  const parts = path.split("/").slice(1);
  for (const r of ROUTES) {
    if (r.extension && api === "public") continue;
    if (r.segments.length !== parts.length) continue;
    const params: Params = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = r.segments[i];
      if (isParam(seg)) {
        let value: string;
        try {
          value = decodeURIComponent(parts[i]);
        } catch {
          return undefined;
        }
        if (value === "") ok = false;
        params[seg.startsWith(":") ? seg.slice(1) : seg] = value;
      } else if (seg !== parts[i]) ok = false;
    }
    if (ok) return { route: r, params };
  }
  return undefined;
}

/** Handles one request under /api (path without the /api prefix). Never throws for ApiProblem. */
export function handleApi(ctx: RouteContext, req: ApiRequest): ApiResponse {
  try {
    checkAuthorization(req.headers, ctx.apiKey);
    checkAccept(req.headers);
    const found = matchRoute(req.path, ctx.api);
    if (!found) throw new ApiProblem(404, ERROR_CODES.routeNotFound, "No such API resource.");
    const handler = found.route.methods[req.method.toUpperCase()];
    if (!handler) {
      const allow = Object.keys(found.route.methods).join(", ");
      return problem(
        new ApiProblem(405, ERROR_CODES.methodNotAllowed, `Method ${req.method} not allowed; use ${allow}.`),
        { allow },
      );
    }
    return handler(ctx, req, found.params);
  } catch (e) {
    if (e instanceof ApiProblem) return problem(e);
    throw e;
  }
}
