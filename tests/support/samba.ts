/**
 * A throwaway Samba AD domain controller for Active Directory behaviour: UPN and
 * DOMAIN\user binds, "strong authentication required" on plain LDAP, AD error texts,
 * memberOf filters and the continuation references real AD returns from the domain root.
 * Measured setup: docs/development.md, "Test servers" (provision ~8 s, start ~0.5 s, LDAP only).
 *
 * Samba's LDAP ports are fixed (389, 636, 3268, 3269), so it needs root and one DC at a time.
 */
import { makeTestPki, type TestPki } from "./certs.ts";
import { remoteFixtures } from "./windows/remote.ts";

export interface SambaAd {
  dir: string;
  pki: TestPki;
  realm: string;
  baseDn: string;
  adminUpn: string;
  adminPassword: string;
  /** DN of the group alice and bob are in. */
  syncGroupDn: string;
  stop(): Promise<void>;
}

const ADMIN_PASSWORD = "Passw0rd!Lab";

async function sh(cmd: string, args: string[], what: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${what} failed (rc ${out.code}):\n${text.slice(-2000)}`);
  return text;
}

async function ldapsReady(dir: string, caFile: string): Promise<boolean> {
  const out = await new Deno.Command("ldapsearch", {
    args: ["-x", "-H", "ldaps://127.0.0.1:636", "-b", "", "-s", "base", "defaultNamingContext"],
    env: { LDAPTLS_CACERT: caFile },
    stdout: "null",
    stderr: "null",
    cwd: dir,
  }).output();
  return out.success;
}

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

export async function startSambaAd(): Promise<SambaAd> {
  // Under `deno task test:windows` (deno.exe in Wine) the DC is started on the Linux side (as root).
  const remote = remoteFixtures();
  if (remote) return await remote.startSambaAd();
  if (Deno.uid?.() !== 0) throw new Error("the Samba AD fixture needs root (fixed ports 389/636)");
  const dir = await Deno.makeTempDir({ prefix: "logintc-sync-samba-" });
  const pki = await makeTestPki(`${dir}/certs`, {
    san: "DNS:localhost,IP:127.0.0.1,DNS:dc1.example.com,DNS:dc1",
    cn: "dc1.example.com",
  });
  await sh("samba-tool", [
    "domain",
    "provision",
    `--targetdir=${dir}`,
    "--realm=EXAMPLE.COM",
    "--domain=EXAMPLE",
    "--server-role=dc",
    "--dns-backend=SAMBA_INTERNAL",
    "--host-name=dc1",
    "--host-ip=127.0.0.1",
    `--adminpass=${ADMIN_PASSWORD}`,
    "--use-rfc2307",
    "--option=interfaces=lo",
    "--option=bind interfaces only=yes",
    "--option=server services=ldap",
    "--option=tls enabled=yes",
    `--option=tls keyfile=${pki.serverKey}`,
    `--option=tls certfile=${pki.serverCert}`,
    `--option=tls cafile=${pki.caFile}`,
    `--option=log file=${dir}/log.%m`,
  ], "samba-tool domain provision"); // deno-fmt-ignore
  const conf = ["-s", `${dir}/etc/smb.conf`];
  const tool = (args: string[]) =>
    sh("samba-tool", [...args, ...conf], `samba-tool ${args.slice(0, 2).join(" ")}`);
  await tool([
    "user",
    "create",
    "alice",
    "Passw0rd!Alice",
    "--given-name=Alice",
    "--surname=Anderson",
    "--mail-address=alice@example.com",
    "--telephone-number=+49 30 1111",
  ]); // deno-fmt-ignore
  await tool(["user", "create", "bob", "Passw0rd!Bob", "--given-name=Bob", "--surname=Brown",
    "--mail-address=bob@example.com"]); // deno-fmt-ignore
  await tool(["user", "create", "carol", "Passw0rd!Carol", "--given-name=Carol", "--surname=Clark"]);
  await tool(["group", "add", "sync-users"]);
  await tool(["group", "addmembers", "sync-users", "alice,bob,carol"]);

  const child = new Deno.Command("samba", {
    args: [...conf, "-i", "-M", "single", "--debuglevel=1"],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  // Drain samba's output so it never blocks on a full pipe; keep the tail for errors.
  let tail = "";
  const drain = (s: ReadableStream<Uint8Array>) =>
    s.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({ write: (c) => void (tail = (tail + c).slice(-4000)) }),
    );
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);

  const stop = async () => {
    if (alive(child.pid)) {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
    }
    await child.status;
    await drained.catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await ldapsReady(dir, pki.caFile)) break;
    const st = await Promise.race([child.status, new Promise((r) => setTimeout(() => r(undefined), 100))]);
    if (st !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`samba did not start (${st === undefined ? "timeout" : "exited"}):\n${tail}`);
    }
  }
  return {
    dir,
    pki,
    realm: "EXAMPLE.COM",
    baseDn: "DC=example,DC=com",
    adminUpn: "Administrator@example.com",
    adminPassword: ADMIN_PASSWORD,
    syncGroupDn: "CN=sync-users,CN=Users,DC=example,DC=com",
    stop,
  };
}
