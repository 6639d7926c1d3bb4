import { describe, expect, it } from 'vitest';
import { maven } from './maven.js';
import { mavenFixture } from './__fixtures__/maven.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';

describeScheme(maven, mavenFixture);

describe('maven: where the reference implementation is odd, it is reproduced, not repaired', () => {
  it('is not transitive where a trimmed 0 leaves a nested list first (1-0.alpha, 0.rc), like ComparableVersion 3.9', () => {
    // "1-0.alpha" parses to [1, [[alpha]]]: below "1" when compared with a missing item (MNG-6964),
    // but a list sorts above any qualifier, so above "1-a", which is above "1".
    expect(maven.compare('1-0.alpha', '1')).toBe(-1);
    expect(maven.compare('1', '1-a')).toBe(-1);
    expect(maven.compare('1-a', '1-0.alpha')).toBe(-1);
    // Likewise "0.rc" is [[rc]] once the 0 is trimmed: 0 < aardvark < 0.rc < 0.
    expect(maven.compare('0', 'aardvark')).toBe(-1);
    expect(maven.compare('aardvark', '0.rc')).toBe(-1);
    expect(maven.compare('0.rc', '0')).toBe(-1);
  });

  it('is not transitive on some real spellings either (a kept 0 before a qualifier, then a list)', () => {
    // "3.5.0.Beta-1" keeps its 0 ([3, 5, 0, beta, [1]]); "3.5-EA" is [3, 5, [ea]]; a list beats a 0.
    expect(maven.compare('3.5.0', '3.5-EA')).toBe(-1);
    expect(maven.compare('3.5-EA', '3.5.0.Beta-1')).toBe(-1);
    expect(maven.compare('3.5.0.Beta-1', '3.5.0')).toBe(-1);
  });

  it('follows Maven 3.9 (MNG-7644) where the POM page algorithm of osv.dev and osv-scalibr differs', () => {
    // osv.dev osv/ecosystems/maven.py and osv-scalibr version-maven.go answer the opposite or "<":
    // ".qualifier" < "-qualifier" < "-number" < ".number" was dropped from ComparableVersion in 3.9.0.
    expect(maven.compare('1.0.0.RC1', '1.0.0-RC2')).toBe(-1);
    expect(maven.compare('2.0.RC', '2-RC')).toBe(0);
    expect(maven.compare('2.0.a', '2-1')).toBe(-1);
    // Real pairs from osv-scalibr's maven-versions-generated.txt, produced with an older ComparableVersion:
    expect(maven.compare('2.9.0-1', '2.9.0.RC1')).toBe(1);
    expect(maven.compare('1.0.0-RC16', '1.0.0.RC8-beta')).toBe(1);
  });
});
