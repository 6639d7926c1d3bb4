/**
 * RPM package versions (`[epoch:]version[-release]`), for Red Hat, AlmaLinux, Rocky Linux,
 * openSUSE, SUSE, Mageia and openEuler.
 *
 * Each part is ordered with rpm's `rpmvercmp` (lib/rpmvercmp.c): separators (anything but
 * [A-Za-z0-9~^]) only delimit; `~` sorts before everything, even the end (1.0~rc1 < 1.0);
 * `^` sorts after the end but before anything else (1.0 < 1.0^git1 < 1.0.1); then runs of
 * digits (numerically, leading zeros ignored) or of letters (byte-wise) are compared in turn,
 * a number beating letters; when all runs agree, the one with characters left wins. The epoch
 * (digits before the first `:`, missing = 0) is compared numerically first; the release
 * follows the last `-`, as in rpm's `parseEVR`.
 *
 * rpm itself skips the release comparison when either side has none (rpmverCmp), which is not
 * a total order (1.0-1 = 1.0 = 1.0-2 but 1.0-1 < 1.0-2); here a missing release sorts below
 * any release of the same version, as osv-scalibr does. Valid parts use rpmbuild's characters
 * ([A-Za-z0-9._+~^]); an empty version or release, a second `:` or other characters make the
 * string invalid.
 *
 * Specs: https://rpm-software-management.github.io/rpm/manual/dependencies.html#versioning,
 * https://docs.fedoraproject.org/en-US/packaging-guidelines/Versioning/,
 * rpm `rpmio/rpmvercmp.c`, `lib/rpmver.c`, `tests/rpmvercmp.at`.
 */
import { compareDigits, compareStrings, defineScheme, isAsciiLetter, isDigit } from './common.js';
import type { Ordering, VersionScheme } from './types.js';

interface ParsedRpm {
  epoch: string;
  version: string;
  /** null: no release given. */
  release: string | null;
}

const PART = /^[A-Za-z0-9._+~^]+$/;

function parseRpm(v: string): ParsedRpm | string {
  if (v === '') return 'empty';
  let rest = v;
  let epoch = '0';
  const epochMatch = /^([0-9]*):/.exec(v);
  if (epochMatch) {
    epoch = epochMatch[1] || '0';
    rest = v.slice(epochMatch[0].length);
  }
  let version = rest;
  let release: string | null = null;
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    version = rest.slice(0, hyphen);
    release = rest.slice(hyphen + 1);
    if (release === '') return 'empty release';
  }
  if (version === '') return 'empty version';
  if (!PART.test(version)) return 'invalid character in version';
  if (release !== null && !PART.test(release)) return 'invalid character in release';
  return { epoch, version, release };
}

const isAlnum = (c: number) => isDigit(c) || isAsciiLetter(c);

/** rpm's rpmvercmp. */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const skip = (s: string, k: number) => {
    while (k < s.length) {
      const c = s.charCodeAt(k);
      if (isAlnum(c) || c === 126 || c === 94) break;
      k++;
    }
    return k;
  };
  while (i < a.length || j < b.length) {
    i = skip(a, i);
    j = skip(b, j);
    const ca = a.charCodeAt(i); // NaN at the end
    const cb = b.charCodeAt(j);
    if (ca === 126 || cb === 126) {
      if (ca !== 126) return 1;
      if (cb !== 126) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === 94 || cb === 94) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== 94) return 1;
      if (cb !== 94) return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const numeric = isDigit(ca);
    const inRun = numeric ? isDigit : isAsciiLetter;
    const si = i;
    while (i < a.length && inRun(a.charCodeAt(i))) i++;
    const sj = j;
    while (j < b.length && inRun(b.charCodeAt(j))) j++;
    if (sj === j) return numeric ? 1 : -1;
    const c = numeric ? compareDigits(a.slice(si, i), b.slice(sj, j)) : compareStrings(a.slice(si, i), b.slice(sj, j));
    if (c !== 0) return c;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function compareRpm(a: ParsedRpm, b: ParsedRpm): Ordering {
  const c = compareDigits(a.epoch, b.epoch) || rpmvercmp(a.version, b.version);
  if (c !== 0) return c;
  if (a.release === null || b.release === null) return a.release === b.release ? 0 : a.release === null ? -1 : 1;
  return rpmvercmp(a.release, b.release);
}

export const rpm: VersionScheme = defineScheme<ParsedRpm>({
  id: 'rpm',
  displayName: 'RPM version',
  specUrls: [
    'https://rpm-software-management.github.io/rpm/manual/dependencies.html#versioning',
    'https://docs.fedoraproject.org/en-US/packaging-guidelines/Versioning/',
    'https://github.com/rpm-software-management/rpm/blob/master/rpmio/rpmvercmp.c',
  ],
  ecosystems: ['Red Hat', 'AlmaLinux', 'Rocky Linux', 'openSUSE', 'SUSE', 'Mageia', 'openEuler'],
  parse: parseRpm,
  compareParsed: compareRpm,
});
