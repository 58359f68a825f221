/**
 * The links to LoginTC Admin, in order: the proxy (if any: TCP and its CONNECT tunnel, with the
 * credentials a sync would send), TLS to LoginTC (through that tunnel, as the sync's traffic
 * goes), the API key (GET /organization), the domain, the -g group. GETs only, one attempt each
 * (no retries: a doctor run reports, it does not wait out an outage).
 */
import { probeCertificates } from "../tls/probe.ts";
import { splitPem, trustedCas } from "../tls/trust.ts";
import { connectTcp, connectTunnel } from "../tls/tunnels.ts";
import { LoginTCError } from "../errors.ts";
import type { LoginTCClient } from "../logintc/client.ts";
import { createLoginTCClient, targetOf } from "../logintc/client.ts";
import { basicCredentials, planProxy } from "../logintc/proxy.ts";
import type { LoginTCConfig, SyncOptions } from "../types.ts";
import type { DoctorCheck } from "../report/report.ts";
import { fail, ok, skip, warn } from "./doctorCheck.ts";
import { errorCode, messageOf } from "../unknown.ts";
import { checkResolve, checkTcp } from "./ldapLink.ts";
import { tlsCheck, tlsFacts } from "./tls.ts";

export interface LoginTCDeps {
  env: (name: string) => string | undefined;
  now: () => Date;
  timeoutMs: number;
}

/** The transport checks; returns them and whether the API checks can go on. */
export async function checkLoginTCLink(
  config: LoginTCConfig,
  deps: LoginTCDeps,
): Promise<{ checks: DoctorCheck[]; reachable: boolean }> {
  const target = targetOf(config.host);
  const ca = trustedCas(splitPem(config.caPem ?? ""));
  const proxy = planProxy(config.proxy, deps.env, target.hostname);
  const checks: DoctorCheck[] = [];
  const tlsOf = async (socket?: Awaited<ReturnType<typeof connectTcp>>) => {
    try {
      const peer = await probeCertificates({
        host: target.hostname,
        port: target.port,
        ca,
        socket,
        timeoutMs: deps.timeoutMs,
      });
      const now = deps.now();
      return tlsCheck("logintc.tls", tlsFacts(peer, target.hostname, now), now, "[logintc] ca_file");
    } catch (e) {
      socket?.destroy();
      return fail(
        "logintc.tls",
        `no TLS handshake with ${config.host}: ${messageOf(e)}`,
        "check host in [logintc]",
      );
    }
  };

  if (proxy.kind === "none") {
    checks.push(ok(
      "logintc.proxy",
      proxy.exempt
        ? `none (a direct connection: ${proxy.exempt} covers ${target.hostname})`
        : "none (a direct connection; no proxy_host, no HTTPS_PROXY)",
    ));
    const resolved = await checkResolve("logintc.resolve", target.hostname, "host in [logintc]");
    checks.push(resolved);
    if (resolved.status === "FAIL") {
      return { checks: [...checks, skip("logintc.tls", "the name does not resolve")], reachable: false };
    }
    const tcp = await checkTcp(
      "logintc.tcp",
      target.hostname,
      target.port,
      "check host in [logintc] and that this machine may reach it on port " +
        `${target.port} (a firewall may require proxy_host)`,
      deps.timeoutMs,
    );
    checks.push(tcp);
    if (tcp.status === "FAIL") {
      return { checks: [...checks, skip("logintc.tls", "no TCP connection")], reachable: false };
    }
    const tls = await tlsOf();
    checks.push(tls);
    return { checks, reachable: tls.status !== "FAIL" };
  }

  const from = proxy.source === "config" ? "proxy_host" : proxy.variable!;
  const auth = proxy.kind === "relay" ? `Basic ${basicCredentials(proxy.user, proxy.pass)}` : undefined;
  let socket;
  try {
    socket = await connectTcp(proxy.host, proxy.port, deps.timeoutMs);
  } catch (e) {
    checks.push(fail(
      "logintc.proxy",
      `cannot connect to the proxy ${proxy.host}:${proxy.port} (from ${from}): ${
        errorCode(e) ?? messageOf(e)
      }`,
      "check proxy_host and proxy_port (or HTTPS_PROXY)",
    ));
    return { checks: [...checks, skip("logintc.tls", "the proxy failed")], reachable: false };
  }
  try {
    const status = await connectTunnel(
      socket,
      { host: target.hostname, port: target.port },
      auth,
      deps.timeoutMs,
    );
    checks.push(ok(
      "logintc.proxy",
      `${proxy.host}:${proxy.port} (from ${from})${auth ? " with credentials" : ""}: ${status}`,
    ));
  } catch (e) {
    socket.destroy();
    // 407 (RFC 9110 §15.5.8); some proxies (tinyproxy) answer 401 to bad credentials.
    const denied = /\b40[17]\b/.test(messageOf(e));
    checks.push(fail(
      "logintc.proxy",
      `${proxy.host}:${proxy.port} (from ${from}) refused a tunnel to ${config.host}: ${messageOf(e)}`,
      denied
        ? "check proxy_user and the proxy password (proxy_pass, proxy_pass_file or LOGINTC_SYNC_PROXY_PASS)"
        : "ask the proxy's administrator to allow CONNECT to this host and port",
    ));
    return { checks: [...checks, skip("logintc.tls", "the proxy failed")], reachable: false };
  }
  const tls = await tlsOf(socket);
  checks.push(tls);
  return { checks, reachable: tls.status !== "FAIL" };
}

/** The API checks, on the same client the sync uses (one attempt per request). */
export async function checkLoginTCApi(
  config: LoginTCConfig,
  options: Pick<SyncOptions, "group">,
  deps: LoginTCDeps,
): Promise<{ checks: DoctorCheck[]; api?: LoginTCClient }> {
  const api = createLoginTCClient(config, {
    env: deps.env,
    retry: { maxAttempts: 1 },
    timeoutMs: deps.timeoutMs,
  });
  const checks: DoctorCheck[] = [];
  try {
    const org = await api.getOrganization();
    checks.push(ok("logintc.api-key", `accepted: organization "${org.name}"`));
  } catch (e) {
    const status = e instanceof LoginTCError ? e.details.status : undefined;
    checks.push(fail(
      "logintc.api-key",
      messageOf(e),
      status === 401
        ? "copy the API key again from LoginTC Admin (Settings > API) into api_key, api_key_file or " +
          "LOGINTC_SYNC_API_KEY"
        : "fix what the message names, then run --doctor again",
    ));
    await api.close();
    const later = ["logintc.domain", ...(options.group !== undefined ? ["logintc.group"] : [])];
    return { checks: [...checks, ...later.map((id) => skip(id, "the API key was not accepted"))] };
  }
  try {
    const domain = await api.getDomain(config.domainId);
    checks.push(
      ok("logintc.domain", `${config.domainId}: "${domain.name}"${domain.type ? ` (${domain.type})` : ""}`),
    );
  } catch (e) {
    checks.push(fail(
      "logintc.domain",
      messageOf(e),
      "copy the domain's id from LoginTC Admin (Domains > the domain > Settings) into domain_id",
    ));
  }
  if (options.group !== undefined) checks.push(await checkGroup(api, options.group));
  return { checks, api };
}

async function checkGroup(api: LoginTCClient, name: string): Promise<DoctorCheck> {
  const id = "logintc.group";
  try {
    const groups = await api.listGroups();
    const found = groups.find((g) => g.name === name) ??
      groups.find((g) => g.name.toLowerCase() === name.toLowerCase());
    if (found) return ok(id, `-g "${name}": group ${found.id}`);
    return fail(
      id,
      `-g "${name}": no such group among ${groups.length} group(s)`,
      "create the group in LoginTC Admin, or fix the name given to -g",
    );
  } catch (e) {
    if (e instanceof LoginTCError && e.details.status === 404) {
      return warn(
        id,
        `-g "${name}": this LoginTC has no groups API (404)`,
        "drop -g: this LoginTC cannot do it",
      );
    }
    return fail(id, messageOf(e), "fix what the message names, then run --doctor again");
  }
}
