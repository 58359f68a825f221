/**
 * The repository owns its docs: every file a source comment or a docs page cites exists here, no
 * comment cites the outside notes this project was started from, links between docs pages resolve
 * (anchors included), and the README stays a summary (≤ 12 KB). docs/development.md, section Tests.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SELF = relative(ROOT, fileURLToPath(import.meta.url));
const SOURCE_DIRS = ["src", "emulator", "scripts", "tests", ".ci"];
const SKIP_DIRS = new Set(["node_modules", "tools", "cov", "dist"]);

function walk(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const e of Deno.readDirSync(join(ROOT, dir))) {
    const path = join(dir, e.name);
    if (e.isDirectory) {
      if (!SKIP_DIRS.has(e.name)) walk(path, keep, out);
    } else if (keep(e.name)) out.push(path);
  }
  return out;
}

/** Source files: TypeScript, and the shell scripts of .ci/ (no extension). */
function sourceFiles(): string[] {
  const files = ["main.ts"];
  for (const dir of SOURCE_DIRS) {
    walk(dir, (n) => n.endsWith(".ts") || (dir === ".ci" && !n.includes(".")), files);
  }
  return files.filter((f) => f !== SELF);
}

/** Files our tasks write, named in code and comments, never in the repository. */
const WRITTEN = new Set(["NOTICE.txt"]); // scripts/compile.ts, a stand-in build's notice

/** A cited path resolves from the repository root or from the citing file's folder. */
function resolves(from: string, cited: string): boolean {
  if (WRITTEN.has(cited.replace(/^.*\//, ""))) return true;
  // A path on an installed system (the RPM's /usr/share/doc/…; tests/integration/scripts/packageRpm_test.ts), not in the repository.
  if (/^\/(usr|etc|var|opt)\//.test(cited)) return true;
  return existsSync(join(ROOT, cited)) || existsSync(join(ROOT, dirname(from), cited));
}

Deno.test("docs: every .md/.txt file and test file a source comment names exists in the repository", () => {
  const missing: string[] = [];
  for (const file of sourceFiles()) {
    const lines = Deno.readTextFileSync(join(ROOT, file)).split("\n");
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/(?<![\\\w/.-])((?:\.{0,2}\/)?[\w.-]+(?:\/[\w.-]+)*\.(?:md|txt))\b/g)) {
        if (!resolves(file, m[1])) missing.push(`${file}:${i + 1}: ${m[1]}`);
      }
      for (const m of line.matchAll(/(?<![\w/.-])((?:tests|src|emulator|scripts)\/[\w/.-]+\.ts)\b/g)) {
        if (!resolves(file, m[1])) missing.push(`${file}:${i + 1}: ${m[1]}`);
      }
    });
  }
  assert.deepEqual(missing, []);
});

Deno.test("docs: a docs section a source comment names is a heading of that page", () => {
  // A section is a heading, or a paragraph's bold lead ("**Referrals.** If the search…").
  const headings = (page: string) =>
    Deno.readTextFileSync(join(ROOT, page)).split("\n").flatMap((l) => {
      const m = /^#{1,6} (.*)$/.exec(l) ?? /^\*\*([^*]+?)\.?\*\*/.exec(l);
      return m ? [m[1].toLowerCase()] : [];
    });
  const missing: string[] = [];
  for (const file of sourceFiles()) {
    // Citations name a docs page, then `, "Heading"` or `, section Heading`; they may wrap.
    const text = Deno.readTextFileSync(join(ROOT, file)).replace(/\n\s*(?:\*|\/\/|#)\s*/g, " ");
    for (const m of text.matchAll(/(docs\/[\w-]+\.md),? (?:section )?(?:"([^"]+)"|([A-Z][\w']*))/g)) {
      const section = (m[2] ?? m[3]).toLowerCase();
      if (!existsSync(join(ROOT, m[1]))) continue; // reported by the test above
      if (!headings(m[1]).some((h) => h.startsWith(section))) missing.push(`${file}: ${m[1]}, "${section}"`);
    }
  }
  assert.deepEqual(missing, []);
});

Deno.test("docs: no comment cites the outside reference notes or their source tags", () => {
  const outside = [
    /\bD-(?:IDX|USR|DOM|TOK|SES|HW|SYNC|UM|BC|PH|ADM|MGD|POL)\b/,
    /\blab[- ]notes\b/i,
    /\/work\/shared\b/,
    /\bshared\/reference\b/,
  ];
  const found: string[] = [];
  for (const file of [...sourceFiles(), ...walk("docs", (n) => n.endsWith(".md")), "README.md"]) {
    Deno.readTextFileSync(join(ROOT, file)).split("\n").forEach((line, i) => {
      if (outside.some((re) => re.test(line))) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

Deno.test("docs: links between README and docs/ resolve, anchors included", () => {
  const pages = ["README.md", ...walk("docs", (n) => n.endsWith(".md"))];
  const anchors = new Map(pages.map((p) => [
    p,
    new Set(
      Deno.readTextFileSync(join(ROOT, p)).split("\n").filter((l) => /^#{1,6} /.test(l)).map((l) =>
        anchor(l.replace(/^#+ /, ""))
      ),
    ),
  ]));
  const broken: string[] = [];
  for (const page of pages) {
    const text = Deno.readTextFileSync(join(ROOT, page));
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [path, hash] = target.split("#");
      const file = path === "" ? page : join(dirname(page), path);
      if (!existsSync(join(ROOT, file))) broken.push(`${page}: ${target}`);
      else if (hash !== undefined && file.endsWith(".md") && !anchors.get(file)?.has(hash)) {
        broken.push(`${page}: ${target} (no such heading)`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("docs: README stays a summary of at most 12 KB", () => {
  const size = Deno.statSync(join(ROOT, "README.md")).size;
  assert.ok(size <= 12 * 1024, `README.md is ${size} bytes`);
});
