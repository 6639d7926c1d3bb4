import { describe, expect, it } from 'vitest';
import { parseCvss2, scoreCvss2 } from './cvss2.js';

/**
 * [vector, base score, source]. Scores as NVD's CVSS v2 calculator gives them (FIRST v2 guide examples,
 * NVD calculator checks and the exact-arithmetic test data of RedHatProductSecurity/cvss).
 */
const V2: [string, number, string][] = [
  ['AV:N/AC:L/Au:N/C:N/I:N/A:C', 7.8, 'CVE-2002-0392 Apache chunked encoding (FIRST v2 guide)'],
  ['AV:N/AC:L/Au:N/C:C/I:C/A:C', 10.0, 'CVE-2003-0818 Windows ASN.1 (FIRST v2 guide)'],
  ['AV:L/AC:H/Au:N/C:C/I:C/A:C', 6.2, 'CVE-2003-0062 NOD32 (FIRST v2 guide)'],
  ['AV:N/AC:L/Au:N/C:P/I:N/A:N', 5.0, 'CVE-2014-0160 Heartbleed (NVD)'],
  ['AV:N/AC:M/Au:N/C:P/I:N/A:N', 4.3, 'CVE-2014-3566 POODLE (NVD)'],
  ['AV:N/AC:M/Au:N/C:N/I:P/A:N', 4.3, 'NVD'],
  ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5, 'NVD'],
  ['AV:N/AC:M/Au:N/C:C/I:C/A:C', 9.3, 'NVD'],
  ['AV:N/AC:L/Au:S/C:P/I:P/A:P', 6.5, 'NVD'],
  ['AV:N/AC:L/Au:N/C:N/I:N/A:P', 5.0, 'NVD'],
  ['AV:L/AC:L/Au:N/C:C/I:C/A:C', 7.2, 'NVD'],
  ['AV:L/AC:L/Au:N/C:P/I:N/A:N', 2.1, 'NVD'],
  ['AV:N/AC:H/Au:N/C:P/I:P/A:P', 5.1, 'NVD'],
  ['AV:L/AC:H/Au:M/C:N/I:N/A:N', 0.0, 'no impact'],
  ['AV:L/AC:H/Au:M/C:N/I:N/A:P', 0.8, 'lowest non-zero'],
  ['AV:A/AC:M/Au:S/C:N/I:N/A:P', 2.3, 'NVD v2 calculator'],
  ['AV:A/AC:M/Au:N/C:C/I:N/A:P/E:POC/RL:W/RC:UC', 6.4, 'NVD v2 calculator'],
  ['AV:A/AC:H/Au:S/C:N/I:P/A:P/E:POC/RL:OF/RC:C/CDP:LM/TD:M/CR:M/IR:L/AR:L', 2.9, 'NVD v2 calculator'],
  ['AV:N/AC:L/Au:S/C:C/I:C/A:C/E:U/RL:U/RC:C', 9.0, 'NVD v2 calculator'],
  ['AV:N/AC:L/Au:S/C:C/I:C/A:C/E:F/RL:U/RC:C', 9.0, 'NVD v2 calculator'],
  ['AV:L/AC:M/Au:S/C:N/I:P/A:C/E:U/RL:OF/RC:UR/CDP:N/TD:L/CR:H/IR:H/AR:H', 5.0, 'temporal/environmental ignored'],
  ['AV:N/AC:M/Au:M/C:C/I:N/A:P/RL:W/RC:UC/CDP:LM/TD:M/CR:L/IR:L/AR:L', 6.4, 'temporal/environmental ignored'],
  ['AV:L/AC:L/Au:S/C:P/I:P/A:P/E:U/RC:C/CDP:LM/TD:L/IR:H/AR:M', 4.3, 'temporal/environmental ignored'],
  ['AV:A/AC:M/Au:S/C:C/I:P/A:C', 7.0, 'temporal/environmental ignored'],
  ['AV:N/AC:M/Au:N/C:N/I:P/A:N', 4.3, 'temporal/environmental ignored'],
  ['AV:N/AC:L/Au:S/C:P/I:P/A:N', 5.5, 'temporal/environmental ignored'],
  ['AV:N/AC:M/Au:N/C:P/I:N/A:N', 4.3, 'temporal/environmental ignored'],
  ['AV:N/AC:L/Au:S/C:C/I:C/A:C', 9.0, 'temporal/environmental ignored'],
  ['AV:L/AC:L/Au:N/C:P/I:P/A:P', 4.6, 'temporal/environmental ignored'],
  ['AV:N/AC:M/Au:S/C:C/I:C/A:C', 8.5, 'temporal/environmental ignored'],
  ['AV:N/AC:M/Au:N/C:P/I:P/A:P', 6.8, 'temporal/environmental ignored'],
  ['AV:N/AC:L/Au:N/C:P/I:N/A:N', 5.0, 'temporal/environmental ignored'],
  ['AV:N/AC:L/Au:N/C:C/I:C/A:C', 10.0, 'temporal/environmental ignored'],
  ['AV:N/AC:L/Au:N/C:N/I:P/A:N', 5.0, 'temporal/environmental ignored'],
  ['AV:L/AC:M/Au:N/C:C/I:C/A:C', 6.9, 'temporal/environmental ignored'],
  ['AV:A/AC:L/Au:N/C:N/I:C/A:N', 6.1, 'temporal/environmental ignored'],
  ['AV:N/AC:M/Au:N/C:C/I:C/A:C', 9.3, 'temporal/environmental ignored'],
  ['AV:A/AC:L/Au:N/C:C/I:C/A:C', 8.3, 'temporal/environmental ignored'],
  ['AV:L/AC:L/Au:N/C:N/I:C/A:N', 4.9, 'temporal/environmental ignored'],
];

describe('CVSS v2 base score', () => {
  it('has a large table', () => expect(V2.length).toBeGreaterThanOrEqual(20));
  it.each(V2)('%s → %d (%s)', (vector, score) => {
    expect(scoreCvss2(vector)).toMatchObject({ version: '2.0', score });
  });

  it('scores every one of the 729 base vectors within 0…10, 0 exactly when there is no impact', () => {
    let vectors: string[] = [''];
    for (const [metric, vals] of Object.entries({ AV: 'LAN', AC: 'HML', Au: 'MSN', C: 'NPC', I: 'NPC', A: 'NPC' }))
      vectors = vectors.flatMap((v) => [...vals].map((x) => `${v}${v ? '/' : ''}${metric}:${x}`));
    expect(vectors).toHaveLength(729);
    for (const v of vectors) {
      const s = scoreCvss2(v)?.score ?? NaN;
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(10);
      expect(Object.is(s, -0)).toBe(false);
      expect(s === 0).toBe(v.endsWith('C:N/I:N/A:N'));
    }
  });

  it('accepts metrics in any order', () => {
    expect(scoreCvss2('A:C/I:C/C:C/Au:N/AC:L/AV:N')?.score).toBe(10.0);
  });

  const MALFORMED: [string, string][] = [
    ['missing metric', 'AV:N/AC:L/Au:N/C:P/I:P'],
    ['duplicate metric', 'AV:N/AC:L/Au:N/C:P/I:P/A:P/A:P'],
    ['bad value', 'AV:N/AC:L/Au:N/C:H/I:P/A:P'],
    ['bad temporal value', 'AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X'],
    ['v3 metric', 'AV:N/AC:L/Au:N/C:P/I:P/A:P/S:U'],
    ['AU instead of Au', 'AV:N/AC:L/AU:N/C:P/I:P/A:P'],
    ['lowercase', 'av:n/ac:l/au:n/c:p/i:p/a:p'],
    ['with a CVSS prefix', 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P'],
    ['parenthesised', '(AV:N/AC:L/Au:N/C:P/I:P/A:P)'],
    ['trailing slash', 'AV:N/AC:L/Au:N/C:P/I:P/A:P/'],
    ['leading slash', '/AV:N/AC:L/Au:N/C:P/I:P/A:P'],
    ['whitespace', 'AV:N/AC:L/Au:N/C:P/I:P/A:P '],
    ['v3 vector', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['empty', ''],
  ];
  it.each(MALFORMED)('%s → null', (_what, vector) => {
    expect(parseCvss2(vector)).toBeNull();
    expect(scoreCvss2(vector)).toBeNull();
  });
});
