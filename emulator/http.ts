/**
 * The protocol rules every emulator request goes through before routing, as pure functions:
 * the API key header, content negotiation, JSON bodies and page numbers
 * (what LoginTC documents and what we assume of it: docs/logintc-api.md).
 */
import { ApiProblem, ERROR_CODES, errorsBody, invalid } from "./problems.ts";

export const MEDIA_TYPE = "application/vnd.logintc.v1+json";

/** A request as the router sees it (path is the part after /api). */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** "" for the 200-empty answers to DELETE and bodiless PUT (never 204: §2.1 "No 204"). */
  body: string;
}

/**
 * `Authorization: LoginTC key="<64 letters/digits>"` (https://www.logintc.com/docs/rest-api/; the key's
 * shape: docs/logintc-api.md).
 */
const AUTHORIZATION = /^LoginTC key="([0-9A-Za-z]{64})"$/;

export function checkAuthorization(headers: Headers, apiKey: string): void {
  const m = AUTHORIZATION.exec(headers.get("authorization") ?? "");
  // The message never echoes what was sent: it may be a real key.
  if (!m) {
    throw new ApiProblem(
      401,
      ERROR_CODES.unauthorized,
      'Missing or malformed Authorization header; expected LoginTC key="<API key>".',
    );
  }
  if (!sameText(m[1], apiKey)) throw new ApiProblem(401, ERROR_CODES.unauthorized, "Invalid API key.");
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const ACCEPTABLE = new Set([MEDIA_TYPE, "application/json", "*/*"]);

/** Missing Accept, the vendor type, application/json or *\/* are fine; else 406 (§3). */
export function checkAccept(headers: Headers): void {
  const accept = headers.get("accept");
  if (accept === null || accept.trim() === "") return;
  const types = accept.split(",").map((t) => t.split(";")[0].trim().toLowerCase());
  if (types.some((t) => ACCEPTABLE.has(t))) return;
  throw new ApiProblem(406, ERROR_CODES.notAcceptable, `Not acceptable: this API produces ${MEDIA_TYPE}.`);
}

/** Parsed JSON body, or undefined when there is none. Bodies are vendor JSON or application/json. */
export function jsonBody(req: ApiRequest): unknown {
  if (req.body.trim() === "") return undefined;
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== MEDIA_TYPE && type !== "application/json") {
    throw new ApiProblem(
      415,
      ERROR_CODES.unsupportedMediaType,
      `Unsupported Content-Type; send ${MEDIA_TYPE} or application/json.`,
    );
  }
  try {
    return JSON.parse(req.body);
  } catch {
    throw new ApiProblem(400, ERROR_CODES.badRequest, "The request body is not valid JSON.");
  }
}

/** ?page=N, 1-based; missing means 1; 0 or not a number is a 400 (§3). */
export function pageParam(query: URLSearchParams): number {
  const raw = query.get("page");
  if (raw === null) return 1;
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw invalid(`Query parameter "page" must be a positive integer.`);
  return Number(raw);
}

export function json(status: number, value: unknown): ApiResponse {
  return { status, headers: { "content-type": MEDIA_TYPE }, body: JSON.stringify(value) };
}

export function empty(): ApiResponse {
  return { status: 200, headers: {}, body: "" };
}

export function problem(p: ApiProblem, extraHeaders: Record<string, string> = {}): ApiResponse {
  return {
    status: p.status,
    headers: { "content-type": MEDIA_TYPE, ...extraHeaders },
    body: errorsBody(p.code, p.message),
  };
}
