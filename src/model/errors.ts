/**
 * Typed errors. Stages throw these; only `src/cli/` maps them to exit codes
 * (InputError, UsageError → 2; CheckFailedError → 1). Messages are what the user
 * sees: one or two lines naming the file and the problem.
 */

/** Bad flags or arguments: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Input that cannot be used (unreadable, malformed, over a limit): exit 2. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    /** The file (or archive entry) the problem is in, when known. */
    readonly file?: string,
  ) {
    super(message);
  }
}

/** A check ran and failed (provenance not verified, findings at or above --fail-on): exit 1. */
export class CheckFailedError extends Error {
  override name = 'CheckFailedError';
}
