/**
 * A minimal JSON Schema (draft 2020-12) validator for the subset docs/schema/*.schema.json use:
 * type, const, enum, required, properties, additionalProperties, items, oneOf, $ref to #/$defs,
 * minimum, maximum, pattern. A keyword outside the subset is an error, so the schema cannot start
 * relying on one this validator would silently ignore. Test-only: never part of the binary.
 */

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(["$schema", "$id", "title", "description", "$defs"]);
const KEYWORDS = new Set([
  "type",
  "const",
  "enum",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "oneOf",
  "$ref",
  "minimum",
  "maximum",
  "pattern",
]);

/** Every violation, as "path: problem"; [] when `value` is valid. */
export function validate(schema: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(schema, schema, value, "$", errors);
  return errors;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function matchesType(v: unknown, type: string): boolean {
  const t = typeOf(v);
  return t === type || (type === "number" && t === "integer");
}

function check(root: Schema, schema: Schema, value: unknown, path: string, errors: string[]): void {
  for (const k of Object.keys(schema)) {
    if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k)) throw new Error(`${path}: unsupported keyword ${k}`);
  }
  if (typeof schema.$ref === "string") {
    const m = schema.$ref.match(/^#\/\$defs\/(.+)$/);
    if (!m) throw new Error(`${path}: unsupported $ref ${schema.$ref}`);
    const target = (root.$defs as Record<string, Schema>)[m[1]];
    if (!target) throw new Error(`${path}: no $defs/${m[1]}`);
    check(root, target, value, path, errors);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type as string[] : [schema.type as string];
    if (!types.some((t) => matchesType(value, t))) {
      errors.push(`${path}: is ${typeOf(value)}, expected ${types.join(" or ")}`);
      return;
    }
  }
  if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter((s) => validateAt(root, s, value, path).length === 0);
    if (passing.length !== 1) errors.push(`${path}: matches ${passing.length} of oneOf, expected exactly 1`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      errors.push(`${path}: < ${schema.minimum}`);
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      errors.push(`${path}: > ${schema.maximum}`);
    }
  }
  if (
    typeof value === "string" && typeof schema.pattern === "string" &&
    !new RegExp(schema.pattern, "u").test(value)
  ) {
    errors.push(`${path}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => check(root, schema.items as Schema, item, `${path}[${i}]`, errors));
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in obj)) errors.push(`${path}: missing ${key}`);
    }
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, v] of Object.entries(obj)) {
      if (key in props) check(root, props[key], v, `${path}.${key}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${key}`);
      else if (typeof schema.additionalProperties === "object") {
        check(root, schema.additionalProperties as Schema, v, `${path}.${key}`, errors);
      }
    }
  }
}

function validateAt(root: Schema, schema: Schema, value: unknown, path: string): string[] {
  const errors: string[] = [];
  check(root, schema, value, path, errors);
  return errors;
}

/** The product's output schema, read from the repository. */
export async function reportSchema(): Promise<Schema> {
  const url = new URL("../../docs/schema/logintc-sync.schema.json", import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}
