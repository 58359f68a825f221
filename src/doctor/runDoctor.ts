/**
 * `--doctor`: every link between this machine and a working sync, checked in order, one plain
 * result each (./doctorCheck.ts): the config file and its mode, the last run the state directory
 * recorded, how leavers are handled (with the ledger), the directory (name, TCP, TLS, bind, RootDSE, base_dn, the filter's matches, five users
 * mapped, the disabled users), then LoginTC (proxy, TLS, API key, domain, -g group, extensions). A link
 * that fails marks the ones that need it `skip`. Reads only:
 * no lock, no job, no write to LoginTC (GETs only) or the directory.
 */
import { modeFindings } from "../config/fileMode.ts";
import { loadConfig } from "../config/loadConfig.ts";
import { ConfigError } from "../errors.ts";
import type { Config, SyncOptions } from "../types.ts";
import type { DoctorCheck } from "../report/report.ts";
import { fail, ok, skip, warn } from "./doctorCheck.ts";
import { messageOf } from "../unknown.ts";
import { checkDirectory, DIRECTORY_CHECK_IDS } from "./ldapDirectory.ts";
import { checkLdapTls, checkResolve, checkTcp } from "./ldapLink.ts";
import { checkLoginTCApi, checkLoginTCLink } from "./loginTC.ts";
import { checkExtensions } from "./extensions.ts";
import { checkLastRun } from "./lastRun.ts";
import { checkLeavers } from "./leavers.ts";
import { resolveStateDir, STATE_DIR_ENV } from "../state/stateDir.ts";

/** Per network step: long enough for a slow link, short enough that a dead one does not stall. */
const DOCTOR_TIMEOUT_MS = 10_000;

export interface DoctorDeps {
  env: (name: string) => string | undefined;
  now: () => Date;
  /** Called with each check as it completes (the checklist is printed as it goes). */
  onCheck: (check: DoctorCheck) => void;
  /** Called once the config is loaded, with its secrets (to redact whatever is printed after). */
  onConfig?: (config: Config) => void;
  timeoutMs?: number;
}

const LDAP_IDS = ["ldap.resolve", "ldap.tcp", "ldap.tls", ...DIRECTORY_CHECK_IDS];
const LOGINTC_IDS = [
  "logintc.proxy",
  "logintc.tls",
  "logintc.api-key",
  "logintc.domain",
  "logintc.extensions",
];

export async function runDoctor(
  options: SyncOptions & { configPath: string; stateDir?: string },
  deps: DoctorDeps,
): Promise<DoctorCheck[]> {
  const all: DoctorCheck[] = [];
  const add = (...checks: DoctorCheck[]) => {
    for (const c of checks) {
      all.push(c);
      deps.onCheck(c);
    }
  };
  const timeoutMs = deps.timeoutMs ?? DOCTOR_TIMEOUT_MS;

  let config: Config;
  try {
    config = await loadConfig(options.configPath, deps.env);
  } catch (e) {
    const problems = e instanceof ConfigError ? e.problems : [messageOf(e)];
    add(
      fail("config.file", problems.join("\n"), "fix each problem named (file:line), then run --doctor again"),
    );
    add(
      ...["state.last-run", ...LDAP_IDS, ...LOGINTC_IDS].map((id) =>
        skip(id, "the config file has problems")
      ),
    );
    return all;
  }
  deps.onConfig?.(config);
  add(ok("config.file", `${config.path}: loaded`));
  for (const { path: file, secret, warning } of await modeFindings(config)) {
    const [message, fix] = (warning ?? "").replace(/^warning: /, "").split(". Restrict it: ");
    const id = secret ? "config.secret-mode" : "config.mode";
    const fine = Deno.build.os === "windows" ? "not checked on Windows (ACLs)" : "readable by its owner only";
    add(warning ? warn(id, message, `restrict it: ${fix}`) : ok(id, `${file}: ${fine}`));
  }
  // The last sync run this state directory recorded: is the scheduled sync still working?
  add(await checkLastRun(options, deps));
  // How leavers are handled, and what the ledger those settings rely on holds.
  add(
    await checkLeavers(
      config,
      resolveStateDir({
        flag: options.stateDir,
        env: deps.env(STATE_DIR_ENV),
        configPath: config.path,
      }),
    ),
  );

  // The directory.
  const ldap = config.ldap;
  const resolved = await checkResolve("ldap.resolve", ldap.host, "host in [ldap]");
  add(resolved);
  const tcp = resolved.status === "FAIL" ? skip("ldap.tcp", "the name does not resolve") : await checkTcp(
    "ldap.tcp",
    ldap.host,
    ldap.port,
    `check host and port in [ldap] (ssl: 636, none/startTLS: 389; AD Global Catalog: 3268/3269) and the firewall`,
    timeoutMs,
  );
  add(tcp);
  if (tcp.status !== "ok") {
    add(...LDAP_IDS.slice(2).map((id) => skip(id, "no TCP connection")));
  } else {
    const tls = await checkLdapTls(ldap, { now: deps.now, timeoutMs });
    add(tls);
    if (tls.status === "FAIL") add(...LDAP_IDS.slice(3).map((id) => skip(id, "TLS failed")));
    else add(...await checkDirectory(ldap, options, timeoutMs, { sync: config.sync, now: deps.now }));
  }

  // LoginTC.
  const env = deps.env;
  const link = await checkLoginTCLink(config.logintc, { env, now: deps.now, timeoutMs });
  add(...link.checks);
  if (!link.reachable) {
    add(...LOGINTC_IDS.slice(2).map((id) => skip(id, "LoginTC is not reachable")));
    return all;
  }
  const api = await checkLoginTCApi(config.logintc, options, { env, now: deps.now, timeoutMs });
  add(...api.checks);
  if (api.api === undefined) {
    add(skip("logintc.extensions", "the API key was not accepted"));
    return all;
  }
  try {
    add(await checkExtensions(api.api, config, options));
  } finally {
    await api.api.close();
  }
  return all;
}
