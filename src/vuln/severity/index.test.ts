import { describe, expect, it } from 'vitest';
import type { OsvAffected, OsvRecord } from '../../model/advisory.js';
import { scoreVector, severityOf, severityOfLabel, severityOfScore } from './index.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8 CRITICAL
const V31_MED = 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N'; // 4.3 MEDIUM
const V30 = 'CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N'; // 3.1 LOW
const V4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'; // 8.7 HIGH
const V4_BT = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U'; // B 9.3, BT 8.1
const V2 = 'AV:N/AC:L/Au:N/C:P/I:N/A:N'; // 5.0 MEDIUM

const record = (extra: Partial<OsvRecord>): OsvRecord => ({ id: 'TEST-1', modified: '2026-01-01T00:00:00Z', ...extra });
const affected = (extra: Partial<OsvAffected>): OsvAffected => ({ package: { ecosystem: 'Bitnami', name: 'redis' }, ...extra });

describe('scoreVector', () => {
  it('detects the version from the vector', () => {
    expect(scoreVector(V31)).toEqual({ version: '3.1', score: 9.8, vector: V31 });
    expect(scoreVector(V30)).toEqual({ version: '3.0', score: 3.1, vector: V30 });
    expect(scoreVector(V4)).toEqual({ version: '4.0', score: 8.7, vector: V4 });
    expect(scoreVector(V2)).toEqual({ version: '2.0', score: 5.0, vector: V2 });
  });

  it('gives the v4.0 CVSS-B score, ignoring threat and environmental metrics', () => {
    expect(scoreVector(V4_BT)).toEqual({ version: '4.0', score: 9.3, vector: V4_BT });
  });

  it.each([
    ['', 'empty'],
    ['CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'unknown 3.x'],
    ['CVSS:4.1/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'unknown 4.x'],
    ['CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:N/A:N', 'v2 with a prefix'],
    ['CVSS:5.0/AV:N', 'unknown version'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'missing metric'],
    ['high', 'a label, not a vector'],
    ['9.8', 'a number'],
  ])('%s (%s) → null', (vector) => {
    expect(scoreVector(vector)).toBeNull();
  });

  it('does not throw on non-strings', () => {
    for (const v of [null, undefined, 9.8, {}, []]) expect(scoreVector(v as unknown as string)).toBeNull();
  });
});

describe('severityOfScore', () => {
  it.each([
    [0, 'NONE'], [0.1, 'LOW'], [3.9, 'LOW'], [4.0, 'MEDIUM'], [6.9, 'MEDIUM'], [7.0, 'HIGH'],
    [8.9, 'HIGH'], [9.0, 'CRITICAL'], [10, 'CRITICAL'],
  ] as const)('v3.x/v4.0 %d → %s', (score, severity) => {
    expect(severityOfScore(score, '3.1')).toBe(severity);
    expect(severityOfScore(score, '3.0')).toBe(severity);
    expect(severityOfScore(score, '4.0')).toBe(severity);
  });

  it.each([
    [0, 'LOW'], [1.9, 'LOW'], [3.9, 'LOW'], [4.0, 'MEDIUM'], [6.9, 'MEDIUM'], [7.0, 'HIGH'], [9.3, 'HIGH'], [10, 'HIGH'],
  ] as const)('v2 %d → %s', (score, severity) => {
    expect(severityOfScore(score, '2.0')).toBe(severity);
  });

  it('UNKNOWN outside 0…10', () => {
    for (const s of [-0.1, 10.1, NaN, Infinity]) expect(severityOfScore(s, '3.1')).toBe('UNKNOWN');
  });
});

describe('severityOfLabel', () => {
  it.each([
    ['Critical', 'CRITICAL'], ['HIGH', 'HIGH'], ['High', 'HIGH'], ['important', 'HIGH'], ['MODERATE', 'MEDIUM'],
    ['Medium', 'MEDIUM'], ['low', 'LOW'], ['negligible', 'LOW'], ['unimportant', 'LOW'], ['None', 'NONE'],
    [' high ', 'HIGH'],
  ] as const)('%s → %s', (label, severity) => expect(severityOfLabel(label)).toBe(severity));

  it.each(['Unknown', 'not yet assigned', '', 'urgent', 7, null, {}])('%s → null', (label) => {
    expect(severityOfLabel(label)).toBeNull();
  });
});

describe('severityOf', () => {
  it('uses the affected entry\'s vector (Bitnami)', () => {
    const a = affected({ severity: [{ type: 'CVSS_V3', score: V31 }] });
    const r = record({ affected: [a], database_specific: { severity: 'Critical' } });
    expect(severityOf(r, a)).toEqual({ severity: 'CRITICAL', cvss: { version: '3.1', score: 9.8, vector: V31 } });
  });

  it('prefers the affected entry over the record', () => {
    const a = affected({ severity: [{ type: 'CVSS_V3', score: V31_MED }] });
    const r = record({ affected: [a], severity: [{ type: 'CVSS_V3', score: V31 }] });
    expect(severityOf(r, a).cvss?.score).toBe(4.3);
  });

  it('falls back to the record\'s vectors when the affected entry has none or only invalid ones', () => {
    const a = affected({ severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }] });
    const r = record({ affected: [a], severity: [{ type: 'CVSS_V3', score: V31 }] });
    expect(severityOf(r, a)).toEqual({ severity: 'CRITICAL', cvss: { version: '3.1', score: 9.8, vector: V31 } });
    expect(severityOf(r, affected({})).cvss?.score).toBe(9.8);
  });

  it('prefers v3.1, then v3.0, then v4.0, then v2 within a source', () => {
    const all = [
      { type: 'CVSS_V2', score: V2 },
      { type: 'CVSS_V4', score: V4 },
      { type: 'CVSS_V3', score: V30 },
      { type: 'CVSS_V3', score: V31_MED },
    ];
    expect(severityOf(record({ severity: all })).cvss?.version).toBe('3.1');
    expect(severityOf(record({ severity: all.slice(0, 3) })).cvss).toEqual({ version: '3.0', score: 3.1, vector: V30 });
    expect(severityOf(record({ severity: all.slice(0, 2) }))).toEqual({ severity: 'HIGH', cvss: { version: '4.0', score: 8.7, vector: V4 } });
    expect(severityOf(record({ severity: all.slice(0, 1) }))).toEqual({ severity: 'MEDIUM', cvss: { version: '2.0', score: 5.0, vector: V2 } });
  });

  it('uses v3.x when both v3.x and v4.0 are given, even if v4.0 scores higher', () => {
    const r = record({ severity: [{ type: 'CVSS_V4', score: V4 }, { type: 'CVSS_V3', score: V31_MED }] });
    expect(severityOf(r)).toEqual({ severity: 'MEDIUM', cvss: { version: '3.1', score: 4.3, vector: V31_MED } });
  });

  it('takes the highest score among vectors of the same version', () => {
    const r = record({ severity: [{ type: 'CVSS_V3', score: V31_MED }, { type: 'CVSS_V3', score: V31 }] });
    expect(severityOf(r).cvss?.score).toBe(9.8);
  });

  it('trusts the vector\'s prefix over the OSV type', () => {
    const r = record({ severity: [{ type: 'CVSS_V3', score: V4 }] });
    expect(severityOf(r).cvss?.version).toBe('4.0');
  });

  it('without an affected entry, pools the affected entries\' vectors after the record\'s', () => {
    const r = record({
      affected: [affected({ severity: [{ type: 'CVSS_V3', score: V31_MED }] }), affected({ severity: [{ type: 'CVSS_V3', score: V31 }] })],
    });
    expect(severityOf(r).cvss?.score).toBe(9.8);
  });

  it('falls back to labels: affected ecosystem_specific, affected database_specific, record database_specific', () => {
    const a = affected({ ecosystem_specific: { severity: 'LOW' }, database_specific: { severity: 'HIGH' } });
    const r = record({ affected: [a], database_specific: { severity: 'CRITICAL' } });
    expect(severityOf(r, a)).toEqual({ severity: 'LOW', cvss: null });
    expect(severityOf(r, affected({ database_specific: { severity: 'HIGH' } }))).toEqual({ severity: 'HIGH', cvss: null });
    expect(severityOf(r, affected({}))).toEqual({ severity: 'CRITICAL', cvss: null });
  });

  it('maps GHSA and Bitnami labels', () => {
    expect(severityOf(record({ database_specific: { severity: 'MODERATE' } })).severity).toBe('MEDIUM');
    expect(severityOf(record({ database_specific: { severity: 'High' } })).severity).toBe('HIGH');
    expect(severityOf(record({ database_specific: { severity: 'None' } })).severity).toBe('NONE');
  });

  it('reads an OSV Ubuntu severity entry as a label', () => {
    expect(severityOf(record({ severity: [{ type: 'Ubuntu', score: 'medium' }] })).severity).toBe('MEDIUM');
  });

  it('without an affected entry, takes the most severe affected label after the record\'s', () => {
    const r = record({
      affected: [affected({ ecosystem_specific: { severity: 'LOW' } }), affected({ ecosystem_specific: { severity: 'HIGH' } })],
    });
    expect(severityOf(r)).toEqual({ severity: 'HIGH', cvss: null });
  });

  it('skips unrecognised labels; UNKNOWN when nothing is left', () => {
    expect(severityOf(record({ database_specific: { severity: 'Unknown' } }))).toEqual({ severity: 'UNKNOWN', cvss: null });
    expect(severityOf(record({}))).toEqual({ severity: 'UNKNOWN', cvss: null });
  });

  it('tolerates malformed records', () => {
    const bad = [
      record({ severity: 'CVSS:3.1/AV:N' as never }),
      record({ severity: [null, 42, { type: 'CVSS_V3' }, { score: 7 }] as never }),
      record({ affected: [null, 'x'] as never, database_specific: null as never }),
      record({ affected: 'x' as never }),
    ];
    for (const r of bad) expect(severityOf(r)).toEqual({ severity: 'UNKNOWN', cvss: null });
  });
});
