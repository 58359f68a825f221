/**
 * The LoginTC Admin API client: LoginTCApi (./api.ts) over HTTPS with fetch and a
 * Deno.HttpClient. Paths and semantics: docs/logintc-api.md; extensions: ./extensions.ts.
 *
 * I/O stays at the edge: the config carries ca_file's PEM text (read once at config load), and
 * sleep/clock/random are injected.
 */
import { ConfigError } from "../errors.ts";
import { redactor } from "../output/redact.ts";
import type { LoginTCConfig, LoginTCUser } from "../types.ts";
import type { LoginTCApi, UserChanges } from "./api.ts";
import { EXTENSION_ERROR_CODES, EXTENSION_PATHS } from "./extensions.ts";
import { badResponse, domainNotFound, httpError, parseErrorBody } from "./failures.ts";
import { createTransport, shownPath } from "./http.ts";
import { PATHS } from "./paths.ts";
import type { Reply, RequestSpec } from "./http.ts";
import { readListing } from "./listing.ts";
import { clearProxyVariables } from "./proxy.ts";
import { setUpRoute } from "./route.ts";
import { createUserOnce } from "./createUser.ts";
import {
  parseJson,
  toDomain,
  toFoundUser,
  toGroup,
  toOrganization,
  toPage,
  toToken,
  toUser,
} from "./parse.ts";
import type { Parsed } from "./parse.ts";
import { DEFAULT_RETRY } from "./retry.ts";
import type { RetryPolicy } from "./retry.ts";
import { sleep } from "../timers.ts";
import { messageOf } from "../unknown.ts";

export interface ClientDeps {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Per request, body included. Default 30 s. */
  timeoutMs?: number;
  /** The most of a body read (default src/logintc/http.ts MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * Environment lookup for HTTPS_PROXY & co.: the variables main.ts took from the process
   * (src/logintc/proxy.ts takeProxyVariables). Default Deno.env.get.
   */
  env?: (name: string) => string | undefined;
}

export type LoginTCClient = LoginTCApi & {
  /** Closes the HTTP client and the proxy relay. Await it before the process ends. */
  close(): Promise<void>;
};

/** Answers to a probe GET that say something about a path, rather than fail the run. */
const PROBE_STATUSES = [400, 403, 404, 405, 500, 501] as const;

export { targetOf } from "./proxy.ts";

export function createLoginTCClient(config: LoginTCConfig, deps: ClientDeps = {}): LoginTCClient {
  const { info: route, proxyOption, caPems, relay, secrets } = setUpRoute(
    config,
    deps.env ?? ((n) => Deno.env.get(n)),
  );
  const redact = redactor([config.apiKey, ...secrets]);
  const caCerts = [...(config.caPem ? [config.caPem] : []), ...caPems];
  const options = (proxy: Deno.Proxy | undefined): Deno.CreateHttpClientOptions => ({
    caCerts: caCerts.length > 0 ? caCerts : undefined,
    proxy,
  });
  let direct: Deno.HttpClient;
  try {
    // The route above is the one resolution of the proxy: Deno must not read a proxy variable of
    // its own (src/logintc/proxy.ts), whoever created this client.
    clearProxyVariables(Deno.env);
    // Made now, also with the relay, so a bad ca_file fails here rather than at the first request.
    direct = Deno.createHttpClient(options(proxyOption));
  } catch (e) {
    void relay?.close();
    throw new ConfigError([
      redact(`[logintc] cannot set up HTTPS (ca_file or proxy): ${messageOf(e)}`),
    ]);
  }
  // Through the relay: a client for it once it listens (src/logintc/proxyRelay.ts).
  const httpClient: Promise<Deno.HttpClient> = relay
    ? relay.listening.then(({ proxy }) => {
      direct.close();
      return Deno.createHttpClient(options(proxy));
    })
    : Promise.resolve(direct);
  httpClient.catch(() => undefined); // a request that awaits it reports the error
  const transport = createTransport({
    host: config.host,
    apiKey: config.apiKey,
    client: httpClient,
    relay,
    route,
    timeoutMs: deps.timeoutMs ?? 30_000,
    maxBodyBytes: deps.maxBodyBytes,
    retry: { ...DEFAULT_RETRY, ...deps.retry },
    sleep: deps.sleep ?? sleep,
    now: deps.now ?? Date.now,
    random: deps.random ?? Math.random,
    redact,
  });

  /** Parses a 2xx body, or throws naming the request. */
  function read<T>(spec: RequestSpec, reply: Reply, parse: (x: unknown) => Parsed<T>): T {
    const json = parseJson(reply.text);
    const p = json.ok ? parse(json.value) : json;
    if (!p.ok) throw badResponse(spec.method, shownPath(spec), reply.status, p.problem, redact);
    return p.value;
  }

  async function call<T>(spec: RequestSpec, parse: (x: unknown) => Parsed<T>): Promise<T> {
    return read(spec, await transport.request(spec), parse);
  }

  /** GET path?page=1.. until the listing ends (./listing.ts). */
  function readAll<T extends { id: string }>(
    path: string,
    item: (x: unknown) => Parsed<T>,
    loose = false,
  ): Promise<T[]> {
    const spec = (page: number): RequestSpec => ({
      method: "GET",
      path,
      query: { page },
      allow: page > 1 ? [404] : [],
    });
    return readListing({
      loose,
      async page(page) {
        const reply = await transport.request(spec(page));
        return reply.status === 404 ? undefined : read(spec(page), reply, (x) => toPage(x, item));
      },
      fail: (page, status, problem) => badResponse("GET", shownPath(spec(page)), status, problem, redact),
    });
  }

  async function findUserByUsername(username: string): Promise<LoginTCUser | undefined> {
    // 404 with any error code is "no such user" (LoginTC's codes are not documented).
    const spec: RequestSpec = { method: "GET", path: PATHS.users, query: { username }, allow: [404] };
    const reply = await transport.request(spec);
    if (reply.status === 404) return undefined;
    return read(spec, reply, (x) => toFoundUser(x, username));
  }

  /** Bodiless, result ignored: any 2xx body (empty, not JSON) is fine. */
  async function send(spec: RequestSpec): Promise<Reply> {
    return await transport.request(spec);
  }

  return {
    async ping() {
      await send({ method: "GET", path: PATHS.ping });
    },
    getOrganization: () => call({ method: "GET", path: PATHS.organization }, toOrganization),
    async getDomain(domainId) {
      const spec: RequestSpec = { method: "GET", path: PATHS.domain(domainId), allow: [404] };
      const reply = await transport.request(spec);
      if (reply.status === 404) {
        throw domainNotFound(domainId, {
          method: "GET",
          path: `/api${spec.path}`,
          status: 404,
          body: reply.text,
          attempts: 1,
        }, redact);
      }
      return read(spec, reply, toDomain);
    },
    listDomainMembers: (domainId, opts) => readAll(PATHS.domainMembers(domainId), toUser, opts?.loose),
    async firstPage(path) {
      const spec: RequestSpec = { method: "GET", path, query: { page: 1 } };
      return read(spec, await transport.request(spec), (x) => toPage(x, toUser));
    },
    async probe(path) {
      const spec: RequestSpec = { method: "GET", path, allow: [...PROBE_STATUSES] };
      return (await transport.request(spec)).status;
    },
    listUsersPage: (page) =>
      call({ method: "GET", path: PATHS.users, query: { page } }, (x) => toPage(x, toUser)),
    findUserByUsername,
    async getUser(userId) {
      const spec: RequestSpec = { method: "GET", path: PATHS.user(userId), allow: [404] };
      const reply = await transport.request(spec);
      return reply.status === 404 ? undefined : read(spec, reply, toUser);
    },
    createUser: (user) => createUserOnce({ call, findUserByUsername }, user),
    updateUser(userId, changes: UserChanges) {
      const body: Record<string, string> = {};
      for (const [k, v] of Object.entries(changes)) if (v !== undefined) body[k] = v;
      return call({ method: "PUT", path: PATHS.user(userId), body }, toUser);
    },
    async deleteUser(userId) {
      await send({ method: "DELETE", path: PATHS.user(userId), allow: [404] });
    },
    async addDomainMember(domainId, userId) {
      await send({ method: "PUT", path: PATHS.domainMember(domainId, userId) });
    },
    async removeDomainMember(domainId, userId) {
      await send({ method: "DELETE", path: PATHS.domainMember(domainId, userId), allow: [404] });
    },
    issueToken(domainId, userId, opts) {
      // The public call is bodiless and LoginTC emails the code; {"sendEmail": false} is the
      // ASSUMED extension for issue_token_without_email (./extensions.ts).
      const body = opts.sendEmail ? undefined : { sendEmail: false };
      return call({ method: "PUT", path: PATHS.token(domainId, userId), body }, toToken);
    },
    // The three revocations are public (the official clients' delete_user_token, delete_bypass_codes,
    // disassociate_hardware_token: docs/logintc-api.md). A 404 means there is nothing to revoke.
    async revokeToken(domainId, userId) {
      await send({ method: "DELETE", path: PATHS.token(domainId, userId), allow: [404] });
    },
    async deleteBypassCodes(userId) {
      await send({ method: "DELETE", path: PATHS.bypassCodes(userId), allow: [404] });
    },
    async removeHardwareToken(userId) {
      await send({ method: "DELETE", path: PATHS.hardware(userId), allow: [404] });
    },
    listGroups: () => readAll(EXTENSION_PATHS.groups, toGroup),
    async addGroupMember(groupId, userId) {
      await send({ method: "PUT", path: EXTENSION_PATHS.groupMember(groupId, userId) });
    },
    addPhone(userId, number) {
      // Adding a known number is a no-op (./extensions.ts), so a retry is safe.
      const spec: RequestSpec = {
        method: "POST",
        path: EXTENSION_PATHS.userPhones(userId),
        body: { number },
      };
      return call({ ...spec, idempotent: true }, toUser);
    },
    async notifyAdministrator(body) {
      // Not idempotent and nothing to look up: retried only where LoginTC says it did nothing.
      const spec: RequestSpec = { method: "POST", path: EXTENSION_PATHS.notifications, body, allow: [404] };
      const reply = await transport.request(spec);
      if (reply.status !== 404) return "sent";
      const { code } = parseErrorBody(reply.text);
      if (code === EXTENSION_ERROR_CODES.administratorNotFound) return "not-an-administrator";
      throw httpError({
        method: "POST",
        path: `/api${spec.path}`,
        status: 404,
        body: reply.text,
        attempts: 1,
      }, redact);
    },
    async close() {
      (await httpClient.catch(() => direct)).close();
      await relay?.close();
    },
  };
}
