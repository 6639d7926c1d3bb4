import { describe, expect, it } from 'vitest';
import semver from 'semver';
import { compareVersions, isCompatibleRange, isValidSemver, parseConstraints, parseVersion } from './semver-range.js';

describe('Masterminds NewVersion (coercing), as helm validates chart versions', () => {
  it.each([
    ['1.2.3', true],
    ['v1.2.3', true],
    ['1', true],
    ['1.2', true],
    ['01.02.03', true], // leading zeros are coerced
    ['1.2.3-alpha.1+build.5', true],
    ['1.2.3-01', false], // numeric prerelease with a leading zero
    ['1.2.3-', false],
    ['1.2.3+', false],
    ['1.2.3.4', false],
    ['one', false],
    ['', false],
    ['V1.2.3', false],
    [' 1.2.3', false],
    ['18446744073709551615.0.0', true],
    ['18446744073709551616.0.0', false], // uint64 overflow
    ['1.2.3-beta..1', false],
  ])('%j valid=%s', (v, ok) => {
    expect(isValidSemver(v)).toBe(ok);
  });

  it('compares like Masterminds', () => {
    const c = (a: string, b: string) => compareVersions(parseVersion(a)!, parseVersion(b)!);
    expect(c('1.2.3', '1.2.3')).toBe(0);
    expect(c('v1.2.3', '1.2.3')).toBe(0);
    expect(c('1.2.3+a', '1.2.3+b')).toBe(0);
    expect(c('1.2.3-alpha', '1.2.3')).toBe(-1);
    expect(c('1.2.3-alpha.2', '1.2.3-alpha.10')).toBe(-1);
    expect(c('1.2.3-alpha', '1.2.3-alpha.1')).toBe(-1);
    expect(c('1.2.3-beta', '1.2.3-alpha.9')).toBe(1);
    expect(c('1.2.3-1', '1.2.3-a')).toBe(-1);
    expect(c('1.10.0', '1.9.0')).toBe(1);
  });
});

describe('Masterminds constraints (helm IsCompatibleRange)', () => {
  it.each([
    // [constraint, version, expected]
    ['1.2.3', '1.2.3', true],
    ['1.2.3', '1.2.4', false],
    ['=1.2.3', '1.2.3', true],
    ['v1.2.3', '1.2.3', true],
    ['1.2', '1.2.9', true], // bare partial version = tilde
    ['1.2', '1.3.0', false],
    ['1', '1.9.9', true],
    ['1.x', '1.5.0', true],
    ['1.x.x', '2.0.0', false],
    ['*', '5.0.0', true],
    ['x', '0.0.1', true],
    ['~1.2', '1.2.9', true],
    ['~1.2', '1.3.0', false],
    ['~1', '1.9.0', true],
    ['~1.2.3', '1.2.9', true],
    ['~1.2.3', '1.3.0', false],
    ['~>1.2', '1.2.5', true],
    ['^1', '1.99.0', true],
    ['^1', '2.0.0', false],
    ['^1.2.3', '1.9.0', true],
    ['^0.2.3', '0.2.9', true],
    ['^0.2.3', '0.3.0', false],
    ['^0.0.3', '0.0.3', true],
    ['^0.0.3', '0.0.4', false],
    ['^0.0', '0.0.9', true],
    ['^0', '0.9.0', true],
    ['>= 1, < 2', '1.5.0', true],
    ['>= 1, < 2', '2.0.0', false],
    ['>=1 <2', '1.0.0', true], // space means AND
    ['>=1 <2', '2.1.0', false],
    ['>= 1.0.0,<= 1.5.0', '1.5.0', true],
    ['>1.2', '1.2.5', false], // > with a wildcard patch compares minor
    ['>1.2', '1.3.0', true],
    ['>1', '1.9.0', false],
    ['>1', '2.0.0', true],
    ['<=1.2', '1.2.99', true],
    ['<=1.2', '1.3.0', false],
    ['<1.2', '1.1.9', true],
    ['=>1.2.3', '1.2.3', true],
    ['=<1.2.3', '1.2.3', true],
    ['!=1.2.3', '1.2.4', true],
    ['!=1.2.3', '1.2.3', false],
    ['!=1.2', '1.2.7', false],
    ['!=1.2', '1.3.0', true],
    ['!=1.x', '2.0.0', true],
    ['!=1.x', '1.0.0', false],
    ['1.2 - 1.4', '1.3.0', true],
    ['1.2 - 1.4', '1.4.0', true],
    ['1.2 - 1.4', '1.4.1', true], // upper bound <= 1.4 has a wildcard patch: 1.4.x
    ['1.2 - 1.4', '1.5.0', false],
    ['1.2.3 - 1.2.5', '1.2.6', false],
    ['1.2\t-\n1.4', '1.3.0', true], // any of Go's \s around the dash
    ['1.2\t-\n1.4', '1.5.0', false],
    ['>=1.0 , 1.2.3 - 1.2.5', '1.2.4', true],
    ['1.2-1.4', '1.3.0', false], // no whitespace: one version with a prerelease, not a range
    ['1.2.3-beta - 1.2.5', '1.2.4', true],
    ['1 || 3', '3.1.0', true],
    ['1 || 3', '2.0.0', false],
    ['>=1.0.0 <1.2.0 || >=2.0.0', '2.5.0', true],
    ['>=1.0.0', '1.2.3-beta', false], // prereleases only when the constraint has one
    ['>=1.0.0-0', '1.2.3-beta', true],
    ['>=1.0.0-0 || >=5', '1.2.3-beta', true],
    ['~1.2.3-beta', '1.2.3-beta.2', true],
    ['^1.2.3-alpha', '1.9.0-rc.1', true],
    ['1.2.3+build', '1.2.3', true],
    ['2.x.x', '2.3.1', true],
    ['', '1.0.0', false], // the empty constraint does not parse
    ['latest', '1.0.0', false],
    ['>=1.0.0,', '1.0.0', false],
    ['>= 1.0.0 ,< 2', '1.0.0', true],
    ['1.0.0', 'not-a-version', false],
  ])('%j matches %j: %s', (c, v, ok) => {
    expect(isCompatibleRange(c, v)).toBe(ok);
  });

  it('refuses absurdly long constraints instead of backtracking for ever', () => {
    const t = Date.now();
    expect(isCompatibleRange('1  '.repeat(5000) + '!', '1.0.0')).toBe(false);
    expect(isCompatibleRange('1-' + 'a'.repeat(100000) + ' - ', '1.0.0')).toBe(false);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('tokenizes like the validation regexp on tricky separators', () => {
    expect(parseConstraints('>=1,<2')).not.toBeNull();
    expect(parseConstraints('>=1<2')).toBeNull(); // items need a separator
    expect(parseConstraints('> =1')).toBeNull();
    expect(parseConstraints('==1')).toBeNull();
    expect(parseConstraints('1, ,2')).toBeNull();
    expect(parseConstraints('  ~ 1.2  ')).not.toBeNull();
    expect(parseConstraints('1|2')).toBeNull(); // '|' passes the regexp, but 1|2.0.0 is no version
  });

  it('agrees with node-semver on plain ranges', () => {
    const versions = ['0.9.0', '1.0.0', '1.2.3', '1.2.9', '1.3.0', '1.9.9', '2.0.0', '2.1.0', '3.0.0'];
    const ranges = ['>=1.0.0 <2.0.0', '~1.2.3', '^1.2.3', '1.2.3', '>1.2.3', '<=1.9.9', '>=1.0.0 <1.3.0 || >=3.0.0'];
    for (const r of ranges) {
      for (const v of versions) {
        expect(isCompatibleRange(r, v), `${r} ${v}`).toBe(semver.satisfies(v, r));
      }
    }
  });
});
