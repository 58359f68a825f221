/**
 * A TLS server on loopback with an expired certificate from a throwaway PKI, counting the bytes a
 * client sends it: for the certificate-only connections of the TLS probe (src/tls/probe.ts), which
 * must send nothing.
 */
import tls from "node:tls";
import { makeCertVariant, makeTestPki } from "./certs.ts";

/** Runs `connect(port)` against the server, waits for the connection to close, and returns the bytes received. */
export async function bytesReceivedBy(
  prefix: string,
  connect: (port: number) => Promise<void>,
): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    const pki = await makeTestPki(dir);
    const { certPem } = await makeCertVariant(pki, "expired");
    let received = 0;
    let closed!: () => void;
    const gone = new Promise<void>((r) => closed = r);
    const server = tls.createServer({ cert: certPem, key: pki.serverKeyPem }, (c) => {
      c.on("data", (d: Uint8Array) => received += d.length);
      c.on("close", () => closed());
      c.on("error", () => {});
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      await connect((server.address() as { port: number }).port);
      await gone;
      return received;
    } finally {
      server.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
