/**
 * deno.json's "imports" hold only what the product imports: deno compile embeds what the lockfile
 * and the import map name (scripts/compile.ts passes --exclude-unused-npm as well), so a test-only
 * package there would ship in every binary. Test-only packages are imported by specifier in
 * tests/support/ (fast-check: tests/support/fastCheck.ts).
 */
import assert from "node:assert/strict";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  reachableModules,
  selectedTestFiles,
  TOOLS,
  TOOLS_OF_MODULE,
  toolsFor,
  UNIT_TESTS,
} from "../../support/tools.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* tsFiles(path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

Deno.test("deno.json imports: every entry is imported by the product (main.ts, src/)", async () => {
  const imports = Object.keys(JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).imports);
  const used = new Set<string>();
  const files = [join(ROOT, "main.ts")];
  for await (const f of tsFiles(join(ROOT, "src"))) files.push(f);
  for (const f of files) {
    for (const m of (await Deno.readTextFile(f)).matchAll(/(?:from|import\()\s*"([^".][^"]*)"/g)) {
      used.add(m[1]);
    }
  }
  assert.deepEqual(imports.filter((name) => !used.has(name)), []);
  assert.ok(!imports.includes("fast-check"));
});

Deno.test("test:unit: its files start no server and need no installed program", () => {
  const files = selectedTestFiles(ROOT, [UNIT_TESTS]);
  assert.ok(files.length > 0);
  const reached = reachableModules(ROOT, files);
  assert.deepEqual(toolsFor(ROOT, files), []);
  const servers = [
    "emulator/mod.ts",
    "tests/support/cli.ts",
    "tests/support/slapd.ts",
    "tests/support/samba.ts",
  ];
  assert.deepEqual(servers.filter((m) => reached.has(m)), []);
});

Deno.test("deno task test: the tools follow the selected files' imports", () => {
  const bins = (args: string[]) => toolsFor(ROOT, selectedTestFiles(ROOT, args)).map((t) => t.bin).sort();
  assert.deepEqual(bins(["tests/unit/", "tests/e2e/usage_test.ts"]), []);
  assert.deepEqual(bins(["tests/integration/sync/"]), ["openssl"]); // the emulator's PKI
  assert.deepEqual(bins(["tests/e2e/modes_test.ts"]), ["ldapsearch", "openssl", "slapadd", "slapd"]);
  assert.deepEqual(bins(["--filter", "x", "tests/integration/logintc/proxy_test.ts"]), [
    "openssl",
    "squid",
    "tinyproxy",
  ]);
  assert.ok(bins([]).includes("samba"), "the whole suite needs Samba");
});

Deno.test("deno task test: every tool is named by the support module that runs it", () => {
  const named = new Set(Object.values(TOOLS_OF_MODULE).flat());
  assert.deepEqual(Object.keys(TOOLS).filter((t) => !named.has(t as keyof typeof TOOLS)), []);
  for (const module of Object.keys(TOOLS_OF_MODULE)) Deno.statSync(join(ROOT, module));
});

Deno.test("tests/: test files named <camelCase>_test.ts, and helpers only in tests/support/", async () => {
  const misplaced: string[] = [];
  for await (const path of tsFiles(join(ROOT, "tests"))) {
    const rel = relative(ROOT, path).split(sep).join("/");
    const name = rel.slice(rel.lastIndexOf("/") + 1);
    const helper = rel.startsWith("tests/support/") || rel === "tests/run.ts";
    if (helper ? name.endsWith("_test.ts") : !/^[a-z][A-Za-z0-9]*_test\.ts$/.test(name)) misplaced.push(rel);
  }
  assert.deepEqual(misplaced, []);
});
