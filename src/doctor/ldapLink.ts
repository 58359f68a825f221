/**
 * The network links to the directory, one check each: the host name resolves, a TCP connection
 * opens, and (ssl, startTLS) the TLS certificate is trusted, names the host and is not about to
 * expire. Each check returns a plain result (./doctorCheck.ts); `undefined` from a step means the
 * chain stops there.
 */
import dns from "node:dns";
import { isIP } from "node:net";
import { probeCertificates } from "../tls/probe.ts";
import { splitPem, trustedCas } from "../tls/trust.ts";
import { connectTcp, startTls } from "../tls/tunnels.ts";
import type { LdapConfig } from "../types.ts";
import type { DoctorCheck } from "../report/report.ts";
import { fail, ok, warn } from "./doctorCheck.ts";
import { errorCode, messageOf } from "../unknown.ts";
import { tlsCheck, tlsFacts } from "./tls.ts";

export interface LinkDeps {
  now: () => Date;
  timeoutMs: number;
}

/** Resolves the host (skipped for an IP address): what the OS resolver answers, as the sync sees it. */
export async function checkResolve(id: string, host: string, key: string): Promise<DoctorCheck> {
  if (isIP(host) !== 0) return ok(id, `${host} is an IP address: nothing to resolve`);
  try {
    const addresses = await dns.promises.lookup(host, { all: true });
    return ok(id, `${host} → ${addresses.map((a) => a.address).join(", ")}`);
  } catch (e) {
    const code = errorCode(e) ?? messageOf(e);
    return fail(id, `${host} does not resolve (${code})`, `check ${key}, and this machine's DNS settings`);
  }
}

export async function checkTcp(
  id: string,
  host: string,
  port: number,
  fix: string,
  timeoutMs: number,
): Promise<DoctorCheck> {
  try {
    const socket = await connectTcp(host, port, timeoutMs);
    socket.destroy();
    // No duration: the checklist is deterministic for a given setup (timings live in --json's timings).
    return ok(id, `connected to ${host}:${port}`);
  } catch (e) {
    return fail(id, `cannot connect to ${host}:${port}: ${errorCode(e) ?? messageOf(e)}`, fix);
  }
}

/** ssl: a handshake on connect; startTLS: the extended operation first; none: a warning. */
export async function checkLdapTls(config: LdapConfig, deps: LinkDeps): Promise<DoctorCheck> {
  const id = "ldap.tls";
  if (config.encryption === "none") {
    return warn(
      id,
      "encryption = none: the bind password and every user's data cross the network in clear text",
      "use encryption = ssl (port 636) or startTLS (port 389) if the server supports it",
    );
  }
  const ca = trustedCas(splitPem(config.caPem ?? ""));
  try {
    let socket;
    if (config.encryption === "starttls") {
      socket = await connectTcp(config.host, config.port, deps.timeoutMs);
      try {
        await startTls(socket, deps.timeoutMs);
      } catch (e) {
        socket.destroy();
        return fail(
          id,
          `StartTLS on ${config.host}:${config.port}: ${messageOf(e)}`,
          "use encryption = ssl with the LDAPS port (636) if the server does not offer StartTLS",
        );
      }
    }
    const peer = await probeCertificates({
      host: config.host,
      port: config.port,
      ca,
      socket,
      timeoutMs: deps.timeoutMs,
    });
    const now = deps.now();
    return tlsCheck(id, tlsFacts(peer, config.host, now), now, "[ldap] ca_file");
  } catch (e) {
    return fail(
      id,
      `no TLS handshake with ${config.host}:${config.port}: ${messageOf(e)}`,
      "check that encryption matches the port (ssl ↔ 636, none/startTLS ↔ 389)",
    );
  }
}
