/** The end-of-life table (endoflife.date, transcribed) and the pure check the inventory calls with the scan's date. */
import { describe, expect, it } from 'vitest';
import { endOfLifeFor, isPastEndOfLife } from './eol.js';

describe('endOfLifeFor', () => {
  it.each([
    ['debian', '12', undefined, '2028-06-30'],
    ['debian', '12.5', undefined, '2028-06-30'],
    ['debian', '10', undefined, '2024-06-30'],
    ['debian', '3.1', undefined, '2008-03-31'],
    ['debian', '14', undefined, undefined],
    ['ubuntu', '22.04', undefined, '2027-04-01'],
    ['ubuntu', '24.04', undefined, '2029-05-31'],
    ['ubuntu', '24.10', undefined, '2025-07-10'],
    ['alpine', '3.20.3', undefined, '2026-04-01'],
    ['alpine', '3.9.0', undefined, '2020-11-01'],
    ['almalinux', '9.4', undefined, '2032-05-31'],
    ['rocky', '8.9', undefined, '2029-05-31'],
    ['rhel', '7.9', undefined, '2024-06-30'],
    ['centos', '7.9.2009', 'CentOS Linux release 7.9.2009 (Core)', '2024-06-30'],
    ['centos', '8', 'CentOS Stream 8', '2024-05-31'],
    ['centos', '9', 'CentOS Stream 9', '2027-05-31'],
    ['fedora', '43', undefined, '2026-12-09'],
    ['amazon', '2', undefined, '2026-06-30'],
    ['amazon', '2023', undefined, '2029-06-30'],
    ['amazon', '2018.03', undefined, '2023-12-31'],
    ['wolfi', '20230201', undefined, undefined],
    ['busybox', '1.36.1', undefined, undefined],
    ['debian', '', undefined, undefined],
  ])('%s %s (%s) → %s', (family, release, name, want) => {
    expect(endOfLifeFor({ family, release, ...(name ? { name } : {}) })).toBe(want);
  });
});

describe('isPastEndOfLife', () => {
  it.each([
    ['2026-08-31', '2026-08-31', false],
    ['2026-08-31', '2026-09-01', true],
    ['2026-08-31', '2025-01-01', false],
    ['2026-08-31', new Date('2026-12-05T07:00:00Z'), true],
    [undefined, '2099-01-01', false],
    ['soon', '2099-01-01', false],
  ] as const)('end of life %s, today %s → %s', (endOfLife, today, want) => {
    expect(isPastEndOfLife(endOfLife === undefined ? {} : { endOfLife }, today)).toBe(want);
  });
});
