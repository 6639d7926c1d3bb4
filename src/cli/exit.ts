/** Maps errors to exit codes and one- or two-line messages (DESIGN.md "Exit codes"). */
export const ExitCode = { ok: 0, checkFailed: 1, cannotRun: 2 } as const;

/**
 * Errors are recognised by name, not instanceof: lazily loaded command modules are separate
 * files in the build, with their own copies of the error classes.
 */
const named = (err: unknown, ...names: string[]): err is Error =>
  err instanceof Error && names.includes(err.name);

export function exitCodeFor(err: unknown): number {
  if (named(err, 'CheckFailedError')) return ExitCode.checkFailed;
  return ExitCode.cannotRun;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'input/output error',
  EFBIG: 'file too large',
};

/** An operating-system error in plain words (`ENOSPC` → "no space left on the device"). */
export function errnoText(e: NodeJS.ErrnoException): string {
  return (e.code && ERRNO_TEXT[e.code]) ?? e.message;
}

/**
 * Text from files and servers can hold anything: control characters and invalid bytes are
 * shown escaped, and a message is cut at 2 lines and 400 characters per line.
 */
export function printable(message: string): string {
  const lines = message.split('\n');
  const shown = lines.slice(0, 2).map((l) => {
    // eslint-disable-next-line no-control-regex
    const clean = l.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g, (c) => (c === '\ufffd' ? '?' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
    return clean.length > 400 ? `${clean.slice(0, 400)}…` : clean;
  });
  return shown.join('\n') + (lines.length > 2 ? ' …' : '');
}

/** The message printed on stderr; a stack trace only with --debug or for a bug. */
export function describeError(err: unknown, debug: boolean): string {
  if (named(err, 'CheckFailedError', 'InputError', 'UsageError')) {
    return debug && err.stack ? err.stack : printable(err.message);
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string') {
    // An operating-system error: name the file and say the problem in words.
    if (debug && e.stack) return e.stack;
    return e.path ? `${e.path}: ${errnoText(e)}` : printable(e.message);
  }
  const msg = e?.message ?? String(err);
  return debug && e?.stack ? e.stack : `internal error: ${printable(msg)} (run with --debug for details, and please report it)`;
}
