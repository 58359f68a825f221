import assert from "node:assert/strict";
import fc from "../../support/fastCheck.ts";
import { DirectoryError } from "../../../src/errors.ts";
import {
  checkLocalValidation,
  checkUsernameCollisions,
  sortCheckedUsers,
  sortUsers,
} from "../../../src/directory/validate.ts";
import { compareUsernames, usernameKey } from "../../../src/usernames.ts";
import type { DirectoryUser } from "../../../src/types.ts";

const u = (username: string, extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
  dn: `uid=${username},ou=people,dc=example,dc=com`,
  username,
  name: `N ${username}`,
  email: `${username}@example.com`,
  aliases: {},
  ...extra,
});

Deno.test("sort: lowercase first, then code point; deterministic", () => {
  const names = ["bob", "Ann", "ann", "Zoe", "álvaro", "_x", "10"];
  const sorted = sortUsers(names.map((n) => u(n))).map((x) => x.username);
  assert.deepEqual(sorted, ["10", "_x", "Ann", "ann", "bob", "Zoe", "álvaro"]); // "_" (0x5f) < "a" (0x61)
  assert.ok(compareUsernames("Ann", "ann") < 0);
  assert.equal(compareUsernames("x", "x"), 0);
});

Deno.test("case-colliding usernames abort with every colliding DN", () => {
  const users = [u("jdoe"), u("alice"), u("JDoe", { dn: "uid=JDoe,ou=other,dc=example,dc=com" })];
  assert.throws(() => checkUsernameCollisions(users, "uid"), (e: unknown) => {
    assert.ok(e instanceof DirectoryError);
    assert.match(e.message, /1 username\(s\) \(uid\) that collide ignoring case/);
    assert.match(e.message, /JDoe \(uid=JDoe,ou=other,dc=example,dc=com\), jdoe \(uid=jdoe,ou=people/);
    assert.doesNotMatch(e.message, /alice/);
    return true;
  });
  checkUsernameCollisions([u("a"), u("b")], "uid"); // no throw
});

Deno.test("-a lists users missing name/email, first 20 and a count", () => {
  const users = Array.from(
    { length: 23 },
    (_, i) => u(`user${String(i).padStart(2, "0")}`, { email: undefined }),
  );
  users.push(u("zed", { name: undefined }), u("ok"));
  assert.throws(() => checkLocalValidation(users, "displayName", "mail"), (e: unknown) => {
    assert.ok(e instanceof DirectoryError);
    const lines = e.message.split("\n");
    assert.match(lines[0], /24 user\(s\) lack a name or an email; nothing was synced/);
    assert.equal(lines[1], "  user00: missing email (mail) (uid=user00,ou=people,dc=example,dc=com)");
    assert.equal(lines.filter((l) => l.startsWith("  user")).length, 20);
    assert.ok(lines.includes("  … and 4 more"));
    assert.doesNotMatch(e.message, /\bok\b/);
    return true;
  });
  assert.throws(
    () => checkLocalValidation([u("x", { name: undefined, email: undefined })], "cn", "mail"),
    /x: missing name \(cn\) and email \(mail\)/,
  );
  checkLocalValidation([u("fine")], "cn", "mail");
});

Deno.test("sortUsers orders exactly as compareUsernames, then DN (property)", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          username: fc.constantFrom(
            "ann",
            "Ann",
            "ANN",
            "bob",
            "Bob",
            "ärger",
            "Zed",
            "zed",
            "_x",
            "10",
            "9",
          ),
          dn: fc.constantFrom("uid=a,o=x", "uid=b,o=x", "cn=c,o=y"),
        }),
        { maxLength: 40 },
      ),
      (raw) => {
        const users = raw.map((r) => ({ ...r, aliases: {} }));
        const expected = [...users].sort((x, y) =>
          compareUsernames(x.username, y.username) || (x.dn < y.dn ? -1 : x.dn > y.dn ? 1 : 0)
        );
        assert.deepEqual(sortUsers(users), expected);
      },
    ),
  );
});

/**
 * The collision message as first written: a map of username keys (ASCII case folded: "ärger" and
 * "Ärger" are two usernames, left to the planner as look-alikes), groups sorted afterwards.
 */
function collisionMessageByMap(users: readonly DirectoryUser[]): string | undefined {
  const byKey = new Map<string, DirectoryUser[]>();
  for (const x of users) {
    byKey.set(usernameKey(x.username), [...byKey.get(usernameKey(x.username)) ?? [], x]);
  }
  const groups = [...byKey.values()].filter((g) => g.length > 1).map(sortUsers)
    .sort((a, b) => compareUsernames(a[0].username, b[0].username));
  if (groups.length === 0) return undefined;
  const lines = groups.slice(0, 20).map((g) => "  " + g.map((x) => `${x.username} (${x.dn})`).join(", "));
  return [
    `The directory returned ${groups.length} username(s) (uid) that collide ignoring case; ` +
    "LoginTC usernames are case-insensitive, so nothing was synced:",
    ...lines,
    ...(groups.length > 20 ? [`  … and ${groups.length - 20} more`] : []),
    "Make the usernames unique in the directory, or narrow the filter.",
  ].join("\n");
}

Deno.test("sortCheckedUsers: sortUsers, or the very collision message of a map of usernames (property)", () => {
  const names = ["ann", "Ann", "ANN", "bob", "Bob", "ärger", "Ärger", "zed", "_x", "10"];
  // Up to 26 distinct colliding keys, so the "… and N more" line is reached too.
  const many = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          username: fc.oneof(
            fc.constantFrom(...names),
            fc.constantFrom(...many).chain((c) => fc.constantFrom(c, c.toUpperCase())),
          ),
          dn: fc.constantFrom("uid=a,o=x", "uid=b,o=x", "cn=c,o=y"),
        }),
        { maxLength: 80 },
      ),
      (raw) => {
        const users = raw.map((r) => ({ ...r, aliases: {} }));
        const message = collisionMessageByMap(users);
        if (message === undefined) {
          assert.deepEqual(sortCheckedUsers(users, "uid"), sortUsers(users));
          checkUsernameCollisions(users, "uid");
          return;
        }
        for (
          const check of [() => sortCheckedUsers(users, "uid"), () => checkUsernameCollisions(users, "uid")]
        ) {
          assert.throws(check, (e: unknown) => e instanceof DirectoryError && e.message === message);
        }
      },
    ),
  );
});
