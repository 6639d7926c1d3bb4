import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OsvRecord } from '../model/advisory.js';
import { memoryDb } from './db/store.js';
import { nvdToOsv } from './db/nvd.js';
import { findingsFor } from './index.js';

const bit = (id: string, cve: string, name: string, events: Record<string, string>[], cpes: string[] = []): OsvRecord => ({
  id, modified: '2025-01-01T00:00:00Z', aliases: [cve], summary: `${cve} in ${name}`,
  affected: [{ package: { ecosystem: 'Bitnami', name }, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], ranges: [{ type: 'SEMVER', events }] }],
  database_specific: { severity: 'Critical', cpes },
});
const pkg = (name: string, version: string) => ({ ecosystem: 'Bitnami', name, version, image: `docker.io/bitnami/${name}:${version}-debian-12-r0` });

describe('findingsFor', () => {
  it('groups records by alias: one finding per image, package and CVE', () => {
    const db = memoryDb([
      bit('BIT-redis-2025-1', 'CVE-2025-1', 'redis', [{ introduced: '0' }, { fixed: '7.4.2' }]),
      { ...bit('GHSA-xxxx', 'CVE-2025-1', 'redis', [{ introduced: '7.0.0' }, { fixed: '7.4.2' }]), id: 'GHSA-xxxx' },
      bit('BIT-redis-2025-2', 'CVE-2025-2', 'redis', [{ introduced: '0' }, { fixed: '7.4.1' }]),
    ]);
    const r = findingsFor([pkg('redis', '7.4.1')], db);
    expect(r.findings.map((f) => [f.id, f.aliases, f.fixed])).toEqual([['CVE-2025-1', ['BIT-redis-2025-1', 'GHSA-xxxx'], ['7.4.2']]]);
    expect(r.findings[0]).toMatchObject({ severity: 'CRITICAL', cvss: { version: '3.1', score: 9.8 }, status: 'affected', state: 'open' });
  });

  it('matches NVD CVEs through the CPE vendor/product of the package records, with NVD bounds', () => {
    const nvd = JSON.parse(readFileSync(new URL('../../fixtures/vuln/nvd/api-cves.json', import.meta.url), 'utf8')) as { vulnerabilities: { cve: { id: string } }[] };
    const airflowCve = nvd.vulnerabilities.find((v) => v.cve.id === 'CVE-2020-11978');
    expect(airflowCve).toBeDefined();
    const converted = nvdToOsv(airflowCve!.cve);
    // A Bitnami record that names the CPE but is about another CVE: only the CPE link matters.
    const db = memoryDb([bit('BIT-airflow-2021-1', 'CVE-2021-1', 'airflow', [{ introduced: '0' }, { fixed: '1.0.0' }], ['cpe:2.3:a:apache:airflow:*:*:*:*:*:*:*:*']), converted]);
    const below = findingsFor([pkg('airflow', '1.10.10')], db);
    expect(below.findings.map((f) => f.id)).toEqual(['CVE-2020-11978']);
    expect(below.findings[0]!.fixed).toEqual(['1.10.11']);
    expect(findingsFor([pkg('airflow', '1.10.11')], db).findings).toEqual([]);
  });

  it('versions that cannot be compared: a gap for the package, an indeterminate finding for the record', () => {
    const db = memoryDb([bit('BIT-x-1', 'CVE-2026-1', 'mastodon', [{ introduced: 'nightly.2026-03-10.0' }, { fixed: '4.5.0' }])]);
    const bad = findingsFor([pkg('mastodon', 'latest')], db);
    expect(bad.findings).toEqual([]);
    expect(bad.gaps[0]!.reason).toContain('version latest is not a valid Bitnami version: 1 advisories not evaluated');
    const ind = findingsFor([pkg('mastodon', '4.4.0')], db);
    expect(ind.findings[0]).toMatchObject({ id: 'CVE-2026-1', status: 'indeterminate', reason: expect.stringContaining('nightly') });
  });

  it('withdrawn records never match', () => {
    const db = memoryDb([{ ...bit('BIT-redis-9', 'CVE-2025-9', 'redis', [{ introduced: '0' }]), withdrawn: '2025-02-01T00:00:00Z' }]);
    expect(findingsFor([pkg('redis', '7.4.1')], db).findings).toEqual([]);
  });
});
