/**
 * template, images and scan as users run them, against the reference helm where helm has
 * the same command.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helm } from './helpers/helm.js';
import { projectRoot, runCli } from './helpers/cli.js';

const demo = join(projectRoot, 'fixtures', 'demo', 'storefront-5.0.1.tgz');
const keyring = join(projectRoot, 'fixtures', 'demo', 'keyring.gpg');
const demoImages = join(projectRoot, 'fixtures', 'demo', 'images');
const work = mkdtempSync(join(tmpdir(), 'chartaudit-commands-'));

/** A one-template chart in a fresh folder. */
function chart(name: string, template: string, values = ''): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
  writeFileSync(join(dir, 'values.yaml'), values);
  writeFileSync(join(dir, 'templates', 'pod.yaml'), template);
  return dir;
}

describe('chartaudit template prints what helm template prints', () => {
  const values = join(work, 'prod.yaml');
  writeFileSync(values, 'replicaCount: 5\ncache:\n  enabled: true\n');
  it.each([
    ['defaults', []],
    ['-f and --set', ['-f', values, '--set', 'image.tag=9.3.0,queue.image.tag=7.4.2-debian-12-r0']],
    ['--set-string and a release name and namespace', ['--set-string', 'replicaCount=3', '--release-name', 'shop', '--namespace', 'prod']],
    ['--show-only', ['--show-only', 'charts/queue/templates/statefulset.yaml']],
  ])('%s', async (_, flags) => {
    const ours = await runCli(['template', demo, ...flags]);
    const releaseName = flags.includes('--release-name') ? flags[flags.indexOf('--release-name') + 1]! : 'release-name';
    const helmFlags = flags.map((f) => (f === '--release-name' ? '' : f)).filter((f, i, a) => f !== '' && a[i - 1] !== '');
    const theirs = helm(['template', releaseName, demo, ...helmFlags]);
    expect(theirs.status).toBe(0);
    expect(ours.stderr).toBe('');
    expect(ours.code).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
  });
});

describe('errors are exit 2 with helm-like messages naming the chart', () => {
  it.each([
    ['required', chart('req', 'x: {{ required "a database host is required" .Values.db }}\n'), 'execution error at (req/templates/pod.yaml:1:6): a database host is required'],
    ['fail', chart('failing', '{{ fail "not supported" }}\n'), 'execution error at (failing/templates/pod.yaml:1:3): not supported'],
    ['an undefined function', chart('undef', 'x: {{ nope 1 }}\n'), 'function "nope" not defined'],
    ['a parse error', chart('parse', 'x: {{ if }}\n'), 'missing value for if'],
    ['a manifest that is not YAML', chart('notyaml', 'a: [1, 2\n'), 'YAML parse error on notyaml/templates/pod.yaml'],
  ])('%s', async (_, dir, msg) => {
    const r = await runCli(['template', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(msg);
    expect(r.stderr).toContain(dir.split('/').pop()!);
    expect(helm(['template', 'release-name', dir]).stderr).toContain(msg);
  });
  it.each([
    ['a values file that is not YAML', ['-f', (() => { const f = join(work, 'bad.yaml'); writeFileSync(f, 'a: [1\n'); return f; })()], 'bad.yaml'],
    ['a values file that does not exist', ['-f', join(work, 'missing.yaml')], 'missing.yaml: values file does not exist'],
    ['a bad --set', ['--set', 'a[x]=1'], 'failed parsing --set data'],
  ])('%s', async (_, flags, msg) => {
    const r = await runCli(['template', demo, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(msg);
  });
});

describe('chartaudit images', () => {
  it('lists the demo images with their sources (JSON)', async () => {
    const r = await runCli(['images', demo, '--format', 'json']);
    // always a list, one entry per chart named (a glob matching one file gives the same shape)
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(1);
    expect(r.code).toBe(0);
    const report = (JSON.parse(r.stdout) as Record<string, unknown>[])[0]!;
    expect(Object.keys(report)).toEqual(['file', 'chart', 'charts', 'images', 'customResourceImages', 'gaps']);
    expect(report.images).toEqual([
      { ref: 'docker.io/acme/storefront:9.2.0', registry: 'docker.io', repository: 'acme/storefront', tag: '9.2.0', digest: null,
        sources: [{ chart: 'storefront', template: 'templates/deployment.yaml', kind: 'Deployment', name: 'release-name-storefront', container: 'web' }] },
      { ref: 'docker.io/bitnami/postgresql:17.0.0-debian-12-r6', registry: 'docker.io', repository: 'bitnami/postgresql', tag: '17.0.0-debian-12-r6', digest: null,
        sources: [{ chart: 'storefront/charts/postgresql', template: 'templates/statefulset.yaml', kind: 'StatefulSet', name: 'release-name-postgresql', container: 'postgresql' }] },
      { ref: 'docker.io/bitnami/redis:7.4.1-debian-12-r2', registry: 'docker.io', repository: 'bitnami/redis', tag: '7.4.1-debian-12-r2', digest: null,
        sources: [{ chart: 'storefront/charts/queue', template: 'templates/statefulset.yaml', kind: 'StatefulSet', name: 'release-name-queue-master', container: 'redis' }] },
    ]);
  });
  it('follows values: enabling the cache alias adds its redis instance', async () => {
    const r = await runCli(['images', demo, '--format', 'json', '--set', 'cache.enabled=true', '--set', 'cache.image.tag=7.4.3-debian-12-r0']);
    const refs = (JSON.parse(r.stdout) as { images: { ref: string }[] }[])[0]!.images.map((i) => i.ref);
    expect(refs).toContain('docker.io/bitnami/redis:7.4.3-debian-12-r0');
  });
  it('several charts: a JSON array, one entry per chart, failures included (exit 2)', async () => {
    const broken = chart('broken', '{{ fail "no" }}\n');
    const r = await runCli(['images', demo, broken, '--format', 'json']);
    expect(r.code).toBe(2);
    const list = JSON.parse(r.stdout) as { file: string; error?: string; images?: unknown[] }[];
    expect(list.map((x) => x.file)).toEqual([demo, broken]);
    expect(list[0]!.images).toHaveLength(3);
    expect(list[1]!.error).toContain('execution error at (broken/templates/pod.yaml:1:3): no');
  });
  it('the table names each image and where it is used', async () => {
    const r = await runCli(['images', demo]);
    expect(r.stdout).toContain('storefront 5.0.1: 3 images');
    expect(r.stdout).toMatch(/docker\.io\/bitnami\/redis:7\.4\.1-debian-12-r2\n\s+storefront\/charts\/queue\s+StatefulSet\/release-name-queue-master\s+redis/);
  });
});

describe('chartaudit scan', () => {
  it('reports provenance, the tree and the images (JSON)', async () => {
    const r = await runCli(['scan', demo, '--keyring', keyring, '--format', 'json', '--offline', '--db', join(work, 'no-db'), '--registry-mirror', `docker.io=oci-layout:${demoImages}`]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { provenance: { status: string }; charts: { path: string; enabled: boolean }[]; images: unknown[]; gaps: { reason: string }[] };
    expect(report.provenance.status).toBe('verified');
    expect(report.charts.map((c) => `${c.path}:${c.enabled}`)).toEqual([
      'storefront:true', 'storefront/charts/queue:true', 'storefront/charts/cache:false', 'storefront/charts/postgresql:true',
    ]);
    expect(report.images).toHaveLength(3);
    expect(report.gaps.map((g) => g.reason)).toEqual([
      expect.stringContaining('and --offline given: 73 packages not checked'),
    ]);
  });
  it('a chart that does not render: provenance and tree still reported, images a gap', async () => {
    const dir = chart('needs-values', 'x: {{ required "set .Values.host" .Values.host }}\n');
    const r = await runCli(['scan', dir, '--format', 'json', '--offline']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { images: unknown[]; gaps: { reason: string }[] };
    expect(report.images).toEqual([]);
    expect(report.gaps[0]!.reason).toContain('the chart did not render, so its images are unknown');
    expect(report.gaps[0]!.reason).toContain('set .Values.host');
  });
  const demoDb = join(projectRoot, 'fixtures', 'demo', 'db');
  it('finds the demo vulnerabilities in the demo database, grouped by CVE', async () => {
    const r = await runCli(['scan', demo, '--db', demoDb, '--offline', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { id: string; aliases: string[]; severity: string; fixed: string[]; image: string }[] };
    expect(report.findings.map((f) => `${f.severity} ${f.id} ${f.fixed.join(',')}`)).toEqual([
      'CRITICAL CVE-2025-49844 7.4.6', 'HIGH CVE-2024-10979 17.1.0', 'HIGH CVE-2024-46981 7.4.2', 'HIGH CVE-2025-21605 7.4.3', 'MEDIUM CVE-2024-10976 17.1.0',
    ]);
    expect(report.findings[0]!.aliases).toEqual(['DEMO-redis-2025-49844']);
  });
  it.each([
    ['critical', [], 1],
    ['critical', ['--set', 'queue.image.tag=7.4.6-debian-12-r0'], 0],
    ['high', ['--set', 'queue.image.tag=7.4.6-debian-12-r0'], 1],
    ['high', ['--set', 'queue.image.tag=7.4.6-debian-12-r0', '--set', 'postgresql.image.tag=17.1.0-debian-12-r0'], 0],
  ])('--fail-on %s %j → exit %i', async (level, flags, code) => {
    const r = await runCli(['scan', demo, '--db', demoDb, '--offline', '--format', 'json', '--fail-on', level, ...flags]);
    expect(r.code).toBe(code);
  });

  it('trust: the demo chart\'s notes mitigate only when its provenance is verified', async () => {
    type R = { provenance: { status: string }; findings: { id: string; state: string; mitigation: { trusted: boolean; source: string } | null }[] };
    const verified = await runCli(['scan', demo, '--keyring', keyring, '--db', demoDb, '--offline', '--format', 'json', '--fail-on', 'critical']);
    const v = JSON.parse(verified.stdout) as R;
    expect(v.provenance.status).toBe('verified');
    expect(v.findings.find((f) => f.id === 'CVE-2025-49844')).toMatchObject({ state: 'mitigated', mitigation: { trusted: true, source: 'storefront/charts/queue/security-mitigation.yaml' } });
    expect(v.findings.find((f) => f.id === 'CVE-2024-10976')).toMatchObject({ state: 'mitigated', mitigation: { trusted: true, source: 'storefront/security-mitigation.yaml' } });
    expect(verified.code).toBe(0); // the only critical finding is mitigated
    const unchecked = await runCli(['scan', demo, '--db', demoDb, '--offline', '--format', 'json', '--fail-on', 'critical']);
    const u = JSON.parse(unchecked.stdout) as R;
    expect(u.provenance.status).toBe('unchecked');
    expect(u.findings.find((f) => f.id === 'CVE-2025-49844')).toMatchObject({ state: 'open', mitigation: { trusted: false } });
    expect(unchecked.code).toBe(1);
  });
  it('--vex: under_investigation annotates; --ignore-file with a reason mitigates', async () => {
    const ignore = join(work, 'ignore.yaml');
    writeFileSync(ignore, '- id: CVE-2025-21605\n  image: docker.io/bitnami/redis\n  reason: the queue is only reachable from the storefront pods\n  expires: 2099-01-01\n');
    const r = await runCli(['scan', demo, '--db', demoDb, '--offline', '--format', 'json', '--vex', join(projectRoot, 'fixtures', 'demo', 'vex.openvex.json'), '--ignore-file', ignore]);
    const report = JSON.parse(r.stdout) as { findings: { id: string; state: string; mitigation: { status: string | null } | null }[] };
    expect(report.findings.find((f) => f.id === 'CVE-2024-10979')).toMatchObject({ state: 'open', mitigation: { status: 'under_investigation' } });
    expect(report.findings.find((f) => f.id === 'CVE-2025-21605')).toMatchObject({ state: 'mitigated' });
  });

  it('a forged chart fails the scan (exit 1)', async () => {
    const dir = join(work, 'forged');
    mkdirSync(dir);
    const tgz = join(dir, 'storefront-5.0.1.tgz');
    const { readFileSync, copyFileSync } = await import('node:fs');
    writeFileSync(tgz, Buffer.concat([readFileSync(demo), Buffer.from([0])]));
    copyFileSync(`${demo}.prov`, `${tgz}.prov`);
    const r = await runCli(['scan', tgz, '--keyring', keyring, '--format', 'json', '--offline']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { provenance: { status: string; reason: string } }).provenance).toMatchObject({ status: 'failed', reason: expect.stringContaining('sha256 sum does not match') });
  });
});
