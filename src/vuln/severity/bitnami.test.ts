/**
 * Every vector of the Bitnami OSV database (../shared/osv/bitnami-all.zip, 7,444 records) against the
 * records' own `database_specific.severity` labels. Fails when the zip is not there.
 *
 * Findings (bitnami/vulndb at 0054d6e3): 651 distinct vectors (344 v3.1, 39 v3.0, 268 v4.0), all valid;
 * each record with a vector has exactly one, in its affected entry. The v3.x base score's band equals the
 * label for all 6,729 v3.x records. For v4.0 the label follows the calculator's score of the vector as
 * written: CVSS-B (what severityOf uses) agrees for 663 of 704 records; the other 41 carry `E:U`/`E:P`
 * (CVSS-BT) or environmental metrics (CVSS-BE) and their label is the band of that full score.
 */
import { describe, expect, it } from 'vitest';
import type { OsvRecord } from '../../model/advisory.js';
import { scoreCvss4 } from './cvss4.js';
import { scoreVector, severityOf, severityOfLabel, severityOfScore } from './index.js';
import { sharedZipEntries } from '../../../test/helpers/shared.js';

describe('Bitnami OSV records', () => {
  const records: OsvRecord[] = [...sharedZipEntries('osv', 'bitnami-all.zip')]
    .filter(({ name }) => name.endsWith('.json'))
    .map(({ data }) => JSON.parse(data.toString('utf8')) as OsvRecord);

  it('reads all 7,444 records', () => expect(records).toHaveLength(7444));

  it('scores every distinct vector', () => {
    const distinct = new Set<string>();
    for (const r of records)
      for (const a of r.affected ?? []) for (const s of [...(a.severity ?? []), ...(r.severity ?? [])]) distinct.add(s.score);
    const invalid = [...distinct].filter((v) => scoreVector(v) === null);
    expect(invalid).toEqual([]);
    const byVersion: Record<string, number> = {};
    for (const v of distinct) {
      const version = scoreVector(v)?.version ?? 'none';
      byVersion[version] = (byVersion[version] ?? 0) + 1;
    }
    expect(byVersion).toEqual({ '3.1': 344, '3.0': 39, '4.0': 268 });
  });

  it('agrees with the records\' labels (v3.x always; v4.0 up to threat/environmental metrics)', () => {
    const tally: Record<string, { total: number; agree: number }> = {};
    const explained: string[] = [];
    const unexplained: string[] = [];
    for (const r of records) {
      const a = r.affected?.[0];
      const { severity, cvss } = severityOf(r, a);
      const label = severityOfLabel(r.database_specific?.severity);
      const key = cvss?.version ?? 'label';
      const t = (tally[key] ??= { total: 0, agree: 0 });
      t.total++;
      if (severity === (label ?? 'UNKNOWN')) {
        t.agree++;
        continue;
      }
      const v4 = cvss?.version === '4.0' ? scoreCvss4(cvss.vector) : null;
      if (v4 && v4.nomenclature !== 'CVSS-B' && severityOfScore(v4.fullScore, '4.0') === label)
        explained.push(`${r.id}: ${v4.nomenclature} ${v4.fullScore} (${label}), CVSS-B ${v4.score} (${severity})`);
      else unexplained.push(`${r.id}: ${cvss?.vector ?? 'no vector'} → ${severity}, label ${String(r.database_specific?.severity)}`);
    }
    expect(unexplained).toEqual([]);
    expect(tally).toEqual({
      '3.1': { total: 6644, agree: 6644 },
      '3.0': { total: 85, agree: 85 },
      '4.0': { total: 704, agree: 663 },
      label: { total: 11, agree: 11 },
    });
    expect(explained).toHaveLength(41);
  });
});
