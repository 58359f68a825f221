import assert from "node:assert/strict";
import { parseIni } from "../../../src/config/ini.ts";
import { formatProblems } from "../../../src/config/problems.ts";

function parse(text: string) {
  const { doc, problems } = parseIni(text, "t.cfg");
  const value = (section: string, key: string) => doc.sections.get(section)?.entries.get(key)?.value;
  return { doc, value, problems: formatProblems("t.cfg", problems) };
}

Deno.test("ini: '#' and ';' inside a value are kept (no inline comments)", () => {
  const { value, problems } = parse("[ldap]\nbind_password = ab#c;d\nurl = ldap://h/#frag\n");
  assert.deepEqual(problems, []);
  assert.equal(value("ldap", "bind_password"), "ab#c;d");
  assert.equal(value("ldap", "url"), "ldap://h/#frag");
});

Deno.test("ini: values stay strings exactly as written (no number coercion), outer spaces trimmed", () => {
  const { value } = parse('[s]\nzip = 00123\nempty =\n  spaced  =   a  b   \nq = "x"\nt = true\n');
  assert.equal(value("s", "zip"), "00123");
  assert.equal(value("s", "empty"), "");
  assert.equal(value("s", "spaced"), "a  b");
  assert.equal(value("s", "q"), '"x"', "quotes are not special");
  assert.equal(value("s", "t"), "true");
});

Deno.test("ini: splits on the first '=' only", () => {
  const { value } = parse("[ldap]\nfilter = (&(uid=x)(cn=y))\nbase_dn = ou=a,dc=b\n");
  assert.equal(value("ldap", "filter"), "(&(uid=x)(cn=y))");
  assert.equal(value("ldap", "base_dn"), "ou=a,dc=b");
});

Deno.test("ini: a leading BOM and CRLF line endings are accepted", () => {
  const { value, problems, doc } = parse(
    "\uFEFF[logintc]\r\nhost = a.example.com\r\n; note\r\n[ldap]\r\nhost = b\r\n",
  );
  assert.deepEqual(problems, []);
  assert.deepEqual([...doc.sections.keys()], ["logintc", "ldap"]);
  assert.equal(value("logintc", "host"), "a.example.com");
  assert.equal(doc.sections.get("ldap")?.entries.get("host")?.line, 5);
});

Deno.test("ini: section and key names are case-insensitive", () => {
  const { value } = parse("[LDAP]\nBind_DN = cn=x\n");
  assert.equal(value("ldap", "bind_dn"), "cn=x");
});

Deno.test("ini: comment lines may be indented; blank lines are skipped", () => {
  const { problems, doc } = parse("  # a\n\t; b\n\n[s]\n   \nk = v\n");
  assert.deepEqual(problems, []);
  assert.equal(doc.sections.get("s")?.entries.size, 1);
});

Deno.test("ini: every problem is reported, each as file:line: message", () => {
  const text = [
    "k0 = before any section", // 1
    "[a]", // 2
    "x = 1", // 3
    "X = 2", // 4 duplicate (case-insensitive)
    "just words", // 5
    "= v", // 6
    "[a]", // 7 duplicate section
    "[b] ; comment", // 8
    "[]", // 9
    "[c", // 10
    "k = v", // 11 after a broken header: not reported again
  ].join("\n");
  assert.deepEqual(parse(text).problems, [
    "t.cfg:1: key 'k0' is outside any section; add a [section] above it",
    "t.cfg:4: duplicate key 'x' in [a] (first at line 3)",
    "t.cfg:5: expected '[section]', 'key = value' or a comment starting with '#' or ';'",
    "t.cfg:6: missing key name before '='",
    "t.cfg:7: duplicate section [a] (first at line 2)",
    "t.cfg:8: unexpected text after [b]; comments must be on a line of their own",
    "t.cfg:9: empty section name '[]'",
    "t.cfg:10: section header is missing its closing ']'",
  ]);
});

Deno.test("ini: the first of duplicate keys wins; a header with trailing text still opens its section", () => {
  const { value } = parse("[a]\nk = first\nk = second\n[b] trailing\nz = 1\n");
  assert.equal(value("a", "k"), "first");
  assert.equal(value("b", "z"), "1");
});

Deno.test("ini: problems never quote a line's text (it may hold a password)", () => {
  const { problems } = parse("[ldap]\nbind_password: s3cret!\n");
  assert.equal(problems.length, 1);
  assert.ok(!problems[0].includes("s3cret"));
});
