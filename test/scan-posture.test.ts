/**
 * The posture stage in `scan` (issue 12): what the chart deploys judged against the Pod Security
 * Standards and the best practices, findings mitigated like vulnerabilities (an ignore-file entry
 * with the check id and an optional resource; the chart authors' notes, trusted only when the
 * provenance verifies), counted by --fail-on, left out with --skip-posture.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './helpers/cli.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const demo = join(projectRoot, 'fixtures', 'demo');
const demoArgs = ['scan', join(demo, 'storefront-5.0.1.tgz'), '--keyring', join(demo, 'keyring.gpg'), '--db', join(demo, 'db'), '--offline', '--registry-mirror', `docker.io=oci-layout:${join(demo, 'images')}`, '--format', 'json'];
const work = mkdtempSync(join(tmpdir(), 'chartaudit-scan-posture-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A chart directory with one Deployment that runs as root without limits; notes beside it when given. */
function chart(notes?: string): string {
  const dir = mkdtempSync(join(work, 'chart-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'values.yaml'), 'image: docker.io/acme/web:1.0\n');
  writeFileSync(join(dir, 'templates', 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: {{ .Values.image }}\n');
  if (notes) writeFileSync(join(dir, 'security-mitigation.yaml'), notes);
  return dir;
}
const scanDir = (dir: string, ...extra: string[]) => runCli(['scan', dir, '--db', join(demo, 'db'), '--skip-image-contents', '--format', 'json', ...extra]);
const checks = (r: Json) => (r.posture.findings as Json[]).map((f) => f.check);

describe('scan judges what the chart deploys', () => {
  it('the demo: Pod Security restricted and best practices on every workload, open, in the schema; --skip-posture leaves it out', async () => {
    const r = await runCli(demoArgs);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.posture.podSecurity).toEqual({ level: 'restricted', version: 'latest' });
    const resources = new Set((report.posture.findings as Json[]).map((f) => `${f.resource.kind}/${f.resource.name}`));
    expect([...resources].sort()).toEqual(['Deployment/release-name-storefront', 'StatefulSet/release-name-postgresql', 'StatefulSet/release-name-queue-master']);
    expect(checks(report)).toContain('pss.restricted.runAsNonRoot');
    expect((report.posture.findings as Json[]).every((f) => f.state === 'open' && f.mitigation === null && f.valuesKey === null)).toBe(true);
    const skipped = JSON.parse((await runCli([...demoArgs, '--skip-posture'])).stdout) as Json;
    expect(skipped.posture).toBeNull();
    const baseline = JSON.parse((await runCli([...demoArgs, '--pss-level', 'baseline'])).stdout) as Json;
    expect(checks(baseline).some((c) => c.startsWith('pss.restricted.'))).toBe(false);
  }, 60_000);

  it('an ignore-file entry with the check id and a resource mitigates that finding only; one naming no resource of the chart is unused', async () => {
    const ignore = join(work, 'ignore.yaml');
    writeFileSync(ignore, [
      '- id: pss.restricted.runAsNonRoot',
      '  resource: StatefulSet/release-name-postgresql',
      '  reason: postgres runs as 1001 from the image',
      '- id: pss.restricted.runAsNonRoot',
      '  resource: Deployment/no-such-thing',
      '  reason: nothing',
      '',
    ].join('\n'));
    const report = JSON.parse((await runCli([...demoArgs, '--ignore-file', ignore])).stdout) as Json;
    const runAsNonRoot = (report.posture.findings as Json[]).filter((f) => f.check === 'pss.restricted.runAsNonRoot');
    expect(runAsNonRoot.map((f) => [f.resource.name, f.state])).toEqual(expect.arrayContaining([
      ['release-name-postgresql', 'mitigated'], ['release-name-storefront', 'open'], ['release-name-queue-master', 'open'],
    ]));
    expect(runAsNonRoot.find((f) => f.state === 'mitigated')?.mitigation).toMatchObject({ source: ignore, trusted: true, note: 'postgres runs as 1001 from the image' });
    expect(report.mitigations.unused.map((s: Json) => s.vulnerability)).toEqual(['pss.restricted.runAsNonRoot']);
    // a vulnerability is never mitigated by an entry that names a resource
    expect(report.findings.every((f: Json) => f.mitigation?.source !== ignore)).toBe(true);
    const bad = join(work, 'bad-ignore.yaml');
    writeFileSync(bad, '- id: x\n  resource: not a resource\n  reason: y\n');
    const refused = await runCli([...demoArgs, '--ignore-file', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bad-ignore\.yaml: entry 1 \(x\): resource "not a resource" is not Kind\/name/);
  }, 60_000);

  it('chart notes may name posture ids: from an unsigned chart they annotate and never mitigate', async () => {
    const dir = chart('schemaVersion: v1\nmitigations:\n  - cves: [resources.cpu-limits]\n    affectedPackageUri: helm://web\n    description: CPU limits are set by the namespace LimitRange.\n');
    const report = JSON.parse((await scanDir(dir)).stdout) as Json;
    const f = (report.posture.findings as Json[]).find((x) => x.check === 'resources.cpu-limits');
    expect(f).toMatchObject({ state: 'open', mitigation: { trusted: false, note: 'CPU limits are set by the namespace LimitRange.' } });
  }, 60_000);

  it('--fail-on counts open configuration findings by severity; mitigated ones do not count', async () => {
    const dir = chart();
    const failed = await scanDir(dir, '--fail-on', 'medium');
    expect(failed.code).toBe(1);
    const reasons = (JSON.parse(failed.stdout) as Json).verdict.reasons.join('\n');
    expect(reasons).toMatch(/--fail-on medium: \d+ open findings at MEDIUM or above \(0 vulnerabilities, \d+ configuration\)/);
    expect((await scanDir(dir, '--fail-on', 'medium', '--skip-posture')).code).toBe(0);
    const report = JSON.parse(failed.stdout) as Json;
    const ignore = join(work, 'all.yaml');
    const atOrAbove = (report.posture.findings as Json[]).filter((x) => ['CRITICAL', 'HIGH', 'MEDIUM'].includes(x.severity));
    writeFileSync(ignore, [...new Set(atOrAbove.map((x) => x.check))].map((id) => `- id: ${id}\n  reason: accepted for the test\n`).join(''));
    expect((await scanDir(dir, '--fail-on', 'medium', '--ignore-file', ignore)).code).toBe(0);
  }, 60_000);

  it('the table has a short Configuration section grouped by workload', async () => {
    const r = await runCli(['scan', chart(), '--db', join(demo, 'db'), '--skip-image-contents', '--no-color']);
    const text = r.stdout;
    expect(text).toMatch(/\nConfiguration \(\d+ open\)\n {2}Pod Security Standards restricted \(latest\) and best practices, by workload\n\n {2}Deployment\/web {2}web\n/);
    expect(text).toMatch(/ {4}MEDIUM {3}pss\.restricted\.runAsNonRoot {2}web: /);
    expect(text).toMatch(/… \d+ more \(--format json lists all\)/);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  }, 60_000);
});
