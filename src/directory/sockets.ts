/**
 * The LDAP client's TCP and TLS sockets, with Nagle's algorithm off (TCP_NODELAY).
 *
 * Why: LDAP is strictly request/response with small messages. Through node:tls a request can leave
 * as two TCP segments; with Nagle's algorithm (RFC 896) the second waits for the ACK of the first,
 * which the server's delayed ACK (RFC 1122 §4.2.3.2; 40 ms on Linux) holds back: a stall on every
 * connection (docs/development.md, Performance, "The LDAPS start"). OpenLDAP's own client library sets
 * TCP_NODELAY on its sockets too.
 */
import net from "node:net";
import tls from "node:tls";
import type { ClientOptions } from "ldapts";

type Connections = Required<Pick<ClientOptions, "createConnection" | "createSecureConnection">>;

export const noDelayConnections: Connections = {
  // ldapts calls these as net.connect(port, host) and tls.connect(port, host, options) or, for
  // StartTLS, tls.connect({ socket, … }); the plain socket under StartTLS comes from the first.
  createConnection:
    ((...args: Parameters<typeof net.connect>) =>
      net.connect(...args).setNoDelay(true)) as typeof net.connect,
  createSecureConnection: ((...args: Parameters<typeof tls.connect>) => {
    const socket = (tls.connect as (...a: unknown[]) => tls.TLSSocket)(...args);
    socket.setNoDelay(true);
    return socket;
  }) as typeof tls.connect,
};
