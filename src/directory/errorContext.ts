/**
 * What the LDAP error messages know about the failed operation (src/directory/errors.ts and the
 * modules it delegates to), and its values made terminal-safe once (src/output/escape.ts).
 */
import { escapeText } from "../output/escape.ts";
import type { CertProblem } from "../tls/certificate.ts";
import type { Encryption } from "../types.ts";
import type { Vendor } from "./vendor.ts";

export type Phase = "connect" | "starttls" | "rootdse" | "bind" | "search";

/** How a phase is named in messages. */
export function phaseName(phase: Phase): string {
  return phase === "rootdse" ? "first request (reading the RootDSE)" : phase;
}

export interface ErrorContext {
  host: string;
  port: number;
  encryption: Encryption;
  phase: Phase;
  bindDn: string;
  baseDn: string;
  filter: string;
  caFile?: string;
  /** The server, when its RootDSE was read (src/directory/rootDse.ts): vendor-specific advice. */
  vendor?: Vendor;
  /** What a diagnostic look found wrong with a refused TLS certificate (src/directory/peerCertificate.ts). */
  certificate?: CertProblem;
  /** Entries per page of the paged search, named in size-limit advice. */
  pageSize?: number;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
}

/**
 * Values in these messages (the server's own text, URLs, certificate names, and the config's DNs)
 * are shown terminal-safe: a directory's diagnostic text is data like any entry's (src/output/escape.ts).
 */
export const q = escapeText;

/** The context with its config values terminal-safe, taken once on entry to each builder. */
export function shown(ctx: ErrorContext): ErrorContext {
  return {
    ...ctx,
    host: q(ctx.host),
    bindDn: q(ctx.bindDn),
    baseDn: q(ctx.baseDn),
    filter: q(ctx.filter),
    caFile: ctx.caFile === undefined ? undefined : q(ctx.caFile),
  };
}

export function where(ctx: ErrorContext): string {
  return `${ctx.host}:${ctx.port}`;
}
