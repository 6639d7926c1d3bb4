import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ScanReport } from '../model/report.js';
import { projectRoot, runCli } from '../../test/helpers/cli.js';
import { table } from './table.js';

const demo = join(projectRoot, 'fixtures', 'demo', 'storefront-5.0.1.tgz');
const keyring = join(projectRoot, 'fixtures', 'demo', 'keyring.gpg');
const demoImages = join(projectRoot, 'fixtures', 'demo', 'images');
const db = join(projectRoot, 'fixtures', 'demo', 'db');

/** The demo's scan, with every finding open and unannotated, for tests to set up as they need. */
async function demoReport(): Promise<ScanReport> {
  const r = await runCli(['scan', demo, '--keyring', keyring, '--db', db, '--offline', '--registry-mirror', `docker.io=oci-layout:${demoImages}`, '--format', 'json']);
  const report = JSON.parse(r.stdout) as ScanReport;
  report.findings = report.findings.map((f) => ({ ...f, state: 'open', mitigation: null }));
  return report;
}

describe('the table report', () => {
  it('fits an 80-column terminal and has no colour codes unless asked', async () => {
    const text = table.render(await demoReport(), { color: false, width: 80 });
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(text).not.toMatch(/\x1b\[/);
    expect(text).toContain('Provenance verified — signed by Storefront Demo Signer');
    expect(text).toMatch(/CRITICAL CVE-2025-49844 {2}bitnami redis 7\.4\.1-0 {2}fixed in 7\.4\.6/);
    expect(text).toContain('Summary  open 4 critical, 5 high, 2 medium, 3 unknown');
    expect(table.render(await demoReport(), { color: true, width: 80 })).toMatch(/\x1b\[/);
  });

  it('mitigated findings: counted, listed with --show-mitigated, notes under annotated findings', async () => {
    const report = await demoReport();
    report.findings[0] = { ...report.findings[0]!, state: 'mitigated', mitigation: { source: 'storefront/charts/queue/security-mitigation.yaml', trusted: true, status: null, justification: null, note: 'Lua scripting is disabled by the chart (EVAL is renamed).' } };
    report.findings[1] = { ...report.findings[1]!, mitigation: { source: 'storefront/security-mitigation.yaml', trusted: false, status: null, justification: null, note: 'Not reachable from outside the cluster.' } };
    const hidden = table.render(report, { color: false, width: 80 });
    expect(hidden).toContain('Vulnerabilities (13 open, 1 mitigated)');
    expect(hidden).toContain('1 mitigated finding (--show-mitigated lists them)');
    expect(hidden).not.toContain('Lua scripting is disabled');
    expect(hidden).toContain('note (untrusted, not applied: storefront/security-mitigation.yaml)');
    expect(hidden).toContain('Not reachable from outside the cluster.');
    expect(hidden).toContain('mitigated 1');
    const shown = table.render(report, { color: false, width: 80, showMitigated: true });
    expect(shown).toContain('note (trusted: storefront/charts/queue/security-mitigation.yaml)');
    expect(shown).toContain('Lua scripting is disabled');
  });

  it('no findings and gaps: says what was not examined rather than "clean"', async () => {
    const report = await demoReport();
    report.findings = [];
    report.gaps = [{ scope: 'docker.io/acme/storefront:9.2.0', reason: 'the image was not read: connection refused' }];
    expect(table.render(report, { color: false, width: 80 })).toContain('none found in what was examined (see "Not examined")');
    report.gaps = [];
    expect(table.render(report, { color: false, width: 80 })).toMatch(/Vulnerabilities \(0 open\)\n {2}none found\n/);
  });

  it('findings grouped by image, most severe first, each with its package type (and the binaries of a source package)', async () => {
    const text = table.render(await demoReport(), { color: false, width: 80 });
    const section = text.slice(text.indexOf('Vulnerabilities ('), text.indexOf('\nConfiguration ('));
    const groups = section.split('\n\n').slice(1).map((g) => g.split('\n'));
    expect(groups.map((g) => g[0])).toEqual([
      '  docker.io/acme/storefront:9.2.0',
      '  docker.io/bitnami/postgresql:17.0.0-debian-12-r6',
      '  docker.io/bitnami/redis:7.4.1-debian-12-r2',
    ]);
    const findingLines = (g: string[]) => g.filter((l) => /^ {4}[A-Z]+ +(CVE|DEMO)-/.test(l));
    expect(findingLines(groups[0]!).map((l) => l.trim().split(/ +/).slice(0, 4).join(' '))).toEqual([
      'CRITICAL CVE-2023-45853 deb zlib',
      'HIGH CVE-2021-23337 npm lodash',
      'HIGH CVE-2022-24999 npm qs',
      'MEDIUM CVE-2024-29041 npm express',
      'UNKNOWN CVE-2024-9143 deb openssl',
    ]);
    expect(section).toContain('    CRITICAL CVE-2023-45853  deb zlib 1:1.2.13.dfsg-1 (zlib1g)  no fix\n');
    expect(section).toContain('    HIGH     CVE-2021-23337  npm lodash 4.17.20  fixed in 4.17.21\n');
    expect(findingLines(groups[2]!).map((l) => l.trim().split(/ +/).slice(0, 3).join(' ')).sort()).toEqual([
      'CRITICAL CVE-2023-45853 deb', 'CRITICAL CVE-2025-49844 bitnami', 'HIGH CVE-2024-46981 bitnami', 'HIGH CVE-2025-21605 bitnami', 'UNKNOWN CVE-2024-9143 deb',
    ]);
    const rank = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE', 'UNKNOWN'];
    for (const g of groups) {
      const ranks = findingLines(g).map((l) => rank.indexOf(l.trim().split(' ')[0]!));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    // too long for 80 columns: the fix goes on the next line, under the package; on a wide terminal it stays
    expect(section).toContain('    UNKNOWN  CVE-2024-9143  deb openssl 3.0.14-1~deb12u2 (libssl3, openssl)\n             fixed in 3.0.15-1~deb12u1\n');
    const wide = table.render(await demoReport(), { color: false, width: 120 });
    expect(wide).toContain('    UNKNOWN  CVE-2024-9143  deb openssl 3.0.14-1~deb12u2 (libssl3, openssl)  fixed in 3.0.15-1~deb12u1\n');
  });
});
