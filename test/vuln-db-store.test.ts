import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { defaultDbDir, memoryDb } from '../src/vuln/db/store.js';
import { RecordError, timestampMs, validateOsvRecord } from '../src/vuln/db/validate.js';
import { parseCpe, unescapeCpe } from '../src/vuln/db/cpe.js';
import { NvdSplitter, nvdToOsv } from '../src/vuln/db/nvd.js';
import { parseOsvYaml } from '../src/vuln/db/import.js';
import { renderStatusJson, renderStatusText, statusReport } from '../src/vuln/db/status.js';
import type { OsvRecord } from '../src/model/advisory.js';
import { BIT_AIRFLOW } from '../fixtures/vuln/generate.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'vuln');
const apiCves = JSON.parse(readFileSync(join(FIX, 'nvd', 'api-cves.json'), 'utf8')) as { vulnerabilities: { cve: { id: string } }[] };
const cve = (id: string): unknown => apiCves.vulnerabilities.find((v) => v.cve.id === id)!.cve;

const rec = (id: string, over: Partial<OsvRecord> = {}): OsvRecord => ({ id, modified: '2024-01-01T00:00:00Z', ...over });

describe('defaultDbDir', () => {
  it('prefers $CHARTAUDIT_DB, then the user cache dir of the platform', () => {
    expect(defaultDbDir({ CHARTAUDIT_DB: '/x/db' }, '/home/u', 'linux')).toBe('/x/db');
    expect(defaultDbDir({}, '/home/u', 'linux')).toBe('/home/u/.cache/chartaudit/db');
    expect(defaultDbDir({ XDG_CACHE_HOME: '/c' }, '/home/u', 'linux')).toBe('/c/chartaudit/db');
    expect(defaultDbDir({ XDG_CACHE_HOME: 'relative' }, '/home/u', 'linux')).toBe('/home/u/.cache/chartaudit/db');
    expect(defaultDbDir({ CHARTAUDIT_DB: '' }, '/Users/u', 'darwin')).toBe('/Users/u/Library/Caches/chartaudit/db');
    expect(defaultDbDir({ LOCALAPPDATA: 'C:\\AppData' }, 'C:\\u', 'win32')).toMatch(/chartaudit.db$/);
  });
});

describe('queries (memoryDb)', () => {
  const db = memoryDb(
    [
      rec('DEBIAN-CVE-1', {
        upstream: ['CVE-1'],
        affected: [
          { package: { ecosystem: 'Debian:11', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] },
          { package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] },
        ],
      }),
      rec('GHSA-1', { aliases: ['CVE-2'], affected: [{ package: { ecosystem: 'npm', name: 'lodash' } }] }),
      rec('PYSEC-1', { aliases: ['CVE-2', 'GHSA-1'], affected: [{ package: { ecosystem: 'PyPI', name: 'x' } }] }),
      rec('OSV-W', { withdrawn: '2024-02-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'lodash' } }] }),
      structuredClone(BIT_AIRFLOW) as OsvRecord,
      nvdToOsv(cve('CVE-2020-11978')),
    ],
    { now: new Date('2026-01-01T00:00:00Z') },
  );

  it('finds packages under the base ecosystem and under the suffixed one', () => {
    expect(db.recordsForPackage('Debian', 'openssl').map((r) => r.id)).toEqual(['DEBIAN-CVE-1']);
    expect(db.recordsForPackage('Debian:12', 'openssl').map((r) => r.id)).toEqual(['DEBIAN-CVE-1']);
    expect(db.recordsForPackage('Debian:10', 'openssl')).toEqual([]);
    expect(db.recordsForPackage('debian', 'openssl')).toEqual([]);
  });

  it('leaves withdrawn records out unless asked', () => {
    expect(db.recordsForPackage('npm', 'lodash').map((r) => r.id)).toEqual(['GHSA-1']);
    expect(db.recordsForPackage('npm', 'lodash', { includeWithdrawn: true }).map((r) => r.id)).toEqual(['GHSA-1', 'OSV-W']);
    expect(db.recordsByIds(['OSV-W'])[0]!.withdrawn).toBe('2024-02-01T00:00:00Z');
  });

  it('returns records by id in the order asked, without duplicates or unknown ids', () => {
    expect(db.recordsByIds(['PYSEC-1', 'nope', 'GHSA-1', 'PYSEC-1']).map((r) => r.id)).toEqual(['PYSEC-1', 'GHSA-1']);
  });

  it('follows aliases both ways and transitively', () => {
    expect(db.aliasesOf('CVE-2')).toEqual(['GHSA-1', 'PYSEC-1']);
    expect(db.aliasesOf('GHSA-1')).toEqual(['CVE-2', 'PYSEC-1']);
    expect(db.aliasesOf('CVE-2020-11978')).toEqual(['BIT-airflow-2020-11978']);
    expect(db.aliasesOf('BIT-airflow-2020-11978')).toEqual(['CVE-2020-11978']);
    expect(db.aliasesOf('DEBIAN-CVE-1')).toEqual([]); // upstream is not an alias
    expect(db.aliasesOf('unknown')).toEqual([]);
  });

  it('indexes CPEs of NVD records and of OSV database_specific.cpes', () => {
    expect(db.recordsForCpe('apache', 'airflow').map((r) => r.id)).toEqual(['BIT-airflow-2020-11978', 'CVE-2020-11978']);
    expect(db.recordsForCpe('Apache', 'AIRFLOW', { origin: 'affected' }).map((r) => r.id)).toEqual(['CVE-2020-11978']);
    expect(db.recordsForCpe('*', 'airflow').length).toBe(2);
    expect(db.recordsForCpeString('cpe:2.3:a:apache:airflow:1.10.10:*:*:*:*:*:*:*').length).toBe(2);
    expect(db.cpesForPackage('Bitnami', 'airflow')).toEqual([{ vendor: 'apache', product: 'airflow' }]);
    expect(db.recordsForPackage('CPE', 'apache:airflow').map((r) => r.id)).toEqual(['CVE-2020-11978']);
  });

  it('reports counts per base ecosystem', () => {
    const s = db.status();
    expect(s.counts).toEqual({ Bitnami: 1, CPE: 1, Debian: 1, PyPI: 1, npm: 1 });
    expect(s.packages).toEqual({ Bitnami: 1, CPE: 1, Debian: 1, PyPI: 1, npm: 1 });
    expect(s.records).toEqual({ total: 6, withdrawn: 1 });
    expect(s.schemaVersion).toBe(1);
    expect(s.lastUpdate).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses invalid records', () => {
    expect(() => memoryDb([{ id: 'X' }])).toThrow(RecordError);
  });
});

describe('validation', () => {
  it('reads RFC 3339 timestamps (fractions, offsets, NVD zone-less UTC)', () => {
    expect(timestampMs('2024-01-02T03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(timestampMs('2024-01-02T03:04:05.123456789Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 123));
    expect(timestampMs('2024-01-02T05:04:05+02:00')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(timestampMs('2020-07-17T00:15:10.337')).toBe(Date.UTC(2020, 6, 17, 0, 15, 10, 337));
    expect(timestampMs('2024-02-30T00:00:00Z')).toBeNaN();
    expect(timestampMs('yesterday')).toBeNaN();
    expect(timestampMs(1234)).toBeNaN();
  });

  it('names what is wrong', () => {
    const bad: [unknown, RegExp][] = [
      [[], /not an object/],
      [{ modified: '2024-01-01T00:00:00Z' }, /no id/],
      [{ id: 'a b', modified: '2024-01-01T00:00:00Z' }, /invalid id/],
      [{ id: 'X-1' }, /X-1: no modified/],
      [{ id: 'X-1', modified: '2024-01-01T00:00:00Z', aliases: 'CVE-1' }, /aliases is not a list of strings/],
      [{ id: 'X-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { name: 'x' } }] }, /affected\[0\]\.package needs an ecosystem/],
      [{ id: 'X-1', modified: '2024-01-01T00:00:00Z', affected: [{ ranges: [{ type: 'SEMVER', events: [{ fixed: 1 }] }] }] }, /events\[0\]\.fixed is not a string/],
      [{ id: 'X-1', modified: '2024-01-01T00:00:00Z', affected: [{ ranges: [{ type: 'SEMVER' }] }] }, /events is not a list/],
      [{ id: 'X-1', modified: '2024-01-01T00:00:00Z', severity: [{ type: 'CVSS_V3' }] }, /severity\[0\] needs a type and a score/],
      [{ id: 'X-1', modified: '2024-01-01T00:00:00Z', withdrawn: 'soon' }, /withdrawn "soon"/],
    ];
    for (const [v, re] of bad) expect(() => validateOsvRecord(v)).toThrow(re);
    expect(validateOsvRecord({ id: 'X-1', modified: '2024-01-01T00:00:00Z', unknown_field: { a: 1 } })).toMatchObject({ unknown_field: { a: 1 } });
  });
});

describe('CPE names', () => {
  it('parses 2.3 formatted strings with escapes and 2.2 URIs', () => {
    expect(parseCpe('cpe:2.3:a:apache:airflow:*:*:*:*:*:*:*:*')).toMatchObject({ part: 'a', vendor: 'apache', product: 'airflow', version: '*' });
    expect(parseCpe('cpe:2.3:a:Example:tool\\:pro:1.0\\:beta:*:*:*:*:*:*:*')).toMatchObject({ vendor: 'example', product: 'tool\\:pro', version: '1.0\\:beta' });
    expect(unescapeCpe('1.0\\:beta')).toBe('1.0:beta');
    expect(parseCpe('cpe:2.3:*:postgresql:postgresql:17.2.0:*:*:*:*:*:*:*')).toMatchObject({ part: '*', vendor: 'postgresql', product: 'postgresql', version: '17.2.0' });
    expect(parseCpe('cpe:/a:apache:http_server:2.4.46')).toMatchObject({ part: 'a', vendor: 'apache', product: 'http_server', version: '2.4.46', update: '*' });
    expect(parseCpe('cpe:2.3:a:too:few')).toBeNull();
    expect(parseCpe('pkg:npm/lodash')).toBeNull();
  });
});

describe('NVD → OSV', () => {
  it('converts CVE-2020-11978 (airflow, versionEndExcluding 1.10.11)', () => {
    const r = nvdToOsv(cve('CVE-2020-11978'));
    expect(r).toMatchObject({
      id: 'CVE-2020-11978',
      modified: '2025-10-21T20:17:46.897Z',
      published: '2020-07-17T00:15:10.337Z',
      summary: 'An issue was found in Apache Airflow versions 1.10.10 and below.',
      severity: [
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' },
        { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:S/C:P/I:P/A:P' },
      ],
      affected: [
        {
          package: { ecosystem: 'CPE', name: 'apache:airflow' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.10.11' }] }],
          database_specific: { cpe: 'cpe:2.3:a:apache:airflow:*:*:*:*:*:*:*:*', vendor: 'apache', product: 'airflow', versionEndExcluding: '1.10.11' },
        },
      ],
      database_specific: { source: 'NVD', vulnStatus: 'Modified', cwes: ['CWE-78'], kev: { dateAdded: '2022-01-18' } },
    });
    expect(r.details).toMatch(/load_examples=False/);
    expect(r.withdrawn).toBeUndefined();
    expect(r.references![0]).toEqual({ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2020-11978' });
    expect(r.references!.map((x) => x.type)).toEqual(['ADVISORY', 'ADVISORY', 'ADVISORY']);
    expect((r.database_specific!.cvss as { baseScore: number }[]).map((c) => c.baseScore)).toEqual([8.8, 6.5]);
    expect(() => validateOsvRecord(r)).not.toThrow();
  });

  it('converts ranges, exact versions and AND configurations (CVE-2021-44228)', () => {
    const r = nvdToOsv(cve('CVE-2021-44228'));
    const a = r.affected!;
    expect(a.map((x) => x.ranges![0]!.events)).toEqual([
      [{ introduced: '2.0.1' }, { fixed: '2.3.1' }],
      [{ introduced: '2.4.0' }, { fixed: '2.12.2' }],
      [{ introduced: '2.13.0' }, { fixed: '2.15.0' }],
      [{ introduced: '2.0-beta9' }, { last_affected: '2.0-beta9' }],
      [{ introduced: '2.0-rc1' }, { last_affected: '2.0-rc1' }],
      [{ introduced: '0' }],
    ]);
    expect(a[3]!.database_specific).toMatchObject({ version: '2.0', update: 'beta9', exactVersion: '2.0-beta9' });
    expect(a[4]!.database_specific).toMatchObject({ update: 'rc1' });
    expect(a[5]).toMatchObject({
      package: { ecosystem: 'CPE', name: 'siemens:sppa-t3000_ses3000_firmware' },
      database_specific: { part: 'o', platforms: ['cpe:2.3:h:siemens:sppa-t3000_ses3000:-:*:*:*:*:*:*:*'] },
    });
    expect(r.severity).toEqual([{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }]);
    expect(r.database_specific!.cwes).toEqual(['CWE-917', 'CWE-20']);
    expect(r.references!.find((x) => x.url.includes('pull/608'))!.type).toBe('FIX');
  });

  it('marks rejected CVEs withdrawn and keeps CVSS v4 and records without configurations', () => {
    const rej = nvdToOsv(cve('CVE-2099-0100'));
    expect(rej.withdrawn).toBe(rej.modified);
    const v4 = nvdToOsv(cve('CVE-2024-99999'));
    expect(v4.severity).toEqual([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }]);
    expect(v4.affected).toBeUndefined();
  });

  it('keeps exclusive start bounds, drops duplicates and negated nodes (feed sample)', () => {
    const feed = JSON.parse(gunzipSync(readFileSync(join(FIX, 'nvd', 'nvdcve-2.0-2020.json.gz'))).toString()) as { vulnerabilities: { cve: { id: string } }[] };
    const r = nvdToOsv(feed.vulnerabilities.find((v) => v.cve.id === 'CVE-2020-99998')!.cve);
    expect(r.affected).toHaveLength(1);
    expect(r.affected![0]).toMatchObject({
      package: { ecosystem: 'CPE', name: 'example:tool\\:pro' },
      ranges: [{ events: [{ introduced: '2.0' }, { last_affected: '2.5' }] }],
      database_specific: { versionStartExcluding: '2.0', versionEndIncluding: '2.5' },
    });
    const exact = nvdToOsv({
      id: 'CVE-2020-2',
      lastModified: '2020-01-01T00:00:00',
      configurations: [{ nodes: [{ operator: 'OR', cpeMatch: [
        { vulnerable: true, criteria: 'cpe:2.3:a:x:y:1.2.3:*:*:*:*:*:*:*' },
        { vulnerable: true, criteria: 'cpe:2.3:a:x:z:-:*:*:*:*:*:*:*' },
        { vulnerable: true, criteria: 'cpe:2.3:a:x:*:*:*:*:*:*:*:*:*' },
      ] }] }],
    });
    expect(exact.affected!.map((a) => [a.package!.name, a.ranges![0]!.events, a.database_specific!.exactVersion, a.database_specific!.version])).toEqual([
      ['x:y', [{ introduced: '1.2.3' }, { last_affected: '1.2.3' }], '1.2.3', '1.2.3'],
      ['x:z', [{ introduced: '0' }], undefined, '-'],
    ]);
    expect(() => nvdToOsv({ id: 'CVE-2020-1', descriptions: [] })).toThrow(/no valid lastModified/);
    expect(() => nvdToOsv({ id: 'GHSA-1', lastModified: '2020-01-01T00:00:00' })).toThrow(/not an NVD CVE/);
  });
});

describe('NvdSplitter', () => {
  const doc = {
    format: 'NVD_CVE',
    meta: { vulnerabilities: ['decoy'] },
    'odd "key" [': '}{][',
    vulnerabilities: [{ cve: { id: 'CVE-1', s: 'br}ackets ] and "quotes" \\ and é' } }, { cve: { id: 'CVE-2', n: [1, [2, { x: 3 }]] } }, 'not an object', { cve: { id: 'CVE-3' } }],
    after: { vulnerabilities: [{ cve: 'nested, ignored' }] },
  };
  const text = Buffer.from(JSON.stringify(doc, null, 1));

  for (const size of [1, 3, 7, 64, text.length]) {
    it(`splits elements across chunk boundaries (chunks of ${size})`, () => {
      const got: unknown[] = [];
      const s = new NvdSplitter((b) => got.push(JSON.parse(b.toString('utf8'))));
      for (let i = 0; i < text.length; i += size) s.write(text.subarray(i, i + size));
      s.end();
      expect(s.found).toBe(true);
      expect(got).toEqual(doc.vulnerabilities.filter((v) => typeof v === 'object'));
    });
  }

  it('notices truncation and oversize elements', () => {
    const s = new NvdSplitter(() => undefined);
    s.write(text.subarray(0, 100));
    expect(() => s.end()).toThrow(/truncated/);
    const small = new NvdSplitter(() => undefined, 10);
    expect(() => small.write(text)).toThrow(/vulnerabilities\[0\] is larger than 10 bytes/);
    const dropped: number[] = [];
    const got: string[] = [];
    const skipping = new NvdSplitter((b) => got.push((JSON.parse(b.toString()) as { cve: { id: string } }).cve.id), 40, (i) => dropped.push(i));
    skipping.write(text);
    skipping.end();
    expect(dropped).toEqual([0, 1]);
    expect(got).toEqual(['CVE-3']);
  });
});

describe('OSV YAML', () => {
  it('keeps version-like scalars as written and bounds aliases', () => {
    const v = parseOsvYaml('id: X-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n  - versions: [1.0, 1.10, 2]\n    ranges: [{type: ECOSYSTEM, events: [{introduced: 0}, {fixed: 1.20}]}]\n    database_specific: {n: 7}\n') as OsvRecord;
    expect(v.modified).toBe('2024-01-01T00:00:00Z');
    expect(v.affected![0]!.versions).toEqual(['1.0', '1.10', '2']);
    expect(v.affected![0]!.ranges![0]!.events).toEqual([{ introduced: '0' }, { fixed: '1.20' }]);
    expect(v.affected![0]!.database_specific).toEqual({ n: 7 });
    expect(() => parseOsvYaml(readFileSync(join(FIX, 'osv-dir', 'malformed', 'alias-bomb.yaml'), 'utf8'))).toThrow(/alias/i);
    expect(() => parseOsvYaml('id: [unclosed\n')).toThrow(/invalid YAML/);
  });
});

describe('status rendering', () => {
  // Imported on 2026-03-05; the data itself (the newest record's `modified`) is from 2026-03-01:
  // age counts from the data, not from the import.
  const db = memoryDb([{ ...structuredClone(BIT_AIRFLOW), modified: '2026-03-01T00:00:00Z' }], { source: 'osv:Bitnami', now: new Date('2026-03-05T00:00:00Z') });
  const status = db.status();

  it('renders text and JSON without a warning when the newest record is under 7 days old', () => {
    const now = new Date('2026-03-07T23:00:00Z');
    const text = renderStatusText(status, now);
    expect(text).toMatch(/^database: +:memory: \(0 B, schema 1\)$/m);
    expect(text).toMatch(/^last update: +2026-03-05T00:00:00.000Z$/m);
    expect(text).toMatch(/^newest data: +2026-03-01T00:00:00Z \(6 days ago\)$/m);
    expect(text).toMatch(/^ {2}Bitnami +1 +1$/m);
    expect(text).toMatch(/^ {2}osv:Bitnami +1 +2026-03-05T00:00:00.000Z +:memory:$/m);
    expect(text).not.toMatch(/warning/);
    const json = JSON.parse(renderStatusJson(status, now));
    expect(json).toMatchObject({ schemaVersion: 1, counts: { Bitnami: 1 }, newestRecord: '2026-03-01T00:00:00Z', ageDays: 6, stale: false, warnings: [], sources: [{ name: 'osv:Bitnami', records: 1 }] });
  });

  it('warns when the newest record is older than 7 days, or when there is none', () => {
    const now = new Date('2026-03-09T00:00:00Z');
    expect(renderStatusText(status, now)).toMatch(/^warning: the vulnerability data is 8 days old \(newest record modified 2026-03-01T00:00:00.000Z\): run `chartaudit db update`$/m);
    expect(statusReport(status, now)).toMatchObject({ stale: true, ageDays: 8 });
    const empty = memoryDb([], { now }).status();
    expect(statusReport(empty, now).warnings[0]).toMatch(/empty/);
  });
});
