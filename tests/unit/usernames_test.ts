/**
 * src/usernames.ts: one username key (ASCII case folded, nothing else) and look-alikes (issue 21,
 * item 4: `toLowerCase()` matched the KELVIN SIGN, U+212A, to `k`).
 */
import assert from "node:assert/strict";
import fc from "../support/fastCheck.ts";
import { compareUsernames, lookAlikeGroups, lookAlikeKey, usernameKey } from "../../src/usernames.ts";

/** The reference: each UTF-16 unit kept, A–Z lowercased. */
const asciiFold = (s: string) =>
  Array.from(s, (c) => c >= "A" && c <= "Z" ? String.fromCharCode(c.charCodeAt(0) + 32) : c).join("");

const anyText = fc.string({ unit: "binary", maxLength: 12 });
/** Usernames built from letters that fold, or look alike, in some way. */
const tricky = fc.string({
  unit: fc.constantFrom(
    "k",
    "K",
    "\u212a",
    "\uff4b",
    "e",
    "E",
    "\u00e9",
    "\u00c9",
    "\u0301",
    "\u200b",
    "s",
    "\u017f",
    "i",
    "I",
    "\u0130",
    "\u0131",
  ),
  maxLength: 5,
});

Deno.test("usernameKey: only ASCII letters fold; any other character is kept as it is", () => {
  fc.assert(fc.property(fc.oneof(anyText, tricky), (s) => {
    assert.equal(usernameKey(s), asciiFold(s));
    assert.equal(usernameKey(usernameKey(s)), usernameKey(s));
  }));
  assert.equal(usernameKey("KELVIN"), "kelvin");
  assert.notEqual(usernameKey("\u212aelvin"), usernameKey("kelvin")); // "K" (KELVIN SIGN) stays
  assert.notEqual(usernameKey("\u00c9mile"), usernameKey("\u00e9mile"));
  assert.notEqual(usernameKey("\u0130"), usernameKey("i"));
});

Deno.test("usernameKey: two usernames are one user exactly when they differ only in ASCII case", () => {
  fc.assert(fc.property(fc.oneof(anyText, tricky), fc.oneof(anyText, tricky), (a, b) => {
    assert.equal(usernameKey(a) === usernameKey(b), asciiFold(a) === asciiFold(b));
    // The order groups one user's spellings together and is total.
    const c = compareUsernames(a, b);
    assert.equal(Math.sign(c) + Math.sign(compareUsernames(b, a)), 0);
    if (usernameKey(a) !== usernameKey(b)) {
      assert.equal(Math.sign(c), usernameKey(a) < usernameKey(b) ? -1 : 1);
    }
  }));
});

Deno.test("lookAlikeKey: NFKC, case and invisible characters are looked through", () => {
  const kelvin = [
    "kelvin",
    "Kelvin",
    "\u212aelvin",
    "\uff4belvin",
    "kel\u200bvin",
    "\uff2b\uff25\uff2c\uff36\uff29\uff2e",
  ];
  for (const k of kelvin) assert.equal(lookAlikeKey(k), "kelvin", JSON.stringify(k));
  assert.equal(lookAlikeKey("e\u0301mile"), lookAlikeKey("\u00c9mile"));
  assert.notEqual(lookAlikeKey("kelvin"), lookAlikeKey("kelvim"));
  // ASCII: the username key itself.
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom(..."aAzZ09._-@ "), maxLength: 10 }), (s) => {
    assert.equal(lookAlikeKey(s), usernameKey(s));
  }));
  // One user's spellings always look alike.
  fc.assert(fc.property(fc.oneof(anyText, tricky), (s) => {
    assert.equal(lookAlikeKey(s), lookAlikeKey(asciiFold(s)));
  }));
});

Deno.test("lookAlikeGroups: different usernames that look alike, each set sorted; one user's spellings are not a set", () => {
  assert.deepEqual(lookAlikeGroups(["alice", "Alice", "bob"]), []);
  assert.deepEqual(
    lookAlikeGroups(["kelvin", "\u212aelvin", "alice", "Kelvin", "\u00e9mile", "e\u0301mile"]),
    [
      ["e\u0301mile", "\u00e9mile"],
      ["Kelvin", "kelvin", "\u212aelvin"],
    ],
  );
  fc.assert(fc.property(fc.array(fc.oneof(anyText, tricky), { maxLength: 8 }), (names) => {
    const groups = lookAlikeGroups(names);
    const inGroups = groups.flat();
    assert.equal(new Set(inGroups).size, inGroups.length, "a name in two sets");
    for (const g of groups) {
      assert.equal(new Set(g.map(lookAlikeKey)).size, 1);
      assert.ok(new Set(g.map(usernameKey)).size > 1);
      assert.deepEqual(g, [...g].sort(compareUsernames));
    }
    // Every pair of names that look alike with different keys is in a set.
    for (const a of names) {
      for (const b of names) {
        if (lookAlikeKey(a) === lookAlikeKey(b) && usernameKey(a) !== usernameKey(b)) {
          assert.ok(
            groups.some((g) => g.includes(a) && g.includes(b)),
            `${JSON.stringify([a, b])} not grouped`,
          );
        }
      }
    }
  }));
});
