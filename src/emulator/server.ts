/**
 * The emulator's HTTPS listener. TLS is terminated by a Deno.listenTls front that pipes each
 * connection to a loopback Deno.serve; the front is what lets a "drop" fault close the
 * client's connection with no response at all. (Measured on Deno 2.9.6: erroring a response
 * stream inside Deno.serve instead yields an HTTP/2 stream reset, or on HTTP/1.1 a 200 status
 * followed by a broken body — neither is a dropped connection.) The front offers only
 * HTTP/1.1 via ALPN, like the Java client LoginTC's own tooling uses.
 */
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

interface Link {
  outer: Deno.Conn;
  inner: Deno.Conn;
}

function closeQuietly(c: Deno.Conn): void {
  try {
    c.close();
  } catch { /* already closed */ }
}

const API_PREFIX = "/api";

/** Listens at once; a promise so a future readiness check does not change callers. */
export function startServer(deps: ServerDeps): Promise<RunningServer> {
  const stop = new AbortController();
  const links = new Map<number, Link>(); // keyed by the inner connection's local port
  const pumps = new Set<Promise<unknown>>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      stop.signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
    });

  async function onRequest(request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Promise<Response> {
    const link = links.get(info.remoteAddr.port);
    if (!link) return new Response("HTTPS only\n", { status: 403 }); // not through the TLS front
    const url = new URL(request.url);
    const body = await request.text();
    const rec: RecordedRequest = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(request.headers),
      body,
      status: 0,
      at: deps.now().toISOString(),
    };
    deps.requests.push(rec);
    const apiPath = url.pathname.startsWith(API_PREFIX + "/")
      ? url.pathname.slice(API_PREFIX.length)
      : undefined;
    const decision = deps.decideFault(request.method, apiPath ?? url.pathname);
    if (decision.rule) rec.fault = decision.action.kind === "none" ? "latency" : decision.action.kind;
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const reply = respond(decision, request, url, apiPath, body);
    if (!reply) {
      closeQuietly(link.outer);
      closeQuietly(link.inner);
      return new Response(null, { status: 500 }); // never reaches the client: its connection is gone
    }
    rec.status = reply.status;
    return new Response(reply.body === "" ? null : reply.body, {
      status: reply.status,
      headers: reply.headers,
    });
  }

  function respond(
    decision: FaultDecision,
    request: Request,
    url: URL,
    apiPath: string | undefined,
    body: string,
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
    return deps.handle({
      method: request.method,
      path: apiPath,
      query: url.searchParams,
      headers: request.headers,
      body,
    });
  }

  const listener = Deno.listenTls({
    hostname: deps.hostname,
    port: deps.port,
    cert: deps.tls.cert,
    key: deps.tls.key,
    alpnProtocols: ["http/1.1"],
  });

  const inner = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: stop.signal,
    onListen() {},
    // An emulator bug or a body cut off mid-read: answer like a server error, in the API's format.
    onError: (e) =>
      new Response(
        errorsBody(ERROR_CODES.internal, `Emulator error: ${String(e)}`),
        { status: 500, headers: { "content-type": MEDIA_TYPE } },
      ),
  }, (req, info) => onRequest(req, info as Deno.ServeHandlerInfo<Deno.NetAddr>));

  async function accept(): Promise<void> {
    for await (const outer of listener) {
      let innerConn: Deno.Conn;
      try {
        innerConn = await Deno.connect({ hostname: "127.0.0.1", port: inner.addr.port });
      } catch {
        closeQuietly(outer);
        continue;
      }
      const port = (innerConn.localAddr as Deno.NetAddr).port;
      links.set(port, { outer, inner: innerConn });
      const pump: Promise<unknown> = Promise.allSettled([
        outer.readable.pipeTo(innerConn.writable),
        innerConn.readable.pipeTo(outer.writable),
      ]).then(() => {
        links.delete(port);
        pumps.delete(pump);
      });
      pumps.add(pump);
    }
  }
  const accepting = accept().catch(() => {/* listener closed */});

  return Promise.resolve({
    port: (listener.addr as Deno.NetAddr).port,
    async close() {
      listener.close();
      await accepting;
      for (const l of links.values()) {
        closeQuietly(l.outer);
        closeQuietly(l.inner);
      }
      await Promise.allSettled([...pumps]);
      stop.abort();
      await inner.finished;
    },
  });
}
