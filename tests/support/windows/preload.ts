/**
 * Loaded by `deno test --preload` in the Windows suite only (tests/support/windows/run.ts): every test named
 * in WINE_EXCLUSIONS is registered with `ignore: true`, so deno lists it as "<name> ... ignored"
 * instead of running it. Every other test is registered unchanged.
 */
import { exclusionFor, WINE_EXCLUSIONS } from "./exclusions.ts";

type Fn = (t: Deno.TestContext) => void | Promise<void>;
type Def = Deno.TestDefinition;

const register = Deno.test;

/** Deno.test's overloads → one definition (name, fn and options together). */
function definition(args: unknown[]): Def {
  const [a, b, c] = args;
  if (typeof a === "function") return { name: a.name, fn: a as Fn };
  if (typeof a === "string") {
    return typeof b === "function" ? { name: a, fn: b as Fn } : { ...(b as object), name: a, fn: c as Fn };
  }
  return typeof b === "function" ? { ...(a as Def), fn: b as Fn } : a as Def;
}

function wineTest(...args: unknown[]): void {
  const def = definition(args);
  if (exclusionFor(WINE_EXCLUSIONS, def.name)) return register({ ...def, ignore: true });
  // deno-lint-ignore no-explicit-any
  return (register as any)(...args);
}

// Deno.test.ignore / .only keep working (they are separate functions).
Object.assign(wineTest, { ignore: register.ignore, only: register.only });
// deno-lint-ignore no-explicit-any
(Deno as any).test = wineTest;
