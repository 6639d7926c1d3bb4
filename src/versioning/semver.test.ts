import nodeSemver from 'semver';
import { describe, expect, it } from 'vitest';
import { semver, semverLike } from './semver.js';
import { semverFixture, semverLikeFixture } from './__fixtures__/semver.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';
import { versionsOf } from './__fixtures__/table.js';

describeScheme(semver, semverFixture);
describeScheme(semverLike, semverLikeFixture);

describe('semver agrees with node-semver (strict) on every fixture version both accept', () => {
  const versions = [...versionsOf(semverFixture), ...versionsOf(semverLikeFixture)].filter(
    (v) => semver.isValid(v) && nodeSemver.valid(v) === v,
  );
  it('accepts the same strict versions', () => {
    for (const v of [...semverFixture.valid, ...semverFixture.invalid]) {
      if (v.length > 256 || /\d{16,}/.test(v)) continue; // node-semver's own length and safe-integer limits
      expect(semver.isValid(v), v).toBe(nodeSemver.valid(v) !== null && !v.startsWith('v') && v.trim() === v);
    }
  });
  it('orders them alike', () => {
    const bad: string[] = [];
    for (const a of versions) for (const b of versions) if (semver.compare(a, b) !== nodeSemver.compare(a, b)) bad.push(`${a} ${b}`);
    expect(bad).toEqual([]);
  });
});

describe('semver-like: the lenient reading (decisions, documented in semver.ts)', () => {
  it.each([
    ['1.2', '=', '1.2.0'],
    ['1', '=', '1.0.0'],
    ['01.02.03', '=', '1.2.3'],
    ['1.2.3.0', '=', '1.2.3'],
    ['1.2.3.4', '>', '1.2.3'],
    ['1.2.3.4', '<', '1.2.4'],
    ['1.0.0-01', '=', '1.0.0-1'],
    ['v1.2.3-rc.1', '<', '1.2.3'],
  ] as const)('%s %s %s', (a, op, b) => {
    const want = op === '<' ? -1 : op === '=' ? 0 : 1;
    expect(semverLike.compare(a, b)).toBe(want);
    expect(semverLike.compare(b, a)).toBe(-want || 0);
  });
  it('agrees with strict SemVer wherever strict SemVer has an answer', () => {
    const strict = versionsOf(semverFixture).filter((v) => semver.isValid(v));
    for (const a of strict) for (const b of strict) expect(semverLike.compare(a, b)).toBe(semver.compare(a, b));
  });
});
