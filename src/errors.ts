/**
 * Typed errors. Everything outside main.ts throws one of these (or returns);
 * only main.ts turns them into an exit code. The codes are documented in README.md,
 * docs/operations.md ("Exit codes") and --help, so cron jobs and CI can act on them.
 */

export const ExitCode = {
  /** Success, or nothing to do. */
  OK: 0,
  /** Runtime failure: directory or LoginTC unreachable, rejected, unexpected. */
  FAILURE: 1,
  /** Usage or config error: nothing was contacted, nothing changed. */
  USAGE: 2,
  /** A guard withheld removals (the rest of the plan ran). */
  GUARD: 3,
  /** Some steps failed; the others were done. */
  PARTIAL: 4,
  /**
   * The core sync ran, but a feature the config or flags ask for (aliases, phones, -g, -l, a token
   * without email) is not supported by this LoginTC and was skipped (docs/logintc-api.md).
   */
  UNSUPPORTED: 5,
  /** `--check` only: LoginTC is not in sync with the directory; a real run would write. */
  PENDING: 6,
  /**
   * Stopped by SIGINT (Ctrl-C) or SIGTERM (systemd stop, kill, a timeout): 128 + the signal's number,
   * what a shell reports for a process a signal ended (POSIX, "Exit Status for Commands"; SIGINT is 2,
   * SIGTERM 15). The job record says Interrupted, with the steps made.
   */
  SIGINT: 130,
  SIGTERM: 143,
} as const;
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];

/** Base class: a message meant for an admin, and the exit code it maps to. */
export abstract class AppError extends Error {
  abstract readonly exitCode: ExitCode;
}

/** A bad flag or argument. main.ts prints it with a hint to run --help. */
export class UsageError extends AppError {
  override readonly name = "UsageError";
  readonly exitCode = ExitCode.USAGE;
}

/**
 * A state directory, or a file or folder in it, that the run will not use: others can write it, or it
 * is a link (src/state/stateFiles.ts). One message naming it and the fix; nothing was changed.
 */
export class UnsafeStateError extends AppError {
  override readonly name = "UnsafeStateError";
  readonly exitCode = ExitCode.USAGE;
}

/**
 * A bad config file. Carries every problem found (each already "file:line: ..."),
 * so the admin fixes them in one pass.
 */
export class ConfigError extends AppError {
  override readonly name = "ConfigError";
  readonly exitCode = ExitCode.USAGE;
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

/** The LDAP read failed. Never carries partial results. */
export class DirectoryError extends AppError {
  override readonly name = "DirectoryError";
  readonly exitCode = ExitCode.FAILURE;
}

/** LoginTC Admin could not be reached or rejected a request. */
export class LoginTCError extends AppError {
  override readonly name = "LoginTCError";
  readonly exitCode = ExitCode.FAILURE;
  constructor(
    message: string,
    readonly details: {
      method?: string;
      path?: string;
      status?: number;
      code?: string;
      apiMessage?: string;
      /**
       * The API key (401, 403) or the proxy's credentials (407) were refused: every later request
       * would fail the same way, so a run stops starting steps (src/sync/applyPlan.ts).
       */
      credentials?: "api-key" | "proxy";
    } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The run was asked to stop (a signal, a time limit): it starts no more steps, and records what it
 * made. The reason is an AbortSignal's (src/cli/runSync.ts); the exit code is the asker's.
 */
export class RunStopped extends AppError {
  override readonly name = "RunStopped";
  constructor(message: string, readonly exitCode: ExitCode) {
    super(message);
  }
}

/** A safety guard refused the whole run (e.g. a job already running). */
export class GuardError extends AppError {
  override readonly name = "GuardError";
  readonly exitCode = ExitCode.GUARD;
}
