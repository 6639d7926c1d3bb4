/**
 * Debian package versions (dpkg), also used by Ubuntu: `[epoch:]upstream[-revision]`.
 *
 * Parsing is dpkg's `parseversion` (lib/dpkg/parsehelp.c): surrounding blanks are trimmed,
 * embedded ones are an error; the epoch is the number before the first `:` (0–2147483647);
 * the revision follows the last `-` and must not be empty; the upstream part must start with
 * a digit and may contain [A-Za-z0-9.+~:-], the revision [A-Za-z0-9.+~]. dpkg only warns
 * about the last two rules for installed packages; here they make the version invalid.
 *
 * Ordering is dpkg's `verrevcmp` (lib/dpkg/version.c), applied to the epoch (numerically),
 * the upstream version and the revision in turn: alternate runs of non-digits, compared
 * character by character with `~` before everything (even the end of the string), then
 * letters, then other characters; and runs of digits, compared numerically. A missing
 * revision equals `0`.
 *
 * Specs: https://man7.org/linux/man-pages/man7/deb-version.7.html,
 * https://www.debian.org/doc/debian-policy/ch-controlfields.html#version,
 * dpkg `lib/dpkg/version.c`, `lib/dpkg/parsehelp.c`, `lib/dpkg/t/t-version.c`.
 */
import { compareDigits, defineScheme, isAsciiLetter, isDigit, sign } from './common.js';
import type { Ordering, VersionScheme } from './types.js';

interface ParsedDebian {
  epoch: string;
  upstream: string;
  revision: string;
}

const INT_MAX = '2147483647';

function parseDebian(v: string): ParsedDebian | string {
  const s = v.replace(/^[ \t]+|[ \t]+$/g, '');
  if (s === '') return 'empty';
  if (/[ \t]/.test(s)) return 'embedded spaces';
  let epoch = '0';
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    epoch = s.slice(0, colon);
    if (epoch === '') return 'empty epoch';
    if (!/^[0-9]+$/.test(epoch)) return 'epoch is not a number';
    if (compareDigits(epoch, INT_MAX) > 0) return 'epoch is too big';
    rest = s.slice(colon + 1);
    if (rest === '') return 'nothing after the colon';
  }
  let upstream = rest;
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision === '') return 'empty revision';
  }
  if (upstream === '') return 'empty upstream version';
  if (!isDigit(upstream.charCodeAt(0))) return 'upstream version does not start with a digit';
  if (!/^[A-Za-z0-9.+~:-]+$/.test(upstream)) return 'invalid character in upstream version';
  if (revision !== '' && !/^[A-Za-z0-9.+~]+$/.test(revision)) return 'invalid character in revision';
  return { epoch, upstream, revision };
}

/** dpkg's order(): digits and end 0, '~' -1, letters their code, others code + 256. */
function order(c: number): number {
  if (Number.isNaN(c) || isDigit(c)) return 0;
  if (isAsciiLetter(c)) return c;
  if (c === 126 /* ~ */) return -1;
  return c + 256;
}

/** dpkg's verrevcmp. */
export function verrevcmp(a: string, b: string): Ordering {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(a.charCodeAt(i));
      const bc = order(b.charCodeAt(j));
      if (ac !== bc) return sign(ac - bc);
      i++;
      j++;
    }
    const si = i;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    const sj = j;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    const c = compareDigits(a.slice(si, i) || '0', b.slice(sj, j) || '0');
    if (c !== 0) return c;
  }
  return 0;
}

function compareDebian(a: ParsedDebian, b: ParsedDebian): Ordering {
  return compareDigits(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}

export const debian: VersionScheme = defineScheme<ParsedDebian>({
  id: 'debian',
  displayName: 'Debian version',
  specUrls: [
    'https://man7.org/linux/man-pages/man7/deb-version.7.html',
    'https://www.debian.org/doc/debian-policy/ch-controlfields.html#version',
    'https://git.dpkg.org/cgit/dpkg/dpkg.git/tree/lib/dpkg/version.c',
  ],
  ecosystems: ['Debian', 'Ubuntu'],
  parse: parseDebian,
  compareParsed: compareDebian,
});
