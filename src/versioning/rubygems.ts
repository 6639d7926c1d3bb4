/**
 * RubyGems versions, as `Gem::Version` (lib/rubygems/version.rb) reads and orders them.
 *
 * Valid: `N(.X)*[-X(.X)*]` with N digits and X alphanumerics (plus `-` after the first `-`),
 * surrounding whitespace ignored; each `-` means `.pre.` (1.0.0-1 = 1.0.0.pre.1). Ordering
 * splits the version into runs of digits (numbers) and letters (strings, compared byte-wise,
 * so case matters), after `canonical_segments` drops trailing zero segments and, in a
 * prerelease, zero segments just before the first letter (1.0.a = 1.a). A segment containing
 * a letter marks a prerelease and sorts below any number (1.0.a < 1.0 < 1.0.0.1); running out
 * of segments counts as zeros. RubyGems reads an empty string as "0"; here it is invalid.
 *
 * Specs: https://guides.rubygems.org/patterns/#semantic-versioning,
 * https://ruby-doc.org/3.4/stdlibs/rubygems/Gem/Version.html, rubygems
 * `lib/rubygems/version.rb`, `test/rubygems/test_gem_version.rb`.
 */
import { compareDigits, compareStrings, defineScheme, isAsciiLetter, isDigit } from './common.js';
import type { Ordering, VersionScheme } from './types.js';

// Gem::Version::ANCHORED_VERSION_PATTERN without its optional-empty alternative.
const PATTERN = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
// Ruby's \s: space, \t, \n, \v, \f, \r.
const RUBY_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/** A number (digit string) or a string segment. */
type Segment = { n: string } | { s: string };

interface ParsedGem {
  version: string;
  segments: Segment[];
}

function partition(v: string): Segment[] {
  return (v.match(/[0-9]+|[a-zA-Z]+/g) ?? []).map((x) => (isDigit(x.charCodeAt(0)) ? { n: x } : { s: x }));
}

/** Gem::Version#canonical_segments, without regular expressions that could backtrack. */
function canonical(version: string, prerelease: boolean): Segment[] {
  // sub(/(?<=[a-zA-Z.])[.0]+\z/, "")
  let v = version;
  let start = v.length;
  while (start > 0 && (v[start - 1] === '.' || v[start - 1] === '0')) start--;
  for (let p = start; p < v.length; p++) {
    const prev = v.charCodeAt(p - 1);
    if (p > 0 && (isAsciiLetter(prev) || prev === 46)) {
      v = v.slice(0, p);
      break;
    }
  }
  // sub!(/(?<=\.|\A)[0.]+(?=[a-zA-Z])/, "") for prereleases
  if (prerelease) {
    for (let p = 0; p < v.length; p++) {
      if (p > 0 && v[p - 1] !== '.') continue;
      let q = p;
      while (q < v.length && (v[q] === '0' || v[q] === '.')) q++;
      if (q > p && q < v.length && isAsciiLetter(v.charCodeAt(q))) {
        v = v.slice(0, p) + v.slice(q);
        break;
      }
    }
  }
  return partition(v);
}

function parseGem(input: string): ParsedGem | string {
  const trimmed = input.replace(RUBY_SPACE, '');
  if (trimmed === '') return 'empty';
  if (!PATTERN.test(trimmed)) return 'malformed version number string';
  const version = trimmed.replaceAll('-', '.pre.');
  return { version, segments: canonical(version, /[a-zA-Z]/.test(version)) };
}

const isString = (s: Segment): s is { s: string } => 's' in s;

/** Gem::Version#<=>. */
function compareGem(a: ParsedGem, b: ParsedGem): Ordering {
  if (a.version === b.version) return 0;
  const l = a.segments;
  const r = b.segments;
  const limit = Math.min(l.length, r.length);
  for (let i = 0; i < limit; i++) {
    const x = l[i]!;
    const y = r[i]!;
    if (isString(x) !== isString(y)) return isString(x) ? -1 : 1;
    const c = isString(x) ? compareStrings(x.s, (y as { s: string }).s) : compareDigits(x.n, (y as { n: string }).n);
    if (c !== 0) return c;
  }
  // The longer one decides with its first string (a prerelease: lower) or non-zero number (higher).
  const rest = l.length > limit ? l.slice(limit) : r.slice(limit);
  const sideSign = l.length > limit ? 1 : -1;
  for (const seg of rest) {
    if (isString(seg)) return -sideSign as Ordering;
    if (!/^0+$/.test(seg.n)) return sideSign as Ordering;
  }
  return 0;
}

export const rubygems: VersionScheme = defineScheme<ParsedGem>({
  id: 'rubygems',
  displayName: 'RubyGems version',
  specUrls: [
    'https://guides.rubygems.org/patterns/#semantic-versioning',
    'https://github.com/rubygems/rubygems/blob/master/lib/rubygems/version.rb',
  ],
  ecosystems: ['RubyGems'],
  parse: parseGem,
  compareParsed: compareGem,
});
