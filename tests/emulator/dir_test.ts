/**
 * `deno task emulator --dir DIR`: the CA, the server key and the state survive a restart, so a
 * config written against the first run keeps working against the second (docs/development.md,
 * "The LoginTC emulator").
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { baseEnv } from "../support/cli.ts";

const MAIN = new URL("../../emulator/main.ts", import.meta.url).pathname;

interface Running {
  out: string;
  url: string;
  caFile: string;
  key: string;
  stop(): Promise<string>;
}

/** Starts `deno task emulator` with `args` and reads its banner. */
async function start(args: string[]): Promise<Running> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--port", "0", ...args],
    env: baseEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const stop = async () => {
    try {
      child.kill("SIGINT");
    } catch { /* already exited */ }
    const status = await child.status;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    assert.equal(status.code, 0, await stderr);
    return out;
  };
  while (!out.includes("Press Ctrl-C")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`emulator exited early:\n${out}\n${await stderr}`);
    out += value;
  }
  const url = /listening on (https:\/\/\S+)\/api/.exec(out)?.[1];
  const caFile = /CA certificate: (\S+)/.exec(out)?.[1];
  const key = /API key: +(\S+)/.exec(out)?.[1];
  if (!url || !caFile || !key) {
    await stop();
    throw new Error(`no banner:\n${out}`);
  }
  return { out, url, caFile, key, stop };
}

async function api(
  run: Running,
  caPem: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const client = Deno.createHttpClient({ caCerts: [caPem] });
  try {
    const res = await fetch(`${run.url}/api${path}`, {
      method,
      client,
      headers: {
        authorization: `LoginTC key="${run.key}"`,
        accept: "application/vnd.logintc.v1+json",
        ...(body ? { "content-type": "application/vnd.logintc.v1+json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  } finally {
    client.close();
  }
}

Deno.test("deno task emulator --dir: CA, key and state are kept across a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "logintc-emulator-dir-" });
  const kept = join(dir, "emu");
  const seedFile = join(dir, "seed.json");
  await Deno.writeTextFile(
    seedFile,
    JSON.stringify([{ username: "alice", name: "Alice", email: "a@x.test" }]),
  );
  try {
    const first = await start(["--dir", kept, "--seed", seedFile]);
    const caPem = await Deno.readTextFile(first.caFile);
    let bob: { id: string };
    let domainId: string;
    try {
      assert.equal(first.caFile, join(kept, "ca.crt"), "the CA lives in the kept folder");
      assert.match(first.out, /State kept in .* \(new\)/);
      domainId = /Domain id: +(\S+)/.exec(first.out)![1];
      bob = await api(first, caPem, "POST", "/users", {
        username: "bob",
        name: "Bob",
        email: "b@x.test",
      }) as {
        id: string;
      };
      await api(first, caPem, "PUT", `/domains/${domainId}/users/${bob.id}`);
      await api(first, caPem, "PUT", `/domains/${domainId}/users/${bob.id}/token`);
    } finally {
      await first.stop();
    }

    const second = await start(["--dir", kept, "--seed", seedFile]);
    try {
      assert.match(second.out, /State kept in .* \(restored\)/);
      assert.match(second.out, /--seed ignored/);
      assert.equal(await Deno.readTextFile(second.caFile), caPem, "the same CA");
      assert.equal(/Domain id: +(\S+)/.exec(second.out)![1], domainId);
      // The first run's CA still verifies the second run's server: a config's ca_file keeps working.
      const users = await api(second, caPem, "GET", "/users?page=1") as { id: string; username: string }[];
      assert.deepEqual(users.map((u) => u.username), ["alice", "bob"]);
      assert.equal(users[1].id, bob.id, "ids are kept");
      const members = await api(second, caPem, "GET", `/domains/${domainId}/users?page=1`) as {
        username: string;
      }[];
      assert.deepEqual(members.map((u) => u.username).sort(), ["alice", "bob"]);
      const token = await api(second, caPem, "GET", `/domains/${domainId}/users/${bob.id}/token`) as {
        state: string;
      };
      assert.equal(token.state, "pending");
    } finally {
      await second.stop();
    }
    for (const f of ["ca.crt", "server.crt", "server.key", "state.json"]) await Deno.stat(join(kept, f));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
