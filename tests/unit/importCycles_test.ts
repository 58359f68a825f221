/**
 * No module of src/ or emulator/ reaches itself through its relative imports, type-only ones
 * included: a cycle means two files hold one idea, or one leans back on the layer above it
 * (docs/development.md, Layout).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// Module paths are import specifiers, POSIX on every OS (a Windows join would give lib\\a\\y.ts).
import { dirname, join as joinModule, normalize } from "node:path/posix";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIRS = ["src", "emulator"];

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const e of Deno.readDirSync(join(ROOT, dir))) {
    const path = joinModule(dir, e.name);
    if (e.isDirectory) tsFiles(path, out);
    else if (e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** The relative modules a file imports or re-exports, as paths from the repository root. */
function relativeImports(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gm),
    ...text.matchAll(/^\s*import\s+"(\.{1,2}\/[^"]+)"/gm),
    ...text.matchAll(/\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g),
  ].map((m) => m[1]);
  return specifiers.map((s) => normalize(joinModule(dirname(file), s)));
}

/** Every import that closes a cycle, as the path around it; [] when there is none. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue; // outside the checked folders
      if (state.get(next) === "open") cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

Deno.test("import cycles: none in src/ or emulator/", () => {
  const graph = new Map<string, string[]>();
  for (const dir of DIRS) {
    for (const file of tsFiles(dir)) {
      graph.set(file, relativeImports(file, Deno.readTextFileSync(join(ROOT, file))));
    }
  }
  assert.ok(graph.size > 100, `only ${graph.size} modules found`);
  assert.deepEqual(importCycles(graph).map((c) => c.join(" → ")), []);
});

Deno.test("import cycles: the check sees type-only imports, re-exports and dynamic imports", () => {
  const imports = relativeImports(
    "lib/a/x.ts",
    'import type { T } from "./y.ts";\nexport { u } from "../b/z.ts";\nconst m = await import("./w.ts");\n' +
      'import {\n  a,\n  b,\n} from "./v.ts";\nimport "npm:skip";\n',
  );
  assert.deepEqual(imports.sort(), ["lib/a/v.ts", "lib/a/w.ts", "lib/a/y.ts", "lib/b/z.ts"]);
  const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
  assert.deepEqual(importCycles(graph), [["a", "b", "c", "a"]]);
  assert.deepEqual(importCycles(new Map([["a", ["b"]], ["b", []]])), []);
});
