/**
 * --doctor end to end (the real CLI against slapd and the LoginTC emulator): the whole checklist
 * when all is well, and each link broken in turn — bad password, bad base_dn, untrusted
 * certificate, wrong API key, wrong domain, a bad config — with the FAIL on the right line, the
 * links after it skipped, exit 1. It reads only: no write to LoginTC, no lock, no job record.
 */
import assert from "node:assert/strict";
import { type CliResult } from "../support/cli.ts";
import { reportSchema, validate } from "../support/jsonSchema.ts";
import type { Slapd } from "../support/slapd.ts";
import { join } from "node:path";
import { BIND_PASSWORD, describe, startE2eSlapd, withWorld, type World } from "../support/world.ts";

const PEOPLE = [
  { uid: "alice", displayName: "Alice Anderson", mail: "alice@example.com" },
  { uid: "bob", displayName: "Bob Brown" },
];

const schema = await reportSchema();

/** id → status, from the checklist's lines. */
function statuses(r: CliResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of r.stdout.matchAll(/^(ok|warn|FAIL|skip) +([a-z]+\.[a-z-]+) /gm)) out[m[2]] = m[1];
  return out;
}

/** The line of one check and the lines under it (until the next check). */
function block(r: CliResult, id: string): string {
  const lines = r.stdout.split("\n");
  const start = lines.findIndex((l) => new RegExp(`^[a-zA-Z]+ +${id.replace(".", "\\.")} `).test(l));
  assert.ok(start >= 0, `no ${id} line:\n${r.stdout}`);
  const end = lines.findIndex((l, i) => i > start && /^(ok|warn|FAIL|skip|Doctor:) /.test(l));
  return lines.slice(start, end).join("\n");
}

async function doctor(w: World, args: string[] = [], config?: string): Promise<CliResult> {
  const before = w.emulator.requests.length;
  const r = await w.run(["--doctor", ...args], config ? { config } : {});
  assert.deepEqual(w.writesSince(before), [], "--doctor sends only GETs");
  return r;
}

async function withDoctorWorld(slapd: Slapd, fn: (w: World) => Promise<void>) {
  await withWorld({ slapd, ldap: { attr_email: "mail" } }, fn);
}

Deno.test("--doctor: every link in order; a failure skips what depends on it; exit 1", async (t) => {
  const slapd = await startE2eSlapd({ users: PEOPLE });
  try {
    await t.step("all well: ok but the test certificate's short life (warn), exit 0", async () => {
      await withDoctorWorld(slapd, async (w) => {
        const r = await doctor(w, ["-e", "x@example.com"]);
        assert.equal(r.code, 0, describe(r));
        assert.deepEqual(statuses(r), {
          "config.file": "ok",
          "config.mode": "ok",
          "state.last-run": "ok",
          "config.sync": "ok",
          "ldap.resolve": "ok",
          "ldap.tcp": "ok",
          // The test PKI's certificates live 2 days (emulator/pki.ts): under 30 days.
          "ldap.tls": "warn",
          "ldap.bind": "ok",
          "ldap.rootdse": "ok",
          "ldap.base-dn": "ok",
          "ldap.filter": "ok",
          "ldap.sample": "ok",
          "ldap.anchor": "ok",
          "ldap.disabled": "ok",
          "logintc.proxy": "ok",
          "logintc.resolve": "ok",
          "logintc.tcp": "ok",
          "logintc.tls": "warn",
          "logintc.api-key": "ok",
          "logintc.domain": "ok",
          "logintc.extensions": "ok",
        });
        assert.match(block(r, "ldap.tls"), /expires in [01] day\(s\)/);
        assert.match(block(r, "logintc.extensions"), /none asked for/);
        assert.match(block(r, "ldap.rootdse"), /OpenLDAP; paged results supported/);
        assert.match(block(r, "ldap.filter"), /2 entries match \(objectClass=inetOrgPerson\)/);
        // -e applied to bob, who has no mail.
        assert.match(block(r, "ldap.sample"), /bob: name Bob Brown, email x@example\.com/);
        // Which anchor a sync reads, and each sampled user's.
        assert.match(
          block(r, "ldap.anchor"),
          /entryUUID \(the anchor of OpenLDAP\): read on 2 of 2 sampled user\(s\)\n.*alice: [0-9a-f-]{36}/,
        );
        assert.match(block(r, "state.last-run"), /no sync run recorded in .* yet/);
        // OpenLDAP without ppolicy: no account has pwdAccountLockedTime.
        assert.match(
          block(r, "ldap.disabled"),
          /no user is disabled in the directory \(checked: pwdAccountLockedTime/,
        );
        assert.match(
          block(r, "config.sync"),
          /^ok +config\.sync +disabled_users = include; protect_users: none; remove_scope = all; delete_after_days = 0\n +no ledger yet: the first real run writes it$/,
        );
        assert.match(r.stdout, /^Doctor: 21 check\(s\): .* 0 FAIL, 0 skipped\.$/m);
        // Deterministic: a second run prints the same checklist.
        assert.equal((await doctor(w, ["-e", "x@example.com"])).stdout, r.stdout);
        const files = [...Deno.readDirSync(w.dir)].map((e) => e.name).sort();
        assert.deepEqual(files, ["config.cfg"], "no lock, no job record");
      });
    });

    await t.step("a user without email is shown MISSING (warn); --json validates", async () => {
      await withDoctorWorld(slapd, async (w) => {
        const r = await doctor(w, ["--json"]);
        assert.equal(r.code, 0, describe(r));
        const d = JSON.parse(r.stdout);
        assert.deepEqual(validate(schema, d), []);
        assert.equal(d.mode, "doctor");
        const sample = d.doctor.checks.find((c: { id: string }) => c.id === "ldap.sample");
        assert.equal(sample.status, "warn");
        assert.match(
          sample.detail,
          /^1 of 2 sampled user\(s\) complete\n.*bob: name Bob Brown, email MISSING \(mail\)/s,
        );
        assert.equal(r.stderr, "");
      });
    });

    await t.step(
      "a secret file others can read: warn at config.secret-mode (POSIX); the key from the environment",
      async () => {
        await withDoctorWorld(slapd, async (w) => {
          const secret = join(w.dir, "bind.secret");
          await Deno.writeTextFile(secret, `${BIND_PASSWORD}\n`);
          if (Deno.build.os !== "windows") await Deno.chmod(secret, 0o640);
          const config = await w.writeConfig("files.cfg", {
            logintc: { api_key: undefined },
            ldap: { bind_password: undefined, bind_password_file: "bind.secret" },
          });
          const before = w.emulator.requests.length;
          const r = await w.run(["--doctor"], { config, env: { LOGINTC_SYNC_API_KEY: w.emulator.apiKey } });
          assert.deepEqual(w.writesSince(before), []);
          assert.equal(r.code, 0, describe(r));
          const s = statuses(r);
          assert.deepEqual([s["ldap.bind"], s["logintc.api-key"]], ["ok", "ok"]);
          if (Deno.build.os !== "windows") {
            assert.equal(s["config.secret-mode"], "warn", r.stdout);
            assert.match(block(r, "config.secret-mode"), /has mode 0640: .*\n.*fix: restrict it: chmod 600 /);
          }
        });
      },
    );
    await t.step(
      "wrong bind password: FAIL at ldap.bind, the directory checks after it skipped",
      async () => {
        await withDoctorWorld(slapd, async (w) => {
          const config = await w.writeConfig("pw.cfg", { ldap: { bind_password: "not-the-password" } });
          const r = await doctor(w, [], config);
          assert.equal(r.code, 1, describe(r));
          const s = statuses(r);
          assert.deepEqual(
            [
              s["ldap.tls"],
              s["ldap.bind"],
              s["ldap.rootdse"],
              s["ldap.sample"],
              s["ldap.anchor"],
              s["logintc.api-key"],
            ],
            ["warn", "FAIL", "skip", "skip", "skip", "ok"],
          );
          assert.match(block(r, "ldap.bind"), /fix: check bind_dn and the bind password/);
        });
      },
    );

    await t.step("base_dn that does not exist: FAIL at ldap.base-dn", async () => {
      await withDoctorWorld(slapd, async (w) => {
        const config = await w.writeConfig("base.cfg", { ldap: { base_dn: "ou=nobody,dc=example,dc=com" } });
        const r = await doctor(w, [], config);
        assert.equal(r.code, 1, describe(r));
        const s = statuses(r);
        assert.deepEqual([s["ldap.bind"], s["ldap.base-dn"], s["ldap.filter"]], ["ok", "FAIL", "skip"]);
        assert.match(block(r, "ldap.base-dn"), /ou=nobody,dc=example,dc=com does not exist/);
      });
    });

    await t.step(
      "a CA that did not sign the server's certificate: FAIL at ldap.tls naming ca_file",
      async () => {
        await withDoctorWorld(slapd, async (w) => {
          const config = await w.writeConfig("ca.cfg", { ldap: { ca_file: slapd.pki.otherCaFile } });
          const r = await doctor(w, [], config);
          assert.equal(r.code, 1, describe(r));
          assert.deepEqual([statuses(r)["ldap.tls"], statuses(r)["ldap.bind"]], ["FAIL", "skip"]);
          assert.match(block(r, "ldap.tls"), / is not trusted \(\w+\)\n.*fix: .*\[ldap\] ca_file/);
        });
      },
    );

    await t.step("startTLS on the plain port: the certificate is checked after StartTLS", async () => {
      await withDoctorWorld(slapd, async (w) => {
        const config = await w.writeConfig("starttls.cfg", {
          ldap: { host: `localhost:${slapd.port}`, encryption: "startTLS" },
        });
        const r = await doctor(w, [], config);
        assert.equal(r.code, 0, describe(r));
        assert.deepEqual([statuses(r)["ldap.tls"], statuses(r)["ldap.bind"]], ["warn", "ok"]);
      });
    });

    await t.step("wrong API key, then wrong domain: FAIL on the right line", async () => {
      await withDoctorWorld(slapd, async (w) => {
        const key = await w.writeConfig("key.cfg", { logintc: { api_key: "K".repeat(64) } });
        const r = await doctor(w, [], key);
        assert.equal(r.code, 1, describe(r));
        assert.deepEqual([statuses(r)["logintc.api-key"], statuses(r)["logintc.domain"]], ["FAIL", "skip"]);
        assert.match(block(r, "logintc.api-key"), /fix: copy the API key again/);

        const domain = await w.writeConfig("domain.cfg", { logintc: { domain_id: "f".repeat(40) } });
        const d = await doctor(w, ["-g", "Nope"], domain);
        assert.equal(d.code, 1, describe(d));
        assert.deepEqual([statuses(d)["logintc.api-key"], statuses(d)["logintc.domain"]], ["ok", "FAIL"]);
        assert.match(block(d, "logintc.group"), /-g "Nope": no such group/);
      });
    });

    await t.step("a config with problems: FAIL at config.file, everything else skipped", async () => {
      await withDoctorWorld(slapd, async (w) => {
        const config = await w.writeConfig("bad.cfg", { ldap: { filter: "(uid=*" } });
        const r = await doctor(w, ["--json"], config);
        assert.equal(r.code, 1, describe(r));
        const d = JSON.parse(r.stdout);
        assert.deepEqual(validate(schema, d), []);
        const failed = d.doctor.checks.filter((c: { status: string }) => c.status !== "skip");
        assert.deepEqual(failed.map((c: { id: string }) => c.id), ["config.file"]);
        assert.match(failed[0].detail, /bad\.cfg:\d+: \[ldap\] filter: not a valid LDAP filter/);
      });
    });
  } finally {
    await slapd.stop();
  }
});
