/**
 * Whether a standard descriptor is a terminal, and its width, without creating process.stdout
 * or process.stderr: on a pipe (CI, scripts) creating one loads Node's net and stream modules
 * (~5 ms at every start of scan), only to read `isTTY`. A terminal is a character device, so
 * an fstat settles pipes and files, and its device number /dev/null (the character device
 * output most often goes to; node:tty, which the build loads at its first use, loads net and
 * stream too: ~8 ms under the CLI's V8 flags); only other character devices ask isatty.
 */
import { fstatSync, statSync } from 'node:fs';
import { isatty } from 'node:tty';

let nullDevice: number | null | undefined;

/** /dev/null's device number; null where there is none. */
function nullDeviceNumber(): number | null {
  if (nullDevice === undefined) {
    try {
      const st = statSync('/dev/null');
      nullDevice = st.isCharacterDevice() ? st.rdev : null;
    } catch {
      nullDevice = null;
    }
  }
  return nullDevice;
}

export function isTerminal(fd: number): boolean {
  let rdev: number;
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    rdev = st.rdev;
  } catch {
    return false; // closed
  }
  if (rdev === nullDeviceNumber()) return false;
  return isatty(fd);
}

/** The terminal's width in columns, or 80 when the descriptor is not a terminal. */
export function terminalColumns(fd: 1 | 2): number {
  return isTerminal(fd) ? ((fd === 1 ? process.stdout : process.stderr).columns ?? 80) : 80;
}
