/**
 * A fake clock for the CLI as a subprocess: a `deno run --preload` module (a data: URL, so nothing is
 * written to disk) that replaces the global Date before main.ts runs, so `new Date()` and `Date.now()`
 * start at the given time and run on from there. For tests only: it is not part of the product — the
 * compiled binary has no clock setting at all, so nothing a production run is given can move its time.
 * TLS certificate checks use the system's time (Rust), not Date, and are not moved.
 */

/** The module's source: Date with the zero-argument forms moved to `at`. */
function source(at: number): string {
  return `const Real = Date;
const start = Real.now();
const at = ${at};
const now = () => at + (Real.now() - start);
class FakeDate extends Real {
  constructor(...args) {
    if (args.length === 0) super(now());
    else super(...args);
  }
  static now() {
    return now();
  }
}
globalThis.Date = FakeDate;
`;
}

/** `deno run` flags that start the program's clock at `at`. */
export function clockFlags(at: Date): string[] {
  const url = `data:text/javascript;base64,${btoa(source(at.getTime()))}`;
  return [`--preload=${url}`];
}
