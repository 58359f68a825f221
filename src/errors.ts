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
    } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A safety guard refused the whole run (e.g. a job already running). */
export class GuardError extends AppError {
  override readonly name = "GuardError";
  readonly exitCode = ExitCode.GUARD;
}
