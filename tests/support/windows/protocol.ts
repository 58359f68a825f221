/**
 * The wire format between the Windows test process (deno.exe under Wine) and the Linux-side fixture
 * host (tests/support/windows/host.ts): one JSON request line, one JSON response line, one TCP connection per
 * call on 127.0.0.1. Plain TCP, not HTTP: tests set proxy variables, and Deno's fetch would honour them.
 *
 * Paths cross the boundary in two spellings. Wine maps drive Z: to the chroot's "/", and the repo and
 * the fixture share are bind-mounted at their own paths, so a Linux path there is `Z:` + the path with
 * backslashes; C: is the Wine prefix's drive_c. The conversions are pure and unit-tested on Linux.
 */

/** Env vars the Windows run gets: "127.0.0.1:PORT" of the host, and the per-run token it checks. */
export const REMOTE_ENV = "LOGINTC_TEST_REMOTE";
export const REMOTE_TOKEN_ENV = "LOGINTC_TEST_REMOTE_TOKEN";

export type Op =
  | { op: "pki"; dir: string; opts: { san?: string; cn?: string } }
  | { op: "pki.variant"; dir: string; variant: "expired" | "not-yet-valid" | "wrong-host" }
  | { op: "slapd.start"; opts: unknown }
  | { op: "slapd.modify"; id: number; ldif: string }
  | { op: "proxy.start"; kind: "tinyproxy" | "squid"; auth?: { user: string; pass: string } }
  | { op: "proxy.log"; id: number }
  | { op: "samba.start" }
  | { op: "stop"; id: number };

export type Request = Op & { token: string };
export type Response = { ok: true; result: unknown } | { ok: false; error: string };

/** Where the chroot and the Wine prefix are, as seen from Linux. */
export interface WineLayout {
  /** The chroot directory (Wine's Z:\). */
  root: string;
  /** Directories bind-mounted at their own path inside the chroot (repo, fixture share). */
  sameInside: readonly string[];
  /** The prefix's drive_c, as a path inside the chroot. */
  driveC: string;
}

const under = (path: string, dir: string) =>
  path === dir || path.startsWith(dir.endsWith("/") ? dir : dir + "/");

/** A Windows path the test process uses (`C:\…` or `Z:\…`) → the same file's Linux path. */
export function linuxPath(win: string, layout: WineLayout): string {
  const m = /^([A-Za-z]):[\\/]?(.*)$/.exec(win);
  if (!m) throw new Error(`not an absolute Windows path: ${win}`);
  const rest = m[2].replaceAll("\\", "/");
  const drive = m[1].toUpperCase();
  if (drive === "Z") {
    const inside = "/" + rest;
    return layout.sameInside.some((d) => under(inside, d)) ? inside : layout.root + inside;
  }
  if (drive === "C") return `${layout.root}${layout.driveC}/${rest}`.replace(/\/$/, "");
  throw new Error(`drive ${drive}: is not mapped by the Wine test setup: ${win}`);
}

/** A Linux path inside a same-path mount (repo, share) → the Windows path Wine shows for it. */
export function windowsPath(linux: string, layout: WineLayout): string {
  if (!layout.sameInside.some((d) => under(linux, d))) {
    throw new Error(
      `${linux} is not visible inside the Wine chroot (not under ${layout.sameInside.join(", ")})`,
    );
  }
  return "Z:" + linux.replaceAll("/", "\\");
}
