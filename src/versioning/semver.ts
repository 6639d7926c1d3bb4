/**
 * Semantic Versioning 2.0.0, in two strengths.
 *
 * `semver` is the specification exactly, as OSV's `SEMVER` range type requires ("no leading
 * v"): MAJOR.MINOR.PATCH without leading zeros, an optional `-` prerelease of dot-separated
 * identifiers ([0-9A-Za-z-], numeric ones without leading zeros) and optional `+` build
 * metadata, which does not take part in precedence (spec items 9–11). It serves no ecosystem
 * by itself; it is there for SEMVER ranges whose ecosystem has no scheme of its own.
 *
 * `semver-like` is the lenient reading osv-scalibr applies to npm, crates.io, Hex, Julia,
 * SwiftURL…: a leading `v` is allowed, the core has one or more numeric components (missing
 * ones count as 0, so `1.2` = `1.2.0`; a fourth component orders after the third, so
 * `1.2.3.4` > `1.2.3`, where scalibr would instead fold it into the build string), leading
 * zeros are read numerically, and build metadata is ignored. On strict SemVer input both
 * schemes order identically. `nightly.2026-03-10.0` or `1.2.3-` are still invalid.
 *
 * Specs: https://semver.org/spec/v2.0.0.html,
 * https://ossf.github.io/osv-schema/#affectedrangestype-field; lenient form after
 * osv-scalibr `semantic/version-semver-like.go` and node-semver's comparison fixtures.
 */
import { compareDigits, compareStrings, defineScheme, isAllDigits } from './common.js';
import type { Ordering, VersionScheme } from './types.js';

export interface SemverSyntax {
  /** Whether one leading `v` may precede the core. */
  vPrefix: boolean;
  /** How many numeric core components are required / allowed. */
  minComponents: number;
  maxComponents: number;
  /** Whether numeric core components and numeric prerelease identifiers may have leading zeros. */
  leadingZeros: boolean;
}

export interface ParsedSemver {
  /** Numeric core components, as digit strings. */
  core: string[];
  /** Prerelease identifiers (empty: a release). */
  pre: string[];
  /** Build identifiers (never compared). */
  build: string[];
  /** Whether a leading `v` was present. */
  v: boolean;
}

const IDENT = /^[0-9A-Za-z-]+$/;

function parseIdentifiers(s: string, what: string, numericLeadingZeros: boolean): string[] | string {
  const ids = s.split('.');
  for (const id of ids) {
    if (id === '') return `empty ${what} identifier`;
    if (!IDENT.test(id)) return `${what} identifier ${JSON.stringify(id)} has a character outside [0-9A-Za-z-]`;
    if (!numericLeadingZeros && id.length > 1 && id.charCodeAt(0) === 48 && isAllDigits(id)) {
      return `numeric ${what} identifier ${id} has a leading zero`;
    }
  }
  return ids;
}

/** Parses `v` under the given syntax; returns a reason string when it does not fit. */
export function parseSemver(v: string, syntax: SemverSyntax): ParsedSemver | string {
  let s = v;
  let hasV = false;
  if (syntax.vPrefix && s.charCodeAt(0) === 118 /* v */) {
    s = s.slice(1);
    hasV = true;
  }
  let build: string[] = [];
  const plus = s.indexOf('+');
  if (plus >= 0) {
    const b = parseIdentifiers(s.slice(plus + 1), 'build', true);
    if (typeof b === 'string') return b;
    build = b;
    s = s.slice(0, plus);
  }
  let pre: string[] = [];
  const dash = s.indexOf('-');
  if (dash >= 0) {
    const p = parseIdentifiers(s.slice(dash + 1), 'prerelease', syntax.leadingZeros);
    if (typeof p === 'string') return p;
    pre = p;
    s = s.slice(0, dash);
  }
  if (s === '') return 'no version number';
  const core = s.split('.');
  if (core.length < syntax.minComponents) return `fewer than ${syntax.minComponents} numeric components`;
  if (core.length > syntax.maxComponents) return `more than ${syntax.maxComponents} numeric components`;
  for (const c of core) {
    if (!isAllDigits(c)) return `${JSON.stringify(c)} is not a number`;
    if (!syntax.leadingZeros && c.length > 1 && c.charCodeAt(0) === 48) return `${c} has a leading zero`;
  }
  return { core, pre, build, v: hasV };
}

/** SemVer 2.0.0 precedence (spec item 11), core components padded with zeros. */
export function compareParsedSemver(a: ParsedSemver, b: ParsedSemver): Ordering {
  const n = Math.max(a.core.length, b.core.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a.core[i] ?? '0', b.core[i] ?? '0');
    if (c !== 0) return c;
  }
  return comparePrerelease(a.pre, b.pre);
}

/** Prerelease precedence: none > some; numeric < alphanumeric; numeric by value; longer wins ties. */
export function comparePrerelease(a: string[], b: string[]): Ordering {
  if (a.length === 0 || b.length === 0) {
    return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  }
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = isAllDigits(x);
    const yn = isAllDigits(y);
    let c: Ordering;
    if (xn && yn) c = compareDigits(x, y);
    else if (xn !== yn) c = xn ? -1 : 1;
    else c = compareStrings(x, y);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export const STRICT: SemverSyntax = { vPrefix: false, minComponents: 3, maxComponents: 3, leadingZeros: false };
export const LENIENT: SemverSyntax = { vPrefix: true, minComponents: 1, maxComponents: Infinity, leadingZeros: true };

export const semver: VersionScheme = defineScheme<ParsedSemver>({
  id: 'semver',
  displayName: 'SemVer 2.0.0',
  specUrls: ['https://semver.org/spec/v2.0.0.html', 'https://ossf.github.io/osv-schema/#affectedrangestype-field'],
  ecosystems: [],
  parse: (v) => parseSemver(v, STRICT),
  compareParsed: compareParsedSemver,
});

export const semverLike: VersionScheme = defineScheme<ParsedSemver>({
  id: 'semver-like',
  displayName: 'semver-like',
  specUrls: [
    'https://semver.org/spec/v2.0.0.html',
    'https://github.com/google/osv-scalibr/blob/main/semantic/version-semver-like.go',
  ],
  // osv-scalibr semantic/parse.go sends these to ParseSemverVersion (Go and Bitnami have their own files here).
  ecosystems: [
    'npm',
    'crates.io',
    'Hex',
    'SwiftURL',
    'Julia',
    'GHC',
    'Bioconductor',
    'ConanCenter',
    'Docker Hardened Images',
  ],
  parse: (v) => parseSemver(v, LENIENT),
  compareParsed: compareParsedSemver,
});
