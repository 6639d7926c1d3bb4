/**
 * SARIF, CycloneDX and Markdown reports of the demo scan (its images from the OCI layouts in
 * fixtures/demo/images), several reports from one run with `-o FORMAT=FILE`, and
 * `mitigations --format cyclonedx` against a chart repository served on 127.0.0.1. Every SARIF
 * and CycloneDX document is checked against the published schemas (runCli does it for each scan).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { projectRoot, runCli, spawnCli } from './helpers/cli.js';
import { assertValidExport, cycloneDxSchemaErrors, sarifSchemaErrors } from './helpers/report-schemas.js';
import { readCycloneDx } from '../src/mitigations/cyclonedx.js';
import type { ReportPostureFinding, ScanReport } from '../src/model/report.js';
import { renderSarif } from '../src/report/sarif.js';
import { renderCycloneDx } from '../src/report/cyclonedx.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { postureFindingsOf, templatePathInChart } from '../src/report/scan-parts.js';
import { chartRootForSarif } from '../src/cli/chart-root.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const demo = join(projectRoot, 'fixtures', 'demo');
const demoScan = [
  'scan', join(demo, 'storefront-5.0.1.tgz'), '--keyring', join(demo, 'keyring.gpg'), '--db', join(demo, 'db'),
  '--vex', join(demo, 'vex.openvex.json'), '--registry-mirror', `docker.io=oci-layout:${join(demo, 'images')}`,
];
const out = mkdtempSync(join(tmpdir(), 'chartaudit-report-formats-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const file = (name: string): string => join(out, name);

let report: ScanReport;
/** The results about vulnerabilities (a scan may add posture results: they name no package). */
const vulnResults = (doc: Json): Json[] => (doc.runs[0].results as Json[]).filter((r) => r.properties.package !== undefined);
/** A note as the reports quote it: clauses joined with `; `, without the note's final full stop. */
const quoted = (note: string): string => note.replace(/\.+$/, '');
let sarif: Json;
let bom: Json;
let markdown: string;
let stdout: string;

beforeAll(async () => {
  const r = await runCli([...demoScan, '--no-color',
    '-o', `json=${file('report.json')}`, '-o', `sarif=${file('report.sarif')}`,
    '-o', `cyclonedx=${file('bom.json')}`, '-o', `markdown=${file('summary.md')}`]);
  expect(r.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
  expect(r.code).toBe(0);
  stdout = r.stdout;
  report = JSON.parse(readFileSync(file('report.json'), 'utf8')) as ScanReport;
  sarif = JSON.parse(readFileSync(file('report.sarif'), 'utf8')) as Json;
  bom = JSON.parse(readFileSync(file('bom.json'), 'utf8')) as Json;
  markdown = readFileSync(file('summary.md'), 'utf8');
}, 120_000);

describe('several reports from one scan', () => {
  it('writes each FORMAT=FILE and still prints the table on standard output', () => {
    expect(stdout).toMatch(/storefront 5\.0\.1/);
    expect(stdout).toMatch(/Summary/);
    expect(report.schemaVersion).toBe(1);
    expect(report.findings.length).toBeGreaterThan(3);
  });

  it('every report says the same findings', () => {
    expect(vulnResults(sarif)).toHaveLength(report.findings.length);
    const cdxIds = new Set((bom.vulnerabilities as Json[]).map((v) => v.id));
    expect(cdxIds).toEqual(new Set(report.findings.map((f) => f.id)));
    for (const f of report.findings.filter((x) => x.state === 'open').slice(0, 3)) expect(markdown).toContain(f.id);
  });

  it('the plain -o file takes --format; FORMAT=FILE adds to it', async () => {
    const r = await runCli([...demoScan, '--format', 'sarif', '-o', file('main.sarif'), '-o', `markdown=${file('also.md')}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(file('main.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(file('also.md'), 'utf8')).toMatch(/^### chartaudit: storefront 5\.0\.1/);
  });

  it('helm\'s -o FORMAT still sets the format (now also sarif)', async () => {
    const r = await runCli([...demoScan, '-o', 'sarif']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/-o sarif taken as --format sarif/);
    expect(JSON.parse(r.stdout).version).toBe('2.1.0');
  });

  it('a plain file whose name has an = but no format before it is a file', async () => {
    const r = await runCli([...demoScan, '--format', 'cyclonedx', '-o', file('a=b.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(file('a=b.json'), 'utf8')).bomFormat).toBe('CycloneDX');
  });

  it.each([
    ['two plain files', ['-o', file('x1'), '-o', file('x2')], /-o is given 2 times .* one plain file at most/],
    ['one file for two reports', ['-o', `sarif=${file('same')}`, '-o', `cyclonedx=${file('same')}`], /-o names .*same twice/],
    ['a format without a file', ['-o', 'sarif='], /-o sarif=: no file named after sarif=/],
    ['an unknown --format', ['--format', 'spdx'], /spdx/],
  ])('refuses %s (exit 2, one line, nothing written)', async (_name, extra, message) => {
    const r = await runCli([...demoScan, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(existsSync(file('same'))).toBe(false);
  });

  it('the built CLI: every report written, exit 0, warnings on stderr, no stack trace', () => {
    const r = spawnCli([...demoScan, '--format', 'json', '-o', file('spawn.json'), '-o', `sarif=${file('spawn.sarif')}`, '-o', `CycloneDX=${file('spawn.cdx.json')}`, '-o', `markdown=${file('spawn.md')}`]);
    expect(r.stderr).not.toMatch(/ at .*\.(c?js|ts):\d+/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^warning: the vulnerability data is \d+ days old/m);
    assertValidExport(readFileSync(file('spawn.sarif'), 'utf8'), 'sarif');
    assertValidExport(readFileSync(file('spawn.cdx.json'), 'utf8'), 'cyclonedx');
    expect(JSON.parse(readFileSync(file('spawn.json'), 'utf8')).findings).toHaveLength(report.findings.length);
    expect(readFileSync(file('spawn.md'), 'utf8')).toMatch(/^### chartaudit: storefront 5\.0\.1: ✅ passed$/m);
  });

  it('html (src/report/html.ts) is one of the formats, on stdout or as html=FILE', async () => {
    const r = await runCli([...demoScan, '--format', 'html', '-o', `html=${file('page.html')}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/i);
    expect(readFileSync(file('page.html'), 'utf8')).toBe(r.stdout);
  });

  it('a FORMAT=FILE in a missing directory: exit 2 naming the file', async () => {
    const r = await runCli([...demoScan, '-o', `sarif=${join(out, 'no', 'such', 'dir.sarif')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no\/such\/dir\.sarif: cannot write the output: the directory .* does not exist/);
  });
});

describe('SARIF 2.1.0', () => {
  const run = (): Json => sarif.runs[0];
  const result = (id: string, uri?: string): Json => run().results.find((r: Json) => r.ruleId === id && (uri === undefined || r.locations[0].physicalLocation.artifactLocation.uri === uri));

  it('follows the OASIS schema', () => {
    expect(sarifSchemaErrors(sarif)).toBeNull();
  });

  it('one category per chart, so several charts of a repository keep their own alerts', () => {
    expect(run().automationDetails).toEqual({ id: 'chartaudit/storefront/' });
  });

  it('one rule per vulnerability id, each result pointing at its rule', () => {
    const rules = run().tool.driver.rules as Json[];
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(new Set(vulnResults(sarif).map((r) => r.ruleId))).toEqual(new Set(report.findings.map((f) => f.id)));
    const posture = postureFindingsOf(report);
    expect(new Set(rules.map((r) => r.id))).toEqual(new Set([...report.findings.map((f) => f.id), ...posture.map((p) => p.check)]));
    for (const r of run().results as Json[]) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
    for (const r of rules) expect(r.properties.tags).toContain('security');
  });

  it.each([
    ['CRITICAL', 'error'], ['HIGH', 'error'], ['MEDIUM', 'warning'], ['UNKNOWN', 'note'],
  ])('severity %s is level %s', (severity, level) => {
    const f = report.findings.find((x) => x.severity === severity);
    expect(f, `the demo has a ${severity} finding`).toBeDefined();
    expect(result(f!.id).level).toBe(level);
  });

  it('security-severity is the CVSS base score, as GitHub ranks it', () => {
    const f = report.findings.find((x) => x.cvss !== null)!;
    const rule = run().tool.driver.rules.find((r: Json) => r.id === f.id);
    expect(Number(rule.properties['security-severity'])).toBeGreaterThanOrEqual(report.findings.filter((x) => x.id === f.id).reduce((m, x) => Math.max(m, x.cvss?.score ?? 0), 0));
  });

  it('results lie in the template that sets the image, from the chart root (subcharts under their name, not alias)', () => {
    const redis = report.findings.find((f) => f.image.includes('bitnami/redis'))!;
    expect(result(redis.id, 'charts/redis/templates/statefulset.yaml')).toBeDefined();
    const web = report.findings.find((f) => f.image.includes('acme/storefront'))!;
    expect(result(web.id, 'templates/deployment.yaml')).toBeDefined();
    for (const r of run().results as Json[]) expect(r.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('CHARTROOT');
  });

  it('mitigated findings are accepted suppressions with the note; open ones have none', () => {
    const mitigated = report.findings.filter((f) => f.state === 'mitigated');
    expect(mitigated.length).toBe(2);
    for (const f of mitigated) {
      const r = (run().results as Json[]).find((x) => x.ruleId === f.id && x.properties.image === f.image)!;
      expect(r.suppressions).toEqual([expect.objectContaining({ kind: 'external', status: 'accepted', justification: expect.stringContaining(quoted(f.mitigation!.note!)) })]);
    }
    for (const r of (run().results as Json[]).filter((x) => x.properties.state === 'open')) expect(r.suppressions).toBeUndefined();
  });

  it('partialFingerprints are stable across runs and distinct per finding', async () => {
    const again = await runCli([...demoScan, '--format', 'sarif']);
    expect(JSON.parse(again.stdout).runs[0].results.map((r: Json) => r.partialFingerprints)).toEqual(run().results.map((r: Json) => r.partialFingerprints));
    const prints = (run().results as Json[]).map((r) => r.partialFingerprints['chartaudit/v1']);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('a fingerprint leaves out the image tag: an upgrade that keeps the vulnerability keeps the alert', () => {
    const upgraded = JSON.parse(JSON.stringify(report)) as ScanReport;
    for (const list of [upgraded.images, upgraded.findings]) for (const x of list as Json[]) {
      if (typeof x.ref === 'string') { x.ref = x.ref.replace('7.4.1-debian-12-r2', '7.4.9-debian-12-r0'); x.tag = '7.4.9-debian-12-r0'; }
      if (typeof x.image === 'string') x.image = x.image.replace('7.4.1-debian-12-r2', '7.4.9-debian-12-r0');
    }
    const before = (renderSarif(report).runs as Json[])[0]!.results as Json[];
    const after = (renderSarif(upgraded).runs as Json[])[0]!.results as Json[];
    expect(after.map((r) => r.partialFingerprints)).toEqual(before.map((r) => r.partialFingerprints));
  });

  it('posture findings, when the scan carries them, are rules and results of their own', () => {
    const posture: ReportPostureFinding[] = [{
      check: 'pss.restricted.runAsNonRoot', title: 'Running as non-root', severity: 'MEDIUM', resource: { kind: 'StatefulSet', name: 'release-name-queue-master' },
      container: 'redis', chart: 'storefront/charts/queue', template: 'templates/statefulset.yaml', message: 'pod or container "redis" must set securityContext.runAsNonRoot=true',
      fields: ['spec.template.spec.containers[0].securityContext.runAsNonRoot'], fix: 'set runAsNonRoot: true', customResource: false, valuesKey: null,
    }];
    const mitigatedPosture = { ...posture[0]!, check: 'pss.baseline.hostPath', state: 'mitigated', mitigation: { source: 'storefront/security-mitigation.yaml', trusted: true, status: null, justification: null, note: 'the volume is read-only' } };
    const sup = ((renderSarif({ ...report, posture: { findings: [mitigatedPosture] } } as unknown as ScanReport).runs as Json[])[0]!.results as Json[]).find((x) => x.ruleId === 'pss.baseline.hostPath')!;
    expect(renderMarkdown({ ...report, posture: { findings: [...posture, mitigatedPosture] } } as unknown as ScanReport)).toMatch(/\*\*Posture:\*\* 2 findings \(2 medium\), 1 mitigated/);
    expect(sup.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'the volume is read-only; from storefront/security-mitigation.yaml' }]);
    for (const shape of [{ findings: posture }, posture]) {
      const doc = renderSarif({ ...report, posture: shape } as unknown as ScanReport);
      expect(sarifSchemaErrors(doc)).toBeNull();
      const run0 = (doc.runs as Json[])[0]!;
      const r = (run0.results as Json[]).find((x) => x.ruleId === 'pss.restricted.runAsNonRoot')!;
      expect(r.level).toBe('warning');
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('charts/redis/templates/statefulset.yaml');
      expect(run0.tool.driver.rules[r.ruleIndex]!.id).toBe('pss.restricted.runAsNonRoot');
      expect(renderMarkdown({ ...report, posture: shape } as unknown as ScanReport)).toMatch(/\*\*Posture:\*\* 1 finding \(1 medium\)/);
    }
  });

  it('a chart directory: every result names a template file that exists there', async () => {
    // The demo chart unpacked as a repository keeps it: subcharts as directories under charts/<name>/.
    const repo = mkdtempSync(join(out, 'sarif-dir-'));
    execFileSync('tar', ['-xzf', join(demo, 'storefront-5.0.1.tgz'), '-C', repo]);
    const charts = join(repo, 'storefront', 'charts');
    for (const tgz of readdirSync(charts)) {
      execFileSync('tar', ['-xzf', join(charts, tgz), '-C', charts]);
      rmSync(join(charts, tgz));
    }
    const r = await runCli([...demoScan.slice(0, 1), join(repo, 'storefront'), ...demoScan.slice(2), '--format', 'sarif']);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout).runs[0].results as Json[];
    expect(results.length).toBeGreaterThan(3);
    for (const x of results) {
      const uri = x.locations[0].physicalLocation.artifactLocation.uri as string;
      expect(uri).toMatch(/^file:\/\//);
      expect(existsSync(fileURLToPath(uri)), uri).toBe(true);
    }
    expect(results.some((x) => x.locations[0].physicalLocation.artifactLocation.uri.endsWith('/storefront/charts/redis/templates/statefulset.yaml'))).toBe(true);
  });

  it.each([
    ['the working directory itself', '.', '.'],
    ['a directory below it', 'charts/web', 'charts/web'],
    ['a directory below it, named with ./', './charts/web/', 'charts/web'],
    ['a directory outside it', '../elsewhere', 'file://'],
    ['an archive', 'charts/web.tgz', undefined],
    ['a repository reference', 'bitnami/redis', undefined],
  ])('chartRootForSarif: %s', (_name, chart, expected) => {
    const cwd = mkdtempSync(join(out, 'root-'));
    mkdirSync(join(cwd, 'work', 'charts', 'web'), { recursive: true });
    mkdirSync(join(cwd, 'elsewhere'), { recursive: true });
    const here = join(cwd, 'work');
    const got = chartRootForSarif(chart, here);
    expect(got).toBe(expected === 'file://' ? `file://${join(cwd, 'elsewhere')}` : expected);
    // the same directory named by its absolute path
    if (expected !== undefined) expect(chartRootForSarif(join(here, chart), here)).toBe(got);
  });

  it('paths from the working directory when the chart directory is below it', () => {
    const doc = renderSarif(report, { chartRoot: 'deploy/storefront' });
    expect(sarifSchemaErrors(doc)).toBeNull();
    const uris = ((doc.runs as Json[])[0]!.results as Json[]).map((x) => x.locations[0].physicalLocation.artifactLocation);
    expect(uris).toContainEqual({ uri: 'deploy/storefront/charts/redis/templates/statefulset.yaml', uriBaseId: '%SRCROOT%' });
    expect(uris).toContainEqual({ uri: 'deploy/storefront/templates/deployment.yaml', uriBaseId: '%SRCROOT%' });
  });

  it('a finding whose image no template sets is located at the chart file', () => {
    const lone = { ...report, images: [], customResourceImages: [] } as ScanReport;
    const doc = renderSarif(lone, { chartFile: './charts/storefront-5.0.1.tgz' });
    expect(sarifSchemaErrors(doc)).toBeNull();
    for (const r of vulnResults(doc)) expect(r.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'charts/storefront-5.0.1.tgz', uriBaseId: '%SRCROOT%' });
    const absolute = renderSarif(lone, { chartFile: '/srv/charts/store front.tgz' });
    expect(vulnResults(absolute)[0]!.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///srv/charts/store%20front.tgz' });
  });
});

describe('CycloneDX 1.6', () => {
  const components = (): Json[] => bom.components as Json[];
  const all = (): Json[] => components().flatMap((c) => [c, ...((c.components as Json[] | undefined) ?? [])]);

  it('follows the CycloneDX schema (bom-1.6 with its SPDX and JSF schemas)', () => {
    expect(cycloneDxSchemaErrors(bom)).toBeNull();
    expect(bom.specVersion).toBe('1.6');
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('the chart and its subcharts are applications with pkg:helm purls', () => {
    expect(bom.metadata.component).toMatchObject({ type: 'application', name: 'storefront', version: '5.0.1', purl: 'pkg:helm/storefront@5.0.1' });
    expect(bom.metadata.component.hashes[0]).toEqual({ alg: 'SHA-256', content: report.chart.digest!.slice(7) });
    const subcharts = components().filter((c) => c.type === 'application');
    expect(subcharts.map((c) => c.purl).sort()).toEqual(['pkg:helm/postgresql@16.0.0', 'pkg:helm/redis@20.1.3', 'pkg:helm/redis@20.1.3']);
  });

  it('images are containers with their digest and the packages read from them', () => {
    const containers = components().filter((c) => c.type === 'container');
    expect(containers).toHaveLength(report.images.length);
    for (const c of containers) {
      const image = report.images.find((i) => i.ref === c['bom-ref'])!;
      expect(c.hashes).toEqual([{ alg: 'SHA-256', content: image.contents!.digest.slice(7) }]);
      expect(c.purl).toContain(`@${encodeURIComponent(image.contents!.digest)}`);
      const purls = new Set(image.contents!.packages.map((p) => p.purl).filter(Boolean));
      expect(purls.size).toBeGreaterThan(0);
      for (const p of purls) expect((c.components as Json[]).some((x) => x.purl === p)).toBe(true);
    }
  });

  it('dependencies: chart → subcharts and the images they deploy → packages; every ref exists', () => {
    const refs = new Set(all().map((c) => c['bom-ref']).concat(bom.metadata.component['bom-ref']));
    for (const d of bom.dependencies as Json[]) {
      expect(refs.has(d.ref)).toBe(true);
      for (const on of d.dependsOn ?? []) expect(refs.has(on)).toBe(true);
    }
    const of = (ref: string): string[] => (bom.dependencies as Json[]).find((d) => d.ref === ref)?.dependsOn ?? [];
    expect(of('storefront')).toEqual(expect.arrayContaining(['storefront/charts/queue', 'storefront/charts/postgresql', 'docker.io/acme/storefront:9.2.0']));
    expect(of('storefront/charts/queue')).toEqual(['docker.io/bitnami/redis:7.4.1-debian-12-r2']);
    expect(of('docker.io/bitnami/redis:7.4.1-debian-12-r2').length).toBeGreaterThan(10);
  });

  it('vulnerabilities affect the package components; analysis carries the mitigation (VEX)', () => {
    const refs = new Set(all().map((c) => c['bom-ref']));
    for (const v of bom.vulnerabilities as Json[]) for (const a of v.affects) expect(refs.has(a.ref)).toBe(true);
    const byId = (id: string): Json[] => (bom.vulnerabilities as Json[]).filter((v) => v.id === id);
    for (const f of report.findings.filter((x) => x.state === 'mitigated')) {
      expect(byId(f.id)[0]!.analysis).toMatchObject({ state: 'not_affected', justification: 'protected_by_mitigating_control', detail: expect.stringContaining(quoted(f.mitigation!.note!)) });
    }
    const annotated = report.findings.find((f) => f.state === 'open' && f.mitigation?.status === 'under_investigation')!;
    expect(byId(annotated.id)[0]!.analysis.state).toBe('in_triage');
    const bare = report.findings.find((f) => f.mitigation === null)!;
    expect(byId(bare.id)[0]!.analysis).toBeUndefined();
  });

  it('our own reader takes the BOM back as VEX: the mitigated findings come back not_affected', () => {
    const { statements } = readCycloneDx(JSON.stringify(bom), 'bom.json', { trusted: true });
    for (const f of report.findings.filter((x) => x.state === 'mitigated')) {
      expect(statements.find((s) => s.vulnerability === f.id)).toMatchObject({ status: 'not_affected', scope: { kind: 'purl', purl: f.package.purl } });
    }
  });

  it('the same scan gives the same BOM, byte for byte', () => {
    expect(JSON.stringify(renderCycloneDx(report))).toBe(JSON.stringify(bom));
  });

  it('an image whose contents were not read is still a container, with the finding\'s package', () => {
    const skipped = JSON.parse(JSON.stringify(report)) as ScanReport;
    for (const i of skipped.images) i.contents = null;
    const doc = renderCycloneDx(skipped);
    expect(cycloneDxSchemaErrors(doc)).toBeNull();
    const redis = (doc.components as Json[]).find((c) => c['bom-ref'] === 'docker.io/bitnami/redis:7.4.1-debian-12-r2')!;
    expect(redis.hashes).toBeUndefined();
    expect((redis.components as Json[]).map((c) => c.purl)).toContain('pkg:bitnami/redis@7.4.1-0?arch=amd64&distro=debian-12');
  });
});

describe('Markdown summary', () => {
  it('verdict, provenance, counts by severity, the open findings and the mitigated ones', () => {
    expect(markdown).toMatch(/^### chartaudit: storefront 5\.0\.1: ✅ passed$/m);
    expect(markdown).toMatch(/\*\*Provenance:\*\* verified, signed by Storefront Demo Signer/);
    const open = report.findings.filter((f) => f.state === 'open').length;
    expect(markdown).toMatch(new RegExp(`^\\| open \\|.* \\| ${open} \\|$`, 'm'));
    expect(markdown).toMatch(/^\| mitigated \|.* \| 2 \|$/m);
    expect(markdown).toMatch(/<details><summary>Mitigated \(2\)<\/summary>/);
    expect(markdown).toMatch(/^> ⚠️ the vulnerability data is \d+ days old/m);
  });

  it('what was not examined is listed, ten at most', () => {
    const gaps = Array.from({ length: 12 }, (_, i) => ({ scope: `docker.io/x/img${i}:1`, reason: 'the registry did not answer' }));
    const md = renderMarkdown({ ...report, gaps });
    expect(md).toMatch(/\*\*Not examined\*\* \(12\)\n\n- docker.io\/x\/img0:1: the registry did not answer/);
    expect(md).toMatch(/^- … and 2 more$/m);
  });

  it('at most ten findings listed, the most severe first', () => {
    const rows = markdown.split('\n').filter((l) => /^\| (CRITICAL|HIGH|MEDIUM|LOW|NONE|UNKNOWN) \|/.test(l));
    expect(rows.length).toBe(Math.min(10, report.findings.filter((f) => f.state === 'open').length));
    expect(rows[0]).toMatch(/^\| CRITICAL/);
  });

  it('text from the chart cannot break the table or inject markup', () => {
    const hostile = JSON.parse(JSON.stringify(report)) as ScanReport;
    hostile.findings[0]!.state = 'open';
    hostile.findings[0]!.id = 'CVE-1|<img src=x>';
    hostile.findings[0]!.package.name = 'a|b\nc @octocat';
    const md = renderMarkdown(hostile);
    const row = md.split('\n').find((l) => l.includes('CVE-1'))!;
    expect(row).toContain('CVE-1\\|\\<img src=x\\>');
    expect(row.split(/(?<!\\)\|/).length).toBe(7);
    expect(row).toContain('a\\|b c \\@octocat');
  });

  it('a big scan still fits a pull-request comment (65,536 characters)', () => {
    const f = report.findings.find((x) => x.state === 'mitigated')!;
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...f, id: `CVE-2024-${i}`, state: (i % 2 ? 'open' : 'mitigated') as 'open' | 'mitigated', mitigation: { ...f.mitigation!, note: 'x'.repeat(5000) } }));
    const gaps = Array.from({ length: 500 }, (_, i) => ({ scope: `img${i}`, reason: 'not read' }));
    const md = renderMarkdown({ ...report, findings: many, gaps, warnings: Array.from({ length: 500 }, () => 'w'.repeat(200)) });
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/^- … and 2480 more$/m);
  });

  it('a failed verdict lists its reasons', () => {
    const failed = { ...report, verdict: { failed: true, reasons: ['2 open findings of severity HIGH or higher (--fail-on high)'] } };
    expect(renderMarkdown(failed)).toMatch(/: ❌ failed\n\n- 2 open findings of severity HIGH or higher/);
  });
});

describe('templatePathInChart', () => {
  const charts = [
    { path: 'top', name: 'top' }, { path: 'top/charts/queue', name: 'redis' }, { path: 'top/charts/queue/charts/common', name: 'common' },
  ] as ScanReport['charts'];
  it.each([
    ['top', 'templates/a.yaml', 'templates/a.yaml'],
    ['top/charts/queue', 'templates/s.yaml', 'charts/redis/templates/s.yaml'],
    ['top/charts/queue/charts/common', 'templates/c.yaml', 'charts/redis/charts/common/templates/c.yaml'],
    ['top/charts/unknown', 'templates/u.yaml', 'charts/unknown/templates/u.yaml'],
  ])('%s + %s → %s', (instance, template, expected) => {
    expect(templatePathInChart(instance, template, charts)).toBe(expected);
  });
});

describe('the schemas catch what they should (the validation is real)', () => {
  it.each([
    ['SARIF without a tool name', 'sarif', { version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] }, /missing property 'name'/],
    ['SARIF with a bad level', 'sarif', { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'fatal', message: { text: 'm' } }] }] }, /level.*one of/],
    ['CycloneDX with an unknown component type', 'cyclonedx', { bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'chart', name: 'x' }] }, /type.*one of/],
    ['CycloneDX with a licence id SPDX does not know (the SPDX schema is wired in)', 'cyclonedx', { bomFormat: 'CycloneDX', specVersion: '1.6', components: [{ type: 'library', name: 'x', licenses: [{ license: { id: 'No-Such-Licence' } }] }] }, /licenses/],
    ['CycloneDX with a bad analysis state', 'cyclonedx', { bomFormat: 'CycloneDX', specVersion: '1.6', vulnerabilities: [{ id: 'CVE-1', analysis: { state: 'fine' } }] }, /state.*one of/],
  ])('%s', (_name, format, doc, message) => {
    expect(() => assertValidExport(JSON.stringify(doc), format as 'sarif' | 'cyclonedx')).toThrow(message);
  });
});

describe('mitigations --format cyclonedx', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    const chart = readFileSync(join(demo, 'storefront-5.0.1.tgz'));
    const index = stringify({ apiVersion: 'v1', entries: { storefront: [{ name: 'storefront', version: '5.0.1', digest: createHash('sha256').update(chart).digest('hex'), urls: ['charts/storefront-5.0.1.tgz'] }] } });
    server = createServer((req, res) => {
      const body = req.url === '/index.yaml' ? index : req.url === '/charts/storefront-5.0.1.tgz' ? chart : null;
      if (body === null) res.writeHead(404).end('not found');
      else res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('exports the notes as CycloneDX VEX that follows the schema and reads back as the same statements', async () => {
    const r = await runCli(['mitigations', 'storefront', '--repo', url, '--format', 'cyclonedx']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    assertValidExport(r.stdout, 'cyclonedx');
    const doc = JSON.parse(r.stdout) as Json;
    expect(doc.metadata.component.purl).toBe('pkg:helm/storefront@5.0.1');
    const json = JSON.parse((await runCli(['mitigations', 'storefront', '--repo', url, '--format', 'json'])).stdout) as Json;
    expect((doc.vulnerabilities as Json[]).map((v) => v.id)).toEqual((json.statements as Json[]).map((s) => s.vulnerability));
    for (const v of doc.vulnerabilities as Json[]) {
      expect(v.analysis.state).toBe('in_triage');
      expect(v.analysis.detail).toMatch(/from storefront\/.*security-mitigation\.yaml \(a ChartCenter note without status/);
    }
    const back = readCycloneDx(r.stdout, 'vex.json', { trusted: true });
    expect(back.statements.map((s) => [s.vulnerability, s.status])).toEqual((json.statements as Json[]).map((s) => [s.vulnerability, 'under_investigation']));
  });
});
