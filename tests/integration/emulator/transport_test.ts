import assert from "node:assert/strict";
import { baseEnv } from "../../support/cli.ts";
import { withEmulator } from "../../support/emulatorClient.ts";
import { EMULATOR_MAIN, startEmulatorProcess } from "../../support/emulatorProcess.ts";

Deno.test("log: records method, path, query, every header as received (incl. authorization), body, status", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    await call("GET", "/users?username=a%2Bb&page=1", {
      headers: { "proxy-authorization": "Basic cHJveHl1c2VyOnByb3h5cGFzcw==", "user-agent": "probe/1" },
    });
    await call("POST", "/users", { body: { username: "x" } });
    const [get, post] = emu.requests;
    assert.equal(get.method, "GET");
    assert.equal(get.path, "/api/users");
    assert.deepEqual(get.query, { username: "a+b", page: "1" });
    assert.equal(get.headers["proxy-authorization"], "Basic cHJveHl1c2VyOnByb3h5cGFzcw==");
    assert.equal(get.headers["authorization"], `LoginTC key="${emu.apiKey}"`);
    assert.equal(get.headers["user-agent"], "probe/1");
    assert.equal(get.headers["accept"], "application/vnd.logintc.v1+json");
    assert.equal(get.body, "");
    assert.equal(get.status, 404);
    assert.equal(post.body, '{"username":"x"}');
    assert.equal(post.status, 400);
    assert.match(post.at, /^\d{4}-\d\d-\d\dT/);
  });
});

Deno.test("tls: a client that does not trust the per-run CA fails with UnknownIssuer", async () => {
  await withEmulator({}, async ({ emu, pki }) => {
    const untrusting = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(pki.otherCaFile)] });
    try {
      const err = await fetch(`${emu.url}/api/ping`, { client: untrusting }).then(() => undefined, (e) => e);
      assert.ok(err instanceof TypeError, String(err));
      assert.match(String(err.cause), /UnknownIssuer/);
    } finally {
      untrusting.close();
    }
    assert.equal(emu.requests.length, 0, "nothing reached the API");
  });
});

Deno.test("tls: plain http:// to the emulator port fails (HTTPS only)", async () => {
  await withEmulator({}, async ({ call, emu }) => {
    const plain = await fetch(emu.url.replace("https:", "http:") + "/api/ping").then(
      () => "answered",
      () => "failed",
    );
    assert.equal(plain, "failed");
    assert.equal((await call("GET", "/ping")).status, 200);
  });
});

Deno.test("deno task emulator: prints URL, CA, key, domain and a config snippet; serves; stops on SIGINT", async () => {
  const seedDir = await Deno.makeTempDir({ prefix: "emulator-seed-" });
  const seedFile = `${seedDir}/seed.json`;
  await Deno.writeTextFile(
    seedFile,
    JSON.stringify({
      users: [{ username: "alice", name: "Alice", email: "alice@example.com" }],
      groups: ["Staff"],
    }),
  );
  try {
    const emu = await startEmulatorProcess(["--page-size", "2", "--seed", seedFile]);
    try {
      assert.match(
        emu.out,
        /\[logintc\]\nhost = 127\.0\.0\.1:\d+\napi_key = \w{64}\ndomain_id = [0-9a-f]{40}\nca_file = \S+ca\.crt\n/,
      );
      assert.match(emu.out, /Users seeded: +1/);
      const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(emu.caFile)] });
      try {
        const res = await fetch(`${emu.url}/api/users?page=1`, {
          client,
          headers: { authorization: `LoginTC key="${emu.key}"` },
        });
        const users = await res.json();
        assert.deepEqual(users.map((u: { username: string }) => u.username), ["alice"]);
      } finally {
        client.close();
      }
    } finally {
      const { code, stderr, out } = await emu.stop();
      assert.equal(code, 0, stderr);
      assert.match(out, /Stopping; 1 request\(s\) served\./);
    }
    await assert.rejects(Deno.stat(emu.caFile), Deno.errors.NotFound, "the temp CA dir is removed");
  } finally {
    await Deno.remove(seedDir, { recursive: true });
  }
});

Deno.test("deno task emulator: a bad flag is refused with the usage line and exit code 2", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EMULATOR_MAIN, "--page-size", "0"],
    env: baseEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  const err = new TextDecoder().decode(out.stderr);
  assert.match(err, /--page-size must be a whole number from 1 to 65535, got "0"/);
  assert.match(err, /usage: deno task emulator/);
});
