/**
 * Whether a standard descriptor is a terminal, and its width, without creating process.stdout
 * or process.stderr: on a pipe (CI, scripts) creating one loads Node's net and stream modules
 * (~5 ms at every start of scan), only to read `isTTY`. A terminal is a character device, so
 * an fstat settles pipes and files; only character devices (a terminal, /dev/null) ask isatty.
 */
import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';

export function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false; // closed
  }
  return isatty(fd);
}

/** The terminal's width in columns, or 80 when the descriptor is not a terminal. */
export function terminalColumns(fd: 1 | 2): number {
  return isTerminal(fd) ? ((fd === 1 ? process.stdout : process.stderr).columns ?? 80) : 80;
}
