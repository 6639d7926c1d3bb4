import { describe, expect, it } from 'vitest';
import type { OsvAffected, OsvRecord } from '../model/advisory.js';
import { schemes } from '../versioning/index.js';
import { matchAffected, matchRecord } from './match.js';

const bitnami = schemes.bitnami;
const semver = schemes.semver;
const entry = (ranges: OsvAffected['ranges'], versions?: string[]): OsvAffected => ({
  package: { ecosystem: 'Bitnami', name: 'redis' }, ranges, ...(versions ? { versions } : {}),
});
const semverRange = (...events: Record<string, string>[]) => [{ type: 'SEMVER', events }];

describe('matchAffected (OSV evaluation rules)', () => {
  it.each([
    // [version, events, expected status, expected fixed]
    ['7.2.4', [{ introduced: '0' }, { fixed: '7.2.10' }], 'affected', ['7.2.10']],
    ['7.2.10', [{ introduced: '0' }, { fixed: '7.2.10' }], 'not-affected', []],
    ['7.2.11', [{ introduced: '0' }, { fixed: '7.2.10' }], 'not-affected', []],
    ['7.2.9', [{ introduced: '7.2.4' }, { fixed: '7.2.10' }], 'affected', ['7.2.10']],
    ['7.2.3', [{ introduced: '7.2.4' }, { fixed: '7.2.10' }], 'not-affected', []],
    ['7.2.4', [{ introduced: '7.2.4' }, { fixed: '7.2.10' }], 'affected', ['7.2.10']],
    // several introduced/fixed pairs in one range (Bitnami's postgresql shape)
    ['16.3.0', [{ introduced: '0' }, { fixed: '12.20.0' }, { introduced: '13.0.0' }, { fixed: '13.16.0' }, { introduced: '16.0.0' }, { fixed: '16.4.0' }], 'affected', ['16.4.0']],
    ['13.16.0', [{ introduced: '0' }, { fixed: '12.20.0' }, { introduced: '13.0.0' }, { fixed: '13.16.0' }, { introduced: '16.0.0' }, { fixed: '16.4.0' }], 'not-affected', []],
    ['12.25.0', [{ introduced: '0' }, { fixed: '12.20.0' }, { introduced: '13.0.0' }, { fixed: '13.16.0' }], 'not-affected', []],
    // events in any order: they are sorted first
    ['16.3.0', [{ fixed: '16.4.0' }, { introduced: '16.0.0' }, { fixed: '13.16.0' }, { introduced: '0' }], 'affected', ['16.4.0']],
    // last_affected
    ['5.15.12', [{ introduced: '5.15.12' }, { last_affected: '5.15.12' }], 'affected', []],
    ['5.15.13', [{ introduced: '5.15.12' }, { last_affected: '5.15.12' }], 'not-affected', []],
    ['5.15.11', [{ introduced: '5.15.12' }, { last_affected: '5.15.12' }], 'not-affected', []],
    ['2.0.0', [{ introduced: '0' }, { last_affected: '2.0.0' }], 'affected', []],
    // limit
    ['3.0.0', [{ introduced: '1.0.0' }, { limit: '2.0.0' }], 'not-affected', []],
    ['1.5.0', [{ introduced: '1.0.0' }, { limit: '2.0.0' }], 'affected', []],
    ['9.0.0', [{ introduced: '1.0.0' }, { limit: '*' }], 'affected', []],
    // Bitnami revisions are dropped before comparing: 1.19.0-0 is 1.19.0
    ['1.19.0', [{ introduced: '0' }, { fixed: '1.19.0-0' }], 'not-affected', []],
    ['1.18.9', [{ introduced: '0' }, { fixed: '1.19.0-0' }], 'affected', ['1.19.0-0']],
    // no introduced but "0": nothing is affected before an introduced
    ['1.0.0', [{ fixed: '2.0.0' }], 'not-affected', []],
  ] as const)('%s with %j → %s', (version, events, status, fixed) => {
    const m = matchAffected(version, entry(semverRange(...events)), bitnami);
    expect(m.status).toBe(status);
    expect(m.fixed).toEqual(fixed);
  });

  it('prereleases order below their release (SemVer ranges)', () => {
    expect(matchAffected('2.6.0-rc1', entry(semverRange({ introduced: '0' }, { fixed: '2.6.0' })), semver).status).toBe('affected');
    expect(matchAffected('2.6.0', entry(semverRange({ introduced: '2.6.0-rc1' }, { fixed: '2.6.1' })), semver).status).toBe('affected');
  });

  it('versions lists match exactly', () => {
    expect(matchAffected('1.2.3', entry([], ['1.2.2', '1.2.3']), bitnami).status).toBe('affected');
    expect(matchAffected('1.2.4', entry([], ['1.2.2', '1.2.3']), bitnami).status).toBe('not-affected');
  });

  it('an unreadable range version gives indeterminate, with the reason', () => {
    const m = matchAffected('2.4.46', entry(semverRange({ introduced: '0' }, { fixed: 'nightly.2026-03-10.0' })), bitnami);
    expect(m.status).toBe('indeterminate');
    expect(m.reason).toContain('"nightly.2026-03-10.0" is not a valid');
  });

  it('an affecting range wins over an unreadable one', () => {
    const e = entry([...semverRange({ introduced: '0' }, { fixed: 'nightly.2026' }), ...semverRange({ introduced: '0' }, { fixed: '3.0.0' })]);
    expect(matchAffected('2.0.0', e, bitnami).status).toBe('affected');
  });

  it('GIT ranges are not evaluable for a released version', () => {
    const m = matchAffected('1.0.0', entry([{ type: 'GIT', repo: 'https://github.com/x/y', events: [{ introduced: '0' }, { fixed: 'abc123' }] }]), bitnami);
    expect(m.status).toBe('indeterminate');
    expect(m.reason).toContain('GIT');
  });
});

describe('matchRecord', () => {
  const rec = (over: Partial<OsvRecord>): OsvRecord => ({
    id: 'BIT-redis-2024-1', modified: '2024-01-01T00:00:00Z', aliases: ['CVE-2024-1'],
    affected: [entry(semverRange({ introduced: '0' }, { fixed: '7.2.5' }))], ...over,
  });
  it('withdrawn records never match', () => {
    expect(matchRecord(rec({ withdrawn: '2024-02-01T00:00:00Z' }), 'Bitnami', 'redis', '7.2.4', bitnami).status).toBe('not-affected');
  });
  it('only entries of the package count; the ecosystem suffix is ignored', () => {
    expect(matchRecord(rec({}), 'Bitnami', 'valkey', '7.2.4', bitnami).status).toBe('not-affected');
    expect(matchRecord(rec({ affected: [{ ...entry(semverRange({ introduced: '0' }, { fixed: '7.2.5' })), package: { ecosystem: 'Bitnami:x', name: 'redis' } }] }), 'Bitnami', 'redis', '7.2.4', bitnami).status).toBe('affected');
  });
  it('several affected entries: the fixed versions of all that affect', () => {
    const r = rec({ affected: [entry(semverRange({ introduced: '7.0.0' }, { fixed: '7.0.15' })), entry(semverRange({ introduced: '7.0.0' }, { fixed: '7.2.5' }))] });
    expect(matchRecord(r, 'Bitnami', 'redis', '7.0.10', bitnami)).toMatchObject({ status: 'affected', fixed: ['7.0.15', '7.2.5'] });
  });
});
