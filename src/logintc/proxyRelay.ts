/**
 * A loopback CONNECT relay that keeps the proxy password away from LoginTC Admin, and that only
 * this run can use.
 *
 * Why a relay: Deno 2.9.6 fetch, given an http:// proxy with credentials (createHttpClient
 * basicAuth, userinfo in the proxy URL, or HTTPS_PROXY=http://user:pass@…), sends
 * `Proxy-Authorization: Basic …` to the proxy on CONNECT *and again inside the TLS tunnel to the
 * destination* (ext/fetch `Proxies::http_forward_auth` checks only that the proxy URL is http://,
 * not that the request is). LoginTC Admin would receive the proxy password. Measured:
 * docs/development.md, "Deno's fetch and proxies"; the first test of
 * tests/integration/logintc/proxy_test.ts proves Deno still does it. So fetch never holds the
 * proxy's credentials: the relay adds `Proxy-Authorization` to the CONNECT it sends to the real
 * proxy (RFC 9110 §9.3.6 CONNECT, §11.7.1 Proxy-Authorization: hop-by-hop, for the proxy only),
 * relays the proxy's answer, and after a 2xx pipes bytes both ways. TLS to LoginTC stays end to end
 * between fetch and LoginTC (the relay sees ciphertext only).
 *
 * Why only this run: any local process can connect to a loopback port, and a relay that tunnelled
 * for anyone would lend the configured proxy credentials to every local user. The relay speaks
 * TLS with a certificate made for this run (./relayCertificate.ts; the client trusts it) and
 * demands a per-run secret as the proxy credentials of each CONNECT. Deno sends the credentials
 * of an https:// proxy on the CONNECT only (`http_forward_auth` is for http:// proxies), so this
 * secret never reaches LoginTC either.
 *
 * Why a local process cannot starve it: a connection that has not authenticated holds no tunnel
 * slot. It must finish TLS and send an authenticated CONNECT within a few seconds; when too many
 * are waiting, the oldest waiting one is dropped to admit the newest, so new connections are never
 * refused. A refused or unauthenticated attempt never touches the real proxy, and never becomes
 * the failure a run reports.
 *
 * Guards: listens on 127.0.0.1 only, on a port the OS picks; accepts only CONNECT, only to the
 * configured LoginTC host:port; bounded request head, head-read timeouts and tunnel count;
 * close() ends the listener and every open connection.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { withTimeout } from "../timers.ts";
import { messageOf } from "../unknown.ts";
import { basicCredentials } from "./proxy.ts";
import { makeRelayIdentity } from "./relayCertificate.ts";
import {
  normHost,
  parseConnectLine,
  pipeBothWays,
  proxyAuthorization,
  readConnHead,
  readHead,
  writeAll,
} from "./tunnelIo.ts";

export interface RelayOptions {
  /** The real proxy. */
  proxyHost: string;
  proxyPort: number;
  /** Sent to the real proxy only. */
  username: string;
  password: string;
  /** The only CONNECT target allowed (the LoginTC host as it appears in the API URL). */
  targetHost: string;
  targetPort: number;
  /** Tunnels open at once (the sync runs requests concurrently). Default 64. */
  maxTunnels?: number;
  /** Connections waiting to authenticate before the oldest is dropped. Default 256. */
  maxWaiting?: number;
  /** Time a new connection has for TLS and an authenticated CONNECT. Default 5 s. */
  authTimeoutMs?: number;
  /** Time the real proxy has to answer a CONNECT. Default 30 s. */
  headTimeoutMs?: number;
  /** For the certificate's validity. Default: the system clock. */
  now?: () => Date;
}

/**
 * Why the last tunnel could not be opened (what Deno's error cannot tell us). The request whose
 * fetch failed takes it; with concurrent requests another failing one may take it instead, which
 * is harmless: they failed on the same proxy. Only an authenticated CONNECT (this run's) sets it.
 */
export type RelayFailure =
  | { kind: "rejected"; status: number; statusLine: string }
  | { kind: "unreachable"; reason: string }
  | { kind: "refused-target"; target: string };

export interface ProxyRelay {
  /** The relay's certificate, to add to the client's trusted CAs. */
  certPem: string;
  /** This run's secret (to keep out of messages, like the proxy password). */
  secret: string;
  /**
   * Once the relay listens: its port, and the relay as a Deno.Proxy (an https:// proxy with this
   * run's credentials) for Deno.createHttpClient. Rejects when it cannot listen.
   */
  listening: Promise<{ port: number; proxy: Deno.Proxy }>;
  /** Returns and forgets the most recent upstream failure (a successful tunnel also forgets it). */
  takeFailure(): RelayFailure | undefined;
  /** How many tunnels the real proxy accepted (for tests and diagnostics). */
  tunnels(): number;
  /** How many connections were turned away without a tunnel: unauthenticated, dropped or late. */
  turnedAway(): number;
  close(): Promise<void>;
}

/** The user name of the relay's per-run credentials (the password is the secret). */
const RELAY_USER = "logintc-sync";
const enc = new TextEncoder();

/** Compares in time independent of where they differ. */
function sameSecret(given: string | undefined, expected: string): boolean {
  const a = enc.encode(given ?? "");
  const b = enc.encode(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A new per-run secret: 32 random bytes, base64url. */
function newSecret(): string {
  return btoa(String.fromCharCode(...randomBytes(32))).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

export function startProxyRelay(opts: RelayOptions): ProxyRelay {
  const identity = makeRelayIdentity((opts.now ?? (() => new Date()))());
  const secret = newSecret();
  const expected = `Basic ${basicCredentials(RELAY_USER, secret)}`;
  const secureContext = tls.createSecureContext({ cert: identity.certPem, key: identity.keyPem });
  const maxTunnels = opts.maxTunnels ?? 64;
  const maxWaiting = opts.maxWaiting ?? 256;
  const authTimeoutMs = opts.authTimeoutMs ?? 5_000;
  const headTimeoutMs = opts.headTimeoutMs ?? 30_000;
  const target = { host: normHost(opts.targetHost), port: opts.targetPort };
  const authority = `${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
  /** Every socket, to destroy on close(). */
  const sockets = new Set<net.Socket>();
  /** Every connection to the real proxy, to close on close(). */
  const upstreams = new Set<Deno.Conn>();
  /** Connections that have not authenticated yet, oldest first, with their deadline timers. */
  const waiting = new Map<net.Socket, ReturnType<typeof setTimeout>>();
  /** Timers that end a connection after its last answer. */
  const lingering = new Set<ReturnType<typeof setTimeout>>();
  let active = 0;
  let failure: RelayFailure | undefined;
  let tunnels = 0;
  let turnedAway = 0;

  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
    s.on("error", () => s.destroy()); // a broken connection ends this tunnel only
  };
  /** Stops waiting for `raw`; false when it was no longer waiting (dropped, or its time ran out). */
  const stopWaiting = (raw: net.Socket) => {
    const timer = waiting.get(raw);
    if (timer === undefined) return false;
    clearTimeout(timer);
    waiting.delete(raw);
    return true;
  };
  const turnAway = (raw: net.Socket) => {
    if (stopWaiting(raw)) turnedAway++;
    raw.destroy();
  };
  const reply = (s: net.Socket, statusLine: string, extra = "") =>
    s.end(`${statusLine}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`);

  const server = net.createServer((raw) => {
    // Never refuse a new connection: drop the oldest one still waiting to authenticate instead.
    if (waiting.size >= maxWaiting) turnAway(waiting.keys().next().value!);
    track(raw);
    // Without TLS and an authenticated CONNECT in time, the raw socket is destroyed: this also
    // ends a TLS handshake that never completes.
    waiting.set(raw, setTimeout(() => turnAway(raw), authTimeoutMs));
    const client = new tls.TLSSocket(raw, { isServer: true, secureContext });
    track(client);
    void handle(raw, client);
  });

  async function handle(raw: net.Socket, client: tls.TLSSocket): Promise<void> {
    let head: string, rest: Uint8Array;
    try {
      ({ head, rest } = await readHead(client));
    } catch {
      return turnAway(raw); // no TLS, no head in time, or dropped
    }
    if (!stopWaiting(raw)) return; // dropped, or its time ran out meanwhile
    if (!sameSecret(proxyAuthorization(head), expected)) {
      turnedAway++;
      // An answer, then the end: nothing else is read from it.
      reply(
        client,
        "HTTP/1.1 407 Proxy Authentication Required",
        'Proxy-Authenticate: Basic realm="logintc-sync relay"\r\n',
      );
      const timer = setTimeout(() => raw.destroy(), 1_000);
      lingering.add(timer);
      raw.once("close", () => (clearTimeout(timer), lingering.delete(timer)));
      return;
    }
    if (active >= maxTunnels) return void reply(client, "HTTP/1.1 503 Service Unavailable");
    active++;
    client.once("close", () => active--);
    const req = parseConnectLine(head.split("\r\n")[0]);
    if (!req) return void reply(client, "HTTP/1.1 405 Method Not Allowed");
    if (req.host !== target.host || req.port !== target.port) {
      failure = { kind: "refused-target", target: `${req.host}:${req.port}` };
      return void reply(client, "HTTP/1.1 403 Forbidden");
    }
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: opts.proxyHost, port: opts.proxyPort });
    } catch (e) {
      failure = { kind: "unreachable", reason: messageOf(e) };
      return void reply(client, "HTTP/1.1 502 Bad Gateway");
    }
    const up = upstream;
    const closeUp = () => {
      try {
        up.close();
      } catch { /* closed */ }
    };
    upstreams.add(up);
    client.once("close", () => (closeUp(), upstreams.delete(up)));
    try {
      await writeAll(
        up,
        enc.encode(
          `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n` +
            `Proxy-Authorization: Basic ${basicCredentials(opts.username, opts.password)}\r\n\r\n`,
        ),
      );
      const answer = await withTimeout(readConnHead(up), headTimeoutMs, "no answer from the proxy in time");
      const statusLine = answer.head.split("\r\n")[0];
      const status = Number(statusLine.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] ?? 0);
      if (status < 200 || status > 299) {
        failure = { kind: "rejected", status, statusLine };
        closeUp();
        // Only the status line goes back: its body is the proxy's, and Deno reads just the head.
        return void reply(client, statusLine || "HTTP/1.1 502 Bad Gateway");
      }
      failure = undefined;
      tunnels++;
      client.write("HTTP/1.1 200 Connection established\r\n\r\n");
      if (answer.rest.length) client.write(answer.rest);
      if (rest.length) await writeAll(up, rest);
    } catch (e) {
      failure = { kind: "unreachable", reason: messageOf(e) };
      closeUp();
      return void reply(client, "HTTP/1.1 502 Bad Gateway");
    }
    // TLS to LoginTC, end to end, from here on: the relay passes ciphertext both ways.
    pipeBothWays(client, up);
  }

  const listening = new Promise<{ port: number; proxy: Deno.Proxy }>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const port = (server.address() as net.AddressInfo).port;
      const url = `https://127.0.0.1:${port}`;
      resolve({ port, proxy: { url, basicAuth: { username: RELAY_USER, password: secret } } });
    });
  });
  listening.catch(() => undefined); // whoever awaits it sees the error

  return {
    certPem: identity.certPem,
    secret,
    listening,
    takeFailure() {
      const f = failure;
      failure = undefined;
      return f;
    },
    tunnels: () => tunnels,
    turnedAway: () => turnedAway,
    async close() {
      for (const timer of [...waiting.values(), ...lingering]) clearTimeout(timer);
      waiting.clear();
      lingering.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      sockets.clear();
      for (const c of upstreams) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      upstreams.clear();
      await closed;
    },
  };
}
