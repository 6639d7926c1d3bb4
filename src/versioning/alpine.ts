/**
 * Alpine package versions (apk-tools), also used by Wolfi, Chainguard, MinimOS, Alpaquita and
 * BellSoft Hardened Containers: `number{.number}[letter]{_suffix[number]}[~hash][-r#]`.
 *
 * Validity and ordering follow apk-tools 3 `src/version.c` (`apk_version_validate`,
 * `apk_version_compare`), token by token: the first number compares numerically; later
 * numbers numerically unless either has a leading zero, then as strings (Gentoo's rule, so
 * 1.02 < 1.1); one lower-case letter; suffixes `_alpha < _beta < _pre < _rc < (none) < _cvs <
 * _svn < _git < _hg < _p`, each with an optional number; a `~hex` commit hash (compared as a
 * string); the `-r#` package release. When one version runs out of tokens first it is the
 * older one, unless the other continues with a pre-release suffix (1.2_rc1 < 1.2 < 1.2-r1 <
 * 1.2_p1 < 1.2.1). One form apk 3 rejects is kept from apk 2, which Alpine releases up to
 * 3.22 ship and whose secdb data uses it: digits right after the letter (`6.6.1p1-r0`, old
 * openssh), a number token as apk 2 reads it (6.6.2p1 > 6.6.2_p1, 6.6.2p1 < 6.6.2.1).
 * Anything else (`1.0bc`, `0.1a.1`, `1.0-r`, `1.0_foo`, uppercase letters) is invalid, as
 * `apk version --check` says.
 *
 * Specs: https://gitlab.alpinelinux.org/alpine/apk-tools/-/blob/master/doc/apk-package.5.scd,
 * apk-tools `src/version.c`, `test/unit/version.data`;
 * https://wiki.gentoo.org/wiki/Version_specifier (the origin of the format).
 */
import { compareDigits, compareStrings, defineScheme, isAsciiLower, isDigit } from './common.js';
import type { Ordering, VersionScheme } from './types.js';

const enum Tok {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNo,
  CommitHash,
  RevisionNo,
  End,
}

// apk's suffix enum; NONE sits between the pre-release and the post-release suffixes.
const SUFFIX: Record<string, number> = { alpha: 1, beta: 2, pre: 3, rc: 4, cvs: 6, svn: 7, git: 8, hg: 9, p: 10 };
const SUFFIX_NONE = 5;

interface Token {
  type: Tok;
  /** The token's text (digits, letter, suffix name, hash). */
  text: string;
  /** For Suffix: its rank. */
  suffix: number;
}

interface ParsedAlpine {
  tokens: Token[];
}

function parseAlpine(v: string): ParsedAlpine | string {
  const tokens: Token[] = [];
  let i = 0;
  const digits = (): string => {
    const s = i;
    while (i < v.length && isDigit(v.charCodeAt(i))) i++;
    return v.slice(s, i);
  };
  const first = digits();
  if (first === '') return 'does not start with a number';
  tokens.push({ type: Tok.InitialDigit, text: first, suffix: 0 });
  let prev = Tok.InitialDigit;
  while (i < v.length) {
    const c = v.charCodeAt(i);
    let t: Token;
    if (isAsciiLower(c)) {
      if (prev > Tok.Digit) return `unexpected letter at ${i}`;
      t = { type: Tok.Letter, text: v[i]!, suffix: 0 };
      i++;
    } else if (c === 46 /* . */ || isDigit(c)) {
      if (c === 46) {
        if (prev > Tok.Digit) return `unexpected '.' at ${i}`;
        i++;
      }
      let type: Tok;
      if (prev === Tok.InitialDigit || prev === Tok.Digit) type = Tok.Digit;
      else if (prev === Tok.Letter && c !== 46) type = Tok.Digit; // apk 2: `6.6.1p1`
      else if (prev === Tok.Suffix) type = Tok.SuffixNo;
      else return `unexpected number at ${i}`;
      const d = digits();
      if (d === '') return `missing number at ${i}`;
      t = { type, text: d, suffix: 0 };
    } else if (c === 95 /* _ */) {
      if (prev > Tok.SuffixNo) return `unexpected suffix at ${i}`;
      i++;
      const s = i;
      while (i < v.length && isAsciiLower(v.charCodeAt(i))) i++;
      const name = v.slice(s, i);
      const rank = SUFFIX[name];
      if (rank === undefined) return `unknown suffix _${name}`;
      t = { type: Tok.Suffix, text: name, suffix: rank };
    } else if (c === 126 /* ~ */) {
      if (prev >= Tok.CommitHash) return `unexpected '~' at ${i}`;
      i++;
      const s = i;
      while (i < v.length && /[0-9a-f]/.test(v[i]!)) i++;
      if (i === s) return 'empty commit hash';
      t = { type: Tok.CommitHash, text: v.slice(s, i), suffix: 0 };
    } else if (c === 45 /* - */) {
      if (prev >= Tok.RevisionNo) return `unexpected '-' at ${i}`;
      if (v[i + 1] !== 'r') return "'-' not followed by 'r'";
      i += 2;
      const d = digits();
      if (d === '') return 'empty package release';
      t = { type: Tok.RevisionNo, text: d, suffix: 0 };
    } else {
      return `unexpected character ${JSON.stringify(v[i])} at ${i}`;
    }
    tokens.push(t);
    prev = t.type;
  }
  return { tokens };
}

function compareToken(a: Token, b: Token): Ordering {
  switch (a.type) {
    case Tok.Digit:
      if (a.text.charCodeAt(0) === 48 || b.text.charCodeAt(0) === 48) return compareStrings(a.text, b.text);
      return compareDigits(a.text, b.text);
    case Tok.InitialDigit:
    case Tok.SuffixNo:
    case Tok.RevisionNo:
      return compareDigits(a.text, b.text);
    case Tok.Suffix:
      return a.suffix === b.suffix ? 0 : a.suffix < b.suffix ? -1 : 1;
    default: // Letter, CommitHash
      return compareStrings(a.text, b.text);
  }
}

function compareAlpine(a: ParsedAlpine, b: ParsedAlpine): Ordering {
  const n = Math.min(a.tokens.length, b.tokens.length);
  let i = 0;
  for (; i < n; i++) {
    const ta = a.tokens[i]!;
    const tb = b.tokens[i]!;
    if (ta.type !== tb.type) break;
    const c = compareToken(ta, tb);
    if (c !== 0) return c;
  }
  const ta = a.tokens[i];
  const tb = b.tokens[i];
  const at = ta?.type ?? Tok.End;
  const bt = tb?.type ?? Tok.End;
  if (at === bt) return 0;
  // The non-terminating version is greater unless it continues with a pre-release suffix.
  if (ta?.type === Tok.Suffix && ta.suffix < SUFFIX_NONE) return -1;
  if (tb?.type === Tok.Suffix && tb.suffix < SUFFIX_NONE) return 1;
  return at > bt ? -1 : 1;
}

export const alpine: VersionScheme = defineScheme<ParsedAlpine>({
  id: 'alpine',
  displayName: 'Alpine (apk) version',
  specUrls: [
    'https://gitlab.alpinelinux.org/alpine/apk-tools/-/blob/master/doc/apk-package.5.scd',
    'https://gitlab.alpinelinux.org/alpine/apk-tools/-/blob/master/src/version.c',
  ],
  ecosystems: ['Alpine', 'Wolfi', 'Chainguard', 'MinimOS', 'Alpaquita', 'BellSoft Hardened Containers'],
  parse: parseAlpine,
  compareParsed: compareAlpine,
});
