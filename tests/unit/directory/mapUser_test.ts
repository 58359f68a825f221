import assert from "node:assert/strict";
import {
  mapEntry,
  type MappingConfig,
  normalizeAlias,
  type RawEntry,
  requestedAttributes,
  toArray,
} from "../../../src/directory/mapUser.ts";

const cfg: MappingConfig = {
  attrUsername: "uid",
  attrName: "displayName",
  attrEmail: "mail",
  attrAlias: { alias1: "mail", alias2: "employeeNumber", alias3: "sAMAccountName" },
  attrPhone: "telephoneNumber",
  normalizeAlias: ["alias3"],
};

function user(entry: RawEntry, c: MappingConfig = cfg, defaults = {}) {
  const r = mapEntry(entry, c, defaults);
  assert.equal(r.kind, "user");
  return r.kind === "user" ? r.user : undefined!;
}

Deno.test("toArray normalises ldapts value shapes", () => {
  assert.deepEqual(toArray("a"), ["a"]);
  assert.deepEqual(toArray(["a", "b"]), ["a", "b"]);
  assert.deepEqual(toArray([]), []);
  assert.deepEqual(toArray(undefined), []);
  assert.deepEqual(toArray(new TextEncoder().encode("Jürgen")), ["Jürgen"]);
});

Deno.test("attribute names match case-insensitively; multi-valued uses the first value", () => {
  const u = user({
    dn: "uid=a,dc=x",
    UID: " alice ",
    displayname: "Alice Anderson",
    MAIL: ["first@example.com", "second@example.com"],
    telephonenumber: ["+1 555 1", "+1 555 2"],
  });
  assert.equal(u.username, "alice");
  assert.equal(u.name, "Alice Anderson");
  assert.equal(u.email, "first@example.com");
  assert.equal(u.phone, "+1 555 1");
  assert.equal(u.aliases.alias1, "first@example.com");
});

Deno.test("entries without a username are skipped with their DN", () => {
  assert.deepEqual(mapEntry({ dn: "cn=x,dc=x", uid: [] }, cfg, {}), { kind: "noUsername", dn: "cn=x,dc=x" });
  assert.deepEqual(mapEntry({ dn: "cn=y,dc=x", uid: "  " }, cfg, {}), {
    kind: "noUsername",
    dn: "cn=y,dc=x",
  });
});

Deno.test("name/email fall back to -n/-e defaults, else stay undefined", () => {
  const bare = { dn: "uid=b,dc=x", uid: "b", displayName: [], mail: [] };
  const u = user(bare);
  assert.equal(u.name, undefined);
  assert.equal(u.email, undefined);
  assert.equal("name" in u, false);
  const d = user(bare, cfg, { defaultName: "Nobody", defaultEmail: "it@example.com" });
  assert.equal(d.name, "Nobody");
  assert.equal(d.email, "it@example.com");
  // A present value wins over the default.
  assert.equal(user({ ...bare, mail: "b@x.com" }, cfg, { defaultEmail: "it@example.com" }).email, "b@x.com");
});

Deno.test("alias rules: absent → leave alone, blank → clear, else value", () => {
  const u = user({ dn: "uid=c,dc=x", uid: "c", mail: " ", employeeNumber: [] });
  assert.equal(u.aliases.alias1, ""); // single space clears
  assert.equal("alias2" in u.aliases, false); // absent: untouched
  assert.equal("alias3" in u.aliases, false);
  assert.equal(user({ dn: "d", uid: "d", mail: "" }).aliases.alias1, "");
  assert.equal(user({ dn: "e", uid: "e", employeeNumber: "E-42" }).aliases.alias2, "E-42");
  const noAliases = user({ dn: "f", uid: "f", mail: "f@x" }, { ...cfg, attrAlias: {} });
  assert.deepEqual(noAliases.aliases, {});
});

Deno.test("normalize_alias applies only to listed slots", () => {
  const u = user({ dn: "g", uid: "g", mail: "G.Doe@Example.com", sAMAccountName: " EXAMPLE\\G.Doe " });
  assert.equal(u.aliases.alias1, "G.Doe@Example.com");
  assert.equal(u.aliases.alias3, "g.doe");
  assert.equal(normalizeAlias("John.Doe@Example.COM"), "john.doe");
  assert.equal(normalizeAlias("CORP\\JDoe"), "jdoe");
  assert.equal(normalizeAlias("  plain  "), "plain");
  assert.equal(user({ dn: "h", uid: "h", sAMAccountName: " " }).aliases.alias3, ""); // blank still clears
});

Deno.test("only the mapped attributes are requested, deduplicated ignoring case", () => {
  assert.deepEqual(requestedAttributes(cfg), [
    "uid",
    "displayName",
    "mail",
    "employeeNumber",
    "sAMAccountName",
    "telephoneNumber",
  ]);
  assert.deepEqual(
    requestedAttributes({ ...cfg, attrName: "UID", attrAlias: {}, attrPhone: undefined }),
    ["uid", "mail"],
  );
});
