/**
 * `deno task emulator --dir DIR`: the CA, the server key and the state survive a restart, so a
 * config written against the first run keeps working against the second (docs/development.md,
 * "The LoginTC emulator").
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type EmulatorProcess, startEmulatorProcess } from "../../support/emulatorProcess.ts";

async function api(
  run: EmulatorProcess,
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
    const first = await startEmulatorProcess(["--dir", kept, "--seed", seedFile]);
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
      assert.equal((await first.stop()).code, 0);
    }

    const second = await startEmulatorProcess(["--dir", kept, "--seed", seedFile]);
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
      assert.equal((await second.stop()).code, 0);
    }
    for (const f of ["ca.crt", "server.crt", "server.key", "state.json"]) await Deno.stat(join(kept, f));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
