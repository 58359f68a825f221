/**
 * Real HTTP proxies for tests: tinyproxy (light, answers a bad password with 401) and squid
 * (answers 407), each with basic auth, on a free loopback port, from a temp dir. Setup as
 * in docs/development.md, "Test servers". Both are started in the foreground (`-d` / `-N`) so the child's
 * pid is the proxy's pid; stop() kills that pid and waits for it.
 */
import { remoteFixtures } from "./windows/remote.ts";
import { freePort, portOpen } from "./net.ts";

export { freePort };

export interface ProxyFixture {
  /** http://127.0.0.1:<port> (no credentials in it). */
  url: string;
  port: number;
  /** The proxy's own log (tinyproxy log, squid access.log + cache.log). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

export interface ProxyAuth {
  user: string;
  pass: string;
}

async function readOr(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return "";
  }
}

/** Spawns `cmd`, polls the port every 0.1 s, fails with the log tail if it never opens. */
async function startProxy(
  name: string,
  cmd: string,
  args: string[],
  port: number,
  dir: string,
  proxyLogs: string[],
): Promise<ProxyFixture> {
  let logs = proxyLogs;
  // Through `sh -c exec`: the proxy keeps the child's pid, and its output (and that of squid's
  // auth helpers, which inherit it) goes to a file, so no pipe outlives the proxy.
  const outFile = `${dir}/output.log`;
  const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", `exec ${quoted} >'${outFile}' 2>&1`],
    clearEnv: true,
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const status = child.status;
  let exited = false;
  status.then(() => exited = true, () => exited = true);
  logs = [...logs, outFile];
  let finalLog: string | undefined;
  const log = async () => finalLog ?? (await Promise.all(logs.map(readOr))).join("\n");
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 3000);
    await status.catch(() => undefined);
    clearTimeout(timer);
    finalLog = await log(); // kept: tests read the log after stop(), the dir is removed
    await Deno.remove(dir, { recursive: true }).catch(() => undefined);
  };
  for (let i = 0; i < 100 && !exited; i++) {
    if (await portOpen(port)) return { url: `http://127.0.0.1:${port}`, port, log, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  const text = await log();
  await stop();
  throw new Error(
    `${name} did not start on 127.0.0.1:${port}${exited ? " (it exited)" : ""}:\n` +
      text.trim().split("\n").slice(-15).join("\n"),
  );
}

/**
 * tinyproxy, with BasicAuth when `auth` is given (none: an open proxy). Its dir must be
 * writable by `nobody` (it drops privileges).
 */
export async function startTinyproxy(auth?: ProxyAuth): Promise<ProxyFixture> {
  // Under `deno task test:windows` (deno.exe in Wine) the proxy is started on the Linux side.
  const remote = remoteFixtures();
  if (remote) return await remote.startProxy("tinyproxy", auth);
  const dir = await Deno.makeTempDir({ prefix: "logintc-tinyproxy-" });
  await Deno.chmod(dir, 0o777);
  const port = freePort();
  const logFile = `${dir}/tinyproxy.log`;
  await Deno.writeTextFile(
    `${dir}/tinyproxy.conf`,
    [
      "User nobody",
      "Group nogroup",
      `Port ${port}`,
      "Listen 127.0.0.1",
      "Timeout 60",
      `LogFile "${logFile}"`,
      "LogLevel Info",
      "MaxClients 50",
      "Allow 127.0.0.1",
      ...(auth ? [`BasicAuth ${auth.user} ${auth.pass}`] : []),
      "DisableViaHeader Yes",
      "",
    ].join("\n"),
  );
  return await startProxy("tinyproxy", "tinyproxy", ["-d", "-c", `${dir}/tinyproxy.conf`], port, dir, [
    logFile,
  ]);
}

/** squid with basic_ncsa_auth; its dir is owned by proxy:proxy (squid runs as `proxy`). */
export async function startSquid(auth: ProxyAuth): Promise<ProxyFixture> {
  const remote = remoteFixtures();
  if (remote) return await remote.startProxy("squid", auth);
  const dir = await Deno.makeTempDir({ prefix: "logintc-squid-" });
  const port = freePort();
  const hash = await new Deno.Command("openssl", { args: ["passwd", "-apr1", auth.pass], stdout: "piped" })
    .output();
  if (!hash.success) throw new Error("openssl passwd -apr1 failed");
  await Deno.writeTextFile(`${dir}/passwd`, `${auth.user}:${new TextDecoder().decode(hash.stdout).trim()}\n`);
  await Deno.writeTextFile(
    `${dir}/squid.conf`,
    [
      `http_port 127.0.0.1:${port}`,
      `pid_filename ${dir}/squid.pid`,
      `access_log stdio:${dir}/access.log`,
      `cache_log ${dir}/cache.log`,
      "cache_store_log none",
      `coredump_dir ${dir}`,
      "cache deny all",
      "shutdown_lifetime 0 seconds",
      "pinger_enable off",
      `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${dir}/passwd`,
      "auth_param basic realm lab-proxy",
      "acl authed proxy_auth REQUIRED",
      "http_access allow authed",
      "http_access deny all",
      "",
    ].join("\n"),
  );
  const chown = await new Deno.Command("chown", { args: ["-R", "proxy:proxy", dir] }).output();
  if (!chown.success) throw new Error(`chown proxy:proxy ${dir} failed (squid runs as user proxy)`);
  return await startProxy(
    "squid",
    "/usr/sbin/squid",
    ["-N", "-f", `${dir}/squid.conf`],
    port,
    dir,
    [`${dir}/access.log`, `${dir}/cache.log`],
  );
}
