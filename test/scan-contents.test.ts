/**
 * `scan` matches what is inside the chart's images (issue 11). A chart with a subchart deploys
 * images pushed to a real registry (Debian's docker-registry on 127.0.0.1), built from real files
 * read at run time from ../shared/testdata/images: Syft's Debian 12 dpkg status and os-release,
 * Trivy's Go binary and a Python wheel's METADATA. The advisories are OSV records written here
 * plus GO-2024-2687 as golang/vulndb published it (../shared/osv/real-mixed.zip), imported by the
 * CLI into a database of the test's own. The JSON report carries each finding's package, where it
 * lies in the image and its path chart → subchart → workload → image → package; --ignore-unfixed
 * leaves out the unfixed one and says so; an image that cannot be read stays a gap; the table
 * groups findings by image and names each package's type.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { makeImage, type TestImage } from './helpers/oci-image.js';
import { pushAll, startRegistry, type RunningRegistry } from './helpers/registry.js';
import { sharedPath, sharedZipEntries } from './helpers/shared.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const real = (...parts: string[]): Buffer => readFileSync(sharedPath('testdata', 'images', ...parts));
const SITE = 'usr/local/lib/python3.11/site-packages';
const MODIFIED = '2026-11-20T00:00:00Z';

/** An OSV record of the test's own: one package, one range. */
function record(id: string, ecosystem: string, name: string, events: Record<string, string>[], extra: Json = {}): Json {
  return {
    schema_version: '1.6.2',
    id,
    modified: MODIFIED,
    published: MODIFIED,
    summary: `${id}: test advisory for ${name}`,
    affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
    ...extra,
  };
}

/** `shop` deploys web (and an image that does not exist); its subchart `api` deploys api. */
function writeChart(dir: string, registry: string): string {
  const chart = join(dir, 'shop');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  mkdirSync(join(chart, 'charts', 'api', 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: api\n    version: 0.3.0\n');
  writeFileSync(join(chart, 'values.yaml'), `global:\n  registry: ${registry}\n`);
  const deployment = (name: string, containers: [string, string][]) => [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: {{ .Release.Name }}-${name}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    ...containers.flatMap(([c, image]) => [`        - name: ${c}`, `          image: ${image}`]),
    '',
  ].join('\n');
  writeFileSync(join(chart, 'templates', 'web.yaml'), deployment('web', [
    ['web', '{{ .Values.global.registry }}/acme/web:1.0'],
    ['sidecar', '{{ .Values.global.registry }}/acme/missing:1.0'],
  ]));
  writeFileSync(join(chart, 'charts', 'api', 'Chart.yaml'), 'apiVersion: v2\nname: api\nversion: 0.3.0\n');
  writeFileSync(join(chart, 'charts', 'api', 'templates', 'api.yaml'), deployment('api', [['api', '{{ .Values.global.registry }}/acme/api:2.0']]));
  return chart;
}

describe('scan matches the packages inside the images against the database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartaudit-scan-contents-'));
  const db = join(dir, 'db');
  let reg: RunningRegistry;
  let web: TestImage;
  let api: TestImage;
  let chart: string;
  let webRef: string;
  let apiRef: string;
  let missingRef: string;
  const scan = (...extra: string[]) => runCli(['scan', chart, '--db', db, '--insecure-registry', reg.host, ...extra]);
  const scanJson = async (...extra: string[]): Promise<{ code: number; report: Json }> => {
    const r = await scan('--format', 'json', ...extra);
    expect(r.stderr).not.toContain('internal error');
    return { code: r.code, report: JSON.parse(r.stdout) as Json };
  };

  beforeAll(async () => {
    const debian = {
      'etc/os-release': real('dpkg', 'syft-image-dpkg', 'etc', 'os-release'),
      'var/lib/dpkg/status': real('dpkg', 'syft-image-dpkg', 'var', 'lib', 'dpkg', 'status'), // libpam-runtime 1.1.8-3.6, source pam
    };
    web = makeImage({ layers: [debian, { [`${SITE}/asyncssh-2.14.2.dist-info/METADATA`]: real('python', 'asyncssh-2.14.2.METADATA') }] });
    // Go 1.22.1, main module github.com/aquasecurity/test v1.0.0; executable, or no analyser reads it
    api = makeImage({ layers: [{ 'etc/os-release': debian['etc/os-release'] }, { 'usr/local/bin/api': { content: real('go', 'main-version-via-ldflags.elf'), mode: 0o755 } }] });

    reg = await startRegistry(join(dir, 'reg'), join(dir, 'store'));
    await pushAll(reg.host, 'acme/web', web.blobs, web.manifest, '1.0');
    await pushAll(reg.host, 'acme/api', api.blobs, api.manifest, '2.0');
    [webRef, apiRef, missingRef] = ['acme/web:1.0', 'acme/api:2.0', 'acme/missing:1.0'].map((r) => `${reg.host}/${r}`) as [string, string, string];
    chart = writeChart(dir, reg.host);

    const osv = join(dir, 'osv');
    mkdirSync(osv);
    const records = [
      record('TEST-2026-0001', 'Debian:12', 'pam', [{ introduced: '0' }, { fixed: '1.5.2-6+deb12u1' }], {
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }],
      }),
      record('TEST-2026-0002', 'Debian:12', 'pam', [{ introduced: '0' }]), // no release fixes it
      record('TEST-2026-0003', 'PyPI', 'asyncssh', [{ introduced: '2.0.0' }, { fixed: '2.14.3' }], { database_specific: { severity: 'MODERATE' } }),
      record('TEST-2026-0004', 'PyPI', 'asyncssh', [{ introduced: '0' }, { fixed: '2.14.2' }]), // 2.14.2 is the fix: no finding
      record('TEST-2026-0005', 'Debian:12', 'libpam-runtime', [{ introduced: '0' }]), // a binary name: Debian keys by source package
    ];
    for (const r of records) writeFileSync(join(osv, `${r.id}.json`), JSON.stringify(r));
    let go = false;
    for (const e of sharedZipEntries('osv', 'real-mixed.zip')) {
      if (e.name !== 'GO-2024-2687.json') continue;
      writeFileSync(join(osv, e.name), e.data);
      go = true;
    }
    expect(go, 'GO-2024-2687 in ../shared/osv/real-mixed.zip').toBe(true);
    const imported = await runCli(['db', 'import', osv, '--db', db]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('6 new');
    expect(imported.stderr).toContain('6 records read'); // none skipped as malformed
  }, 120_000);
  afterAll(async () => {
    await reg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists each finding with its package, where it lies in the image, and the path chart → subchart → workload → image → package', async () => {
    const { code, report } = await scanJson();
    expect(code).toBe(0);
    const byId = new Map((report.findings as Json[]).map((f) => [f.id, f]));
    expect([...byId.keys()].sort()).toEqual(['CVE-2023-45288', 'TEST-2026-0001', 'TEST-2026-0002', 'TEST-2026-0003']);

    expect(byId.get('TEST-2026-0001')).toMatchObject({
      severity: 'HIGH',
      image: webRef,
      package: { ecosystem: 'Debian:12', name: 'pam', version: '1.1.8-3.6', binaries: ['libpam-runtime'] },
      location: { image: webRef, layer: web.layers[0]!.digest, path: '/var/lib/dpkg/status' },
      path: ['shop', 'Deployment/release-name-web', webRef, 'pam 1.1.8-3.6'],
      fixed: ['1.5.2-6+deb12u1'],
      status: 'affected',
      state: 'open',
    });
    expect(byId.get('TEST-2026-0002')).toMatchObject({ package: { name: 'pam' }, fixed: [] });
    expect(byId.get('TEST-2026-0003')).toMatchObject({
      severity: 'MEDIUM',
      package: { ecosystem: 'PyPI', name: 'asyncssh', version: '2.14.2', purl: 'pkg:pypi/asyncssh@2.14.2' },
      location: { image: webRef, layer: web.layers[1]!.digest, path: `/${SITE}/asyncssh-2.14.2.dist-info/METADATA` },
      path: ['shop', 'Deployment/release-name-web', webRef, 'asyncssh 2.14.2'],
      fixed: ['2.14.3'],
    });
    // golang/vulndb's record, through the subchart: preferred id the CVE, the Go and GHSA ids as aliases
    expect(byId.get('CVE-2023-45288')).toMatchObject({
      aliases: ['GHSA-4v7x-pqxf-cx7m', 'GO-2024-2687'],
      image: apiRef,
      package: { ecosystem: 'Go', name: 'stdlib', version: '1.22.1' },
      location: { image: apiRef, layer: api.layers[1]!.digest, path: '/usr/local/bin/api' },
      path: ['shop', 'shop/charts/api', 'Deployment/release-name-api', apiRef, 'stdlib 1.22.1'],
      fixed: ['1.22.2'],
    });
    // every ecosystem the images need has records: no "not checked" gap, only the missing image
    expect((report.gaps as Json[]).filter((g) => g.scope === 'vulnerabilities')).toEqual([]);
  }, 60_000);

  it('--ignore-unfixed leaves out the finding no release fixes, and says how many it left out', async () => {
    const { report } = await scanJson('--ignore-unfixed');
    expect((report.findings as Json[]).map((f) => f.id).sort()).toEqual(['CVE-2023-45288', 'TEST-2026-0001', 'TEST-2026-0003']);
    expect(report.warnings).toContain('1 finding with no fixed version yet left out (--ignore-unfixed)');
    const text = (await scan('--ignore-unfixed', '--no-color')).stdout;
    expect(text).not.toContain('TEST-2026-0002');
    expect(text).toContain('1 finding with no fixed version yet left out (--ignore-unfixed)');
  }, 60_000);

  it('an image that cannot be read stays a gap: no findings for it, and --fail-on-gaps fails on it', async () => {
    const { report } = await scanJson();
    const missing = (report.images as Json[]).find((i) => i.ref === missingRef);
    expect(missing?.contents).toBeNull();
    const gaps = (report.gaps as Json[]).filter((g) => g.scope === missingRef);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.reason).toMatch(/^the image was not read: .*(404|not found|unknown)/i);
    expect((report.findings as Json[]).filter((f) => f.image === missingRef)).toEqual([]);
    const strict = await scanJson('--fail-on-gaps');
    expect(strict.code).toBe(1);
    expect((strict.report.verdict.reasons as string[]).join('\n')).toMatch(/not examined|gap/);
  }, 60_000);

  it('the table groups the findings by image and names each package type', async () => {
    const r = await scan('--no-color');
    expect(r.code).toBe(0);
    const text = r.stdout;
    const section = text.slice(text.indexOf('Vulnerabilities ('), text.indexOf('\nConfiguration ('));
    expect(section).toMatch(/^Vulnerabilities \(4 open\)/);
    const groups = section.split('\n\n').slice(1).map((g) => g.split('\n'));
    expect(groups.map((g) => g[0]!.trim()).sort()).toEqual([apiRef, webRef].sort());
    const group = (ref: string) => groups.find((g) => g[0]!.trim() === ref)!.join('\n');
    // 81 columns on one line: the fix goes under the package
    expect(group(webRef)).toContain('    HIGH     TEST-2026-0001  deb pam 1.1.8-3.6 (libpam-runtime)\n             fixed in 1.5.2-6+deb12u1\n');
    expect(group(webRef)).toContain('MEDIUM   TEST-2026-0003  pypi asyncssh 2.14.2  fixed in 2.14.3');
    expect(group(webRef)).toContain('UNKNOWN  TEST-2026-0002  deb pam 1.1.8-3.6 (libpam-runtime)  no fix');
    expect(group(apiRef)).toContain('UNKNOWN  CVE-2023-45288  golang stdlib 1.22.1  fixed in 1.22.2');
    expect(group(apiRef)).not.toContain('TEST-');
    expect(text).toMatch(/Summary  open 1 high, 1 medium, 2 unknown; configuration [^;]+; 1\s+not\s+examined/);
  }, 60_000);
});
