import { describe, expect, it } from 'vitest';
import { bitnami } from './bitnami.js';
import { semver } from './semver.js';
import { bitnamiFixture } from './__fixtures__/bitnami.js';
import { bitnamiDbVersions } from './__fixtures__/bitnami-db.js';
import { describeScheme } from './__fixtures__/describe-scheme.js';
import { orderViolations } from './__fixtures__/table.js';

describeScheme(bitnami, bitnamiFixture);

describe('bitnami: what dropping the revision changes', () => {
  it('strict SemVer would call a revision a prerelease; Bitnami does not', () => {
    expect(semver.compare('17.2.0-8', '17.2.0')).toBe(-1);
    expect(bitnami.compare('17.2.0-8', '17.2.0')).toBe(0);
  });
  it('only a lone numeric identifier is a revision', () => {
    expect(bitnami.compare('1.2.3-rc1', '1.2.3')).toBe(-1);
    expect(bitnami.compare('1.2.3-1.1', '1.2.3')).toBe(-1);
    expect(bitnami.compare('1.2.3-1a', '1.2.3')).toBe(-1);
  });
});

describe('bitnami: every version in the real advisory database (../shared/osv/bitnami-all.zip)', () => {
  const versions = bitnamiDbVersions();

  it('has the 3,584 distinct event versions the research notes count', () => {
    expect(versions.length).toBe(3584);
  });

  it('reads all of them but one: nightly.2026-03-10.0 (BIT-mastodon-2026-47777) is no version', () => {
    expect(versions.filter((v) => !bitnami.isValid(v))).toEqual(['nightly.2026-03-10.0']);
  });

  it('keeps the 45 versions that are not plain X.Y.Z apart as documented in bitnami.ts', () => {
    const odd = versions.filter((v) => !/^[0-9]+\.[0-9]+\.[0-9]+$/.test(v) && bitnami.isValid(v));
    const revisions = odd.filter((v) => /^[0-9.]+-[0-9]+$/.test(v));
    expect(revisions).toEqual([
      '1.19.0-0', '1.21.0-0', '1.22.0-0', '1.23.0-0', '1.24.0-0', '1.25.0-0', '1.26.0-0', '1.27.0-0',
      '1.62.0-0', '1.8.0-333', '1.81.0-1', '10.11.17-0', '10.6.27-0', '11.0.15-1', '11.1.5-0', '11.2.2-1',
      '11.4.12-0', '11.8.7-0', '12.3.2-0', '17.0.3-1', '4.0.20-0', '4.1.11-0', '4.6.0-1', '5.0.8-0', '6.7.2-7',
      '6.8.2-1',
    ]);
    for (const v of revisions) expect(bitnami.compare(v, v.replace(/-[0-9]+$/, ''))).toBe(0);
    const prereleases = odd.filter((v) => v !== '0' && !revisions.includes(v));
    expect(prereleases).toEqual([
      '0.0.0-20250806193153-183891f8d535', '0.0.0-20250806193240-9b0b5d4f345f', '0.0.0-20250806193356-4d9b5d3d6486',
      '0.0.0-20250806194004-a14053c9679d', '0.0.0-20250807113757-8340a6918f6c', '0.0.0-20250807212521-c52795c1ef74',
      '0.0.0-20251119135424-6672e6aaa41e', '0.0.0-20251119140106-9dbdfc3f1be0', '2.4.46-10.el8', '2.6.0-rc1',
      '2.6.0-rc2', '2.6.0-rc3', '2.6.0-rc4', '2.6.0-rc5', '2.6.0-rc6', '2.6.0-rc7', '3.6.5-8-g210218',
      '9.0.35-3.57.3',
    ]);
    for (const v of prereleases) expect(bitnami.compare(v, v.replace(/-.*$/, ''))).toBe(-1);
  });

  it('orders them consistently (sorted order agrees pairwise on a sample)', () => {
    const valid = versions.filter((v) => bitnami.isValid(v));
    const sorted = [...valid].sort((a, b) => bitnami.compare(a, b));
    for (let i = 1; i < sorted.length; i++) expect(bitnami.compare(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
    const odd = valid.filter((v) => !/^[0-9]+\.[0-9]+\.[0-9]+$/.test(v));
    const sample = [...new Set([...sorted.filter((_, i) => i % 16 === 0), ...odd])];
    expect(orderViolations(bitnami, sample)).toEqual([]);
  });
});
