/**
 * The emulator's HTTPS listener (node:https under Deno) and request log.
 *
 * Why node:https and not Deno.serve (measured on Deno 2.9.6, see docs/development.md,
 * "The LoginTC emulator"):
 * - a "drop" fault must close the connection with no response; node gives us the socket
 *   (`socket.destroy()`). Inside Deno.serve, erroring the response stream yields an HTTP/2
 *   stream reset, or on HTTP/1.1 a 200 status followed by a broken body;
 * - Deno.serve over TLS answers bodies above one TLS record (~16 KB, e.g. a page of 100 users)
 *   ~45 ms late (Nagle vs delayed ACK; its TLS sockets have no setNoDelay). node's sockets do:
 *   ~2 ms, so paging 100k users measures the client, not the emulator.
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FaultDecision } from "./faults.ts";
import { type ApiRequest, type ApiResponse, MEDIA_TYPE, problem } from "./http.ts";
import { ApiProblem, ERROR_CODES, errorsBody } from "./problems.ts";

export interface RecordedRequest {
  method: string;
  /** Path as received, including /api (not decoded). */
  path: string;
  query: Record<string, string>;
  /** Lower-case names, every header as received (including authorization, proxy-authorization). */
  headers: Record<string, string>;
  body: string;
  /** 0 until answered, and for a dropped connection. */
  status: number;
  /** Set when a fault rule fired: "drop", "malformed", "status", "latency". */
  fault?: string;
  at: string;
}

export interface ServerDeps {
  tls: { cert: string; key: string };
  hostname: string;
  port: number;
  now: () => Date;
  requests: RecordedRequest[];
  decideFault(method: string, apiPath: string): FaultDecision;
  handle(req: ApiRequest): ApiResponse;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

const API_PREFIX = "/api";

/** rawHeaders keeps what was sent; duplicates are joined the way fetch's Headers joins them. */
function receivedHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    out[name] = name in out ? `${out[name]}, ${raw[i + 1]}` : raw[i + 1];
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (c: Uint8Array) => chunks.push(c));
    req.on("end", () => resolve(new TextDecoder().decode(concat(chunks))));
    req.on("error", reject);
  });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) (out.set(c, at), at += c.length);
  return out;
}

export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const stop = new AbortController();
  const sockets = new Set<Socket>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      stop.signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
    });

  /** Until `hold` settles or the emulator closes, whichever comes first. */
  const held = (hold: Promise<unknown>) =>
    new Promise<void>((resolve) => {
      hold.then(() => resolve(), () => resolve());
      stop.signal.addEventListener("abort", () => resolve(), { once: true });
    });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://emulator.invalid");
    const method = req.method ?? "GET";
    const body = await readBody(req);
    const rec: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: receivedHeaders(req.rawHeaders),
      body,
      status: 0,
      at: deps.now().toISOString(),
    };
    deps.requests.push(rec);
    const apiPath = url.pathname.startsWith(API_PREFIX + "/")
      ? url.pathname.slice(API_PREFIX.length)
      : undefined;
    const decision = deps.decideFault(method, apiPath ?? url.pathname);
    if (decision.rule) rec.fault = decision.action.kind === "none" ? "latency" : decision.action.kind;
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.hold) await held(decision.hold);
    if (stop.signal.aborted) return void req.socket.destroy();
    const reply = respond(decision, method, url, apiPath, body, req);
    if (!reply) return void req.socket.destroy(); // drop: no status line, no bytes
    rec.status = reply.status;
    const bytes = new TextEncoder().encode(reply.body);
    // Always a Content-Length, 0 for the empty 200s (never 204: docs/logintc-api.md).
    res.writeHead(reply.status, { ...reply.headers, "content-length": String(bytes.length) });
    res.end(bytes);
  }

  function respond(
    decision: FaultDecision,
    method: string,
    url: URL,
    apiPath: string | undefined,
    body: string,
    req: IncomingMessage,
  ): ApiResponse | undefined {
    const a = decision.action;
    if (a.kind === "drop") return undefined;
    if (a.kind === "malformed") {
      return { status: 200, headers: { "content-type": MEDIA_TYPE }, body: "<html>Injected malformed body" };
    }
    if (a.kind === "status") {
      const fallback = problem(
        new ApiProblem(a.status, ERROR_CODES.injectedFault, `Injected fault (HTTP ${a.status}).`),
      );
      return {
        status: a.status,
        headers: { ...fallback.headers, ...a.headers },
        body: a.body ?? fallback.body,
      };
    }
    if (apiPath === undefined) {
      return problem(new ApiProblem(404, ERROR_CODES.routeNotFound, "Not found: the API is under /api/."));
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(receivedHeaders(req.rawHeaders))) headers.set(k, v);
    return deps.handle({ method, path: apiPath, query: url.searchParams, headers, body });
  }

  const server = https.createServer({ cert: deps.tls.cert, key: deps.tls.key }, (req, res) => {
    onRequest(req, res).catch((e) => {
      // An emulator bug or a body cut off mid-read: answer like a server error, in the API's format.
      if (res.headersSent || req.socket.destroyed) return void req.socket.destroy();
      res.writeHead(500, { "content-type": MEDIA_TYPE });
      res.end(errorsBody(ERROR_CODES.internal, `Emulator error: ${String(e)}`));
    });
  });
  server.on("connection", (socket: Socket) => socket.setNoDelay(true));
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(deps.port, deps.hostname, () => (server.off("error", reject), resolve()));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : deps.port;

  return {
    port,
    async close() {
      stop.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
