/** Maps errors to exit codes and one- or two-line messages (DESIGN.md "Exit codes"). */
export const ExitCode = { ok: 0, checkFailed: 1, cannotRun: 2 } as const;

/**
 * Errors are recognised by name, not instanceof: lazily loaded stages are a separate file in
 * the build, with their own copy of the error classes.
 */
const named = (err: unknown, ...names: string[]): err is Error =>
  err instanceof Error && names.includes(err.name);

export function exitCodeFor(err: unknown): number {
  if (named(err, 'CheckFailedError')) return ExitCode.checkFailed;
  return ExitCode.cannotRun;
}

/** The message printed on stderr; a stack trace only with --debug or for a bug. */
export function describeError(err: unknown, debug: boolean): string {
  if (named(err, 'CheckFailedError', 'InputError', 'UsageError')) {
    return debug && err.stack ? err.stack : err.message;
  }
  const e = err as Error;
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' && e.code.startsWith('E')) {
    // An operating-system error (EACCES, ENOSPC, …): the message already names the path.
    return debug && e.stack ? e.stack : e.message;
  }
  const msg = e?.message ?? String(err);
  return debug && e?.stack ? e.stack : `internal error: ${msg} (run with --debug for details, and please report it)`;
}
