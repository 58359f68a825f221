/**
 * The emulator's error responses. LoginTC answers every non-2xx status with
 * {"errors":[{"code","message"}]} and the official clients read only errors[0] (docs/logintc-api.md).
 * Only api.error.notfound.token is a confirmed code; the others are assumed (docs/logintc-api.md),
 * named in LoginTC's dotted style. Extension codes come from src/logintc/extensions.ts.
 */
import { EXTENSION_ERROR_CODES } from "../src/logintc/extensions.ts";

export const ERROR_CODES = {
  unauthorized: "api.error.unauthorized",
  notAcceptable: "api.error.notacceptable",
  unsupportedMediaType: "api.error.unsupportedmediatype",
  badRequest: "api.error.badrequest",
  validation: "api.error.validation",
  duplicateUsername: "api.error.duplicate.username",
  routeNotFound: "api.error.notfound",
  methodNotAllowed: "api.error.methodnotallowed",
  userNotFound: "api.error.notfound.user",
  domainNotFound: "api.error.notfound.domain",
  /** Confirmed by the official Java and Python clients' tests (docs/logintc-api.md). */
  tokenNotFound: "api.error.notfound.token",
  hardwareNotFound: "api.error.notfound.hardware",
  groupNotFound: EXTENSION_ERROR_CODES.groupNotFound,
  administratorNotFound: EXTENSION_ERROR_CODES.administratorNotFound,
  injectedFault: "emulator.fault",
  internal: "api.error.internal",
} as const;

/** Thrown by the model and the routes; turned into an errors body by the router. */
export class ApiProblem extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = "ApiProblem";
  }
}

export function errorsBody(code: string, message: string): string {
  return JSON.stringify({ errors: [{ code, message }] });
}

export const notFound = {
  user: (id: string) =>
    new ApiProblem(404, ERROR_CODES.userNotFound, `User ${JSON.stringify(id)} not found.`),
  domain: (id: string) =>
    new ApiProblem(404, ERROR_CODES.domainNotFound, `Domain ${JSON.stringify(id)} not found.`),
  token: () => new ApiProblem(404, ERROR_CODES.tokenNotFound, "No token loaded for user."),
  hardware: () => new ApiProblem(404, ERROR_CODES.hardwareNotFound, "No hardware token for user."),
  group: (id: string) =>
    new ApiProblem(404, ERROR_CODES.groupNotFound, `Group ${JSON.stringify(id)} not found.`),
};

export function invalid(message: string): ApiProblem {
  return new ApiProblem(400, ERROR_CODES.validation, message);
}
