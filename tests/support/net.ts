/** Loopback port helpers shared by the server fixtures. */

/** Asks the OS for a free loopback port (listen on 0, read it, close). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Whether something accepts TCP connections on host:port (default 127.0.0.1; readiness polling). */
export async function portOpen(port: number, hostname = "127.0.0.1"): Promise<boolean> {
  try {
    const c = await Deno.connect({ hostname, port });
    c.close();
    return true;
  } catch {
    return false;
  }
}
