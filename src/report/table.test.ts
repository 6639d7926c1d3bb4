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
    expect(text).toMatch(/CRITICAL CVE-2025-49844 {2}redis 7\.4\.1-0 {2}fixed in 7\.4\.6/);
    expect(text).toContain('Summary  open 1 critical, 3 high, 1 medium; 2 not examined');
    expect(table.render(await demoReport(), { color: true, width: 80 })).toMatch(/\x1b\[/);
  });

  it('mitigated findings: counted, listed with --show-mitigated, notes under annotated findings', async () => {
    const report = await demoReport();
    report.findings[0] = { ...report.findings[0]!, state: 'mitigated', mitigation: { source: 'storefront/charts/queue/security-mitigation.yaml', trusted: true, status: null, justification: null, note: 'Lua scripting is disabled by the chart (EVAL is renamed).' } };
    report.findings[1] = { ...report.findings[1]!, mitigation: { source: 'storefront/security-mitigation.yaml', trusted: false, status: null, justification: null, note: 'Not reachable from outside the cluster.' } };
    const hidden = table.render(report, { color: false, width: 80 });
    expect(hidden).toContain('Vulnerabilities (4 open, 1 mitigated)');
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
    expect(table.render(report, { color: false, width: 80 })).toContain('none found in what was examined (see "Not examined")');
  });
});
