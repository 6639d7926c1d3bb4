import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Chart, ChartNode } from '../model/chart.js';
import type { Finding } from '../model/advisory.js';
import { applyStatements, collectChartNotes, readIgnoreFile, readVexFile, type Statement } from './index.js';

const fx = (n: string) => readFileSync(new URL(`../../fixtures/mitigations/${n}`, import.meta.url));

function chart(name: string, version: string, files: Record<string, string> = {}): Chart {
  return {
    metadata: { apiVersion: 'v2', name, version },
    rawMetadata: Buffer.from(''),
    values: {},
    templates: [],
    files: Object.entries(files).map(([n, d]) => ({ name: n, data: Buffer.from(d) })),
    dependencies: [],
    origin: [],
    warnings: [],
  };
}

function node(path: string, c: Chart, children: ChartNode[] = [], alias: string | null = null): ChartNode {
  return { path, name: c.metadata.name, alias, version: c.metadata.version, appVersion: null, enabled: true, reason: null, declared: true, constraint: null, constraintSatisfied: null, chart: c, children };
}

const STOREFRONT_NOTES = `schemaVersion: v1
summary: Storefront notes.
mitigations:
  - cves: [BIT-redis-2024-0001]
    affectedPackageUri: docker://docker.io/bitnami/redis
    affectedVersions: ">= 7.4.0, < 7.5.0"
    description: Lua is disabled by the chart.
  - cves: [CVE-2024-0009]
    affectedPackageUri: helm://bitnami/postgresql
    affectedVersions: ^15.0.0
    description: The chart runs postgres without trust auth.
  - cves: [CVE-2024-0002]
    affectedPackageUri: docker://bitnami/redis
    affectedVersions: < 7.0.0
    description: Only old images.
  - cves: [CVE-2024-0003]
    affectedPackageUri: helm://acme/storefront
    affectedVersions: "> 6"
    description: Only future chart versions.
  - cves: [CVE-2099-0001]
    affectedPackageUri: helm://acme/storefront
    description: Nothing has this.
`;
const QUEUE_NOTES = `schemaVersion: v1
mitigations:
  - cves: [CVE-2024-0002]
    description: Covered by the queue chart's NetworkPolicy.
`;

function tree(): ChartNode {
  const redis = chart('redis', '20.1.3', { 'security-mitigation.yaml': QUEUE_NOTES });
  return node('storefront', chart('storefront', '5.0.1', { 'security-mitigation.yaml': STOREFRONT_NOTES, 'README.md': '' }), [
    node('storefront/charts/queue', redis, [], 'queue'),
    node('storefront/charts/cache', redis, [], 'cache'),
    node('storefront/charts/postgresql', chart('postgresql', '15.5.0')),
  ]);
}

const REDIS = 'docker.io/bitnami/redis:7.4.1-debian-12-r2';
const PG = 'docker.io/bitnami/postgresql:16.4.0-debian-12-r0';
const APP = 'docker.io/acme/storefront:9.2.0';
const images = [
  { ref: REDIS, sources: [{ chart: 'storefront/charts/queue' }] },
  { ref: 'bitnami/redis:7.4.1-debian-12-r2', sources: [{ chart: 'storefront/charts/cache' }] },
  { ref: PG, sources: [{ chart: 'storefront/charts/postgresql' }] },
  { ref: APP, sources: [{ chart: 'storefront' }] },
];

function finding(id: string, aliases: string[], image: string, pkg: string, version: string): Finding {
  return {
    id, aliases, summary: null, severity: 'HIGH', cvss: null, image,
    package: { ecosystem: 'Bitnami', name: pkg, version }, fixed: [], status: 'affected', reason: null, state: 'open', mitigation: null,
  };
}

const findings = (): Finding[] => [
  finding('CVE-2024-0001', ['BIT-redis-2024-0001'], REDIS, 'redis', '7.4.1'),
  finding('CVE-2024-0002', [], REDIS, 'redis', '7.4.1'),
  finding('CVE-2024-0009', ['BIT-postgresql-2024-0009'], PG, 'postgresql', '16.4.0'),
  finding('CVE-2024-0003', [], APP, 'storefront', '9.2.0'),
];

const now = new Date('2025-01-15T00:00:00Z');
const stateOf = (fs: Finding[]) => Object.fromEntries(fs.map((f) => [f.id, [f.state, f.mitigation?.source ?? null, f.mitigation?.trusted ?? null]]));

describe('chart notes: the trust matrix', () => {
  it('collects the notes of the chart and each subchart once', () => {
    const notes = collectChartNotes(tree(), true);
    expect(notes.warnings).toEqual([]);
    expect(notes.documents.map((d) => d.source)).toEqual(['storefront/security-mitigation.yaml', 'storefront/charts/queue/security-mitigation.yaml']);
    expect(notes.statements).toHaveLength(6);
    expect(notes.statements[5]!.scope).toEqual({ kind: 'helm', chart: 'redis' });
  });

  it('a verified chart: notes mitigate (alias, docker:// and helm:// with constraints that apply)', () => {
    const t = tree();
    const notes = collectChartNotes(t, true);
    const r = applyStatements(findings(), notes.statements, { chartTree: t, now, images });
    expect(stateOf(r.findings)).toEqual({
      'CVE-2024-0001': ['mitigated', 'storefront/security-mitigation.yaml', true], // note says BIT-…, finding is CVE-…; 7.4.1 in >= 7.4.0, < 7.5.0
      'CVE-2024-0002': ['mitigated', 'storefront/charts/queue/security-mitigation.yaml', true], // the queue chart's own note; the docker one (< 7.0.0) does not apply
      'CVE-2024-0009': ['mitigated', 'storefront/security-mitigation.yaml', true], // helm://bitnami/postgresql ^15.0.0 vs chart 15.5.0 (image 16.4.0 irrelevant)
      'CVE-2024-0003': ['open', null, null], // helm://acme/storefront > 6 vs chart 5.0.1
    });
    expect(r.findings[0]!.mitigation).toEqual({ source: 'storefront/security-mitigation.yaml', trusted: true, status: null, justification: null, note: 'Lua is disabled by the chart.' });
    expect(r.unused.map((s) => s.vulnerability)).toEqual(['CVE-2024-0002', 'CVE-2024-0003', 'CVE-2099-0001']);
    expect(r.expired).toEqual([]);
  });

  it('the same notes in an unverified chart only annotate', () => {
    const t = tree();
    const r = applyStatements(findings(), collectChartNotes(t, false).statements, { chartTree: t, now, images });
    expect(stateOf(r.findings)).toEqual({
      'CVE-2024-0001': ['open', 'storefront/security-mitigation.yaml', false],
      'CVE-2024-0002': ['open', 'storefront/charts/queue/security-mitigation.yaml', false],
      'CVE-2024-0009': ['open', 'storefront/security-mitigation.yaml', false],
      'CVE-2024-0003': ['open', null, null],
    });
    expect(r.findings[2]!.mitigation?.note).toBe('The chart runs postgres without trust auth.');
  });

  it('does not mutate the input findings', () => {
    const t = tree();
    const input = findings();
    applyStatements(input, collectChartNotes(t, true).statements, { chartTree: t, now, images });
    expect(input.every((f) => f.state === 'open' && f.mitigation === null)).toBe(true);
  });

  it('a subchart scope needs the image sources; a scope on the top chart covers everything', () => {
    const t = tree();
    const r = applyStatements(findings(), collectChartNotes(t, true).statements, { chartTree: t, now });
    expect(r.findings.map((f) => f.state)).toEqual(['mitigated', 'open', 'open', 'open']);
  });

  it('a notes file that cannot be read is a warning, not a failure', () => {
    const t = node('bad', chart('bad', '1.0.0', { 'security-mitigation.yaml': 'mitigations: [\n' }));
    const notes = collectChartNotes(t, true);
    expect(notes.statements).toEqual([]);
    expect(notes.warnings).toEqual([expect.stringMatching(/^bad\/security-mitigation.yaml: not a valid security-mitigation.yaml: .*\(notes ignored\)$/)]);
  });
});

describe('scopes with constraints', () => {
  const st = (scope: Statement['scope'], extra: Partial<Statement> = {}): Statement => ({
    vulnerability: 'CVE-2024-0001', aliases: [], scope, status: null, justification: null, note: 'n', source: 'u', trusted: true, expires: null, format: 'chartcenter', ...extra,
  });
  const run = (s: Statement, f = findings()[0]!) => applyStatements([f], [s], { chartTree: tree(), now, images }).findings[0]!.state;

  it.each([
    ['docker, no constraint', { kind: 'docker', registry: 'docker.io', repository: 'bitnami/redis' }, 'mitigated'],
    ['docker, tag version in range', { kind: 'docker', registry: 'docker.io', repository: 'bitnami/redis', versionConstraint: '~7.4' }, 'mitigated'],
    ['docker, tag version out of range', { kind: 'docker', registry: 'docker.io', repository: 'bitnami/redis', versionConstraint: '>= 7.4.2' }, 'open'],
    ['docker, other repository', { kind: 'docker', registry: 'docker.io', repository: 'bitnami/valkey' }, 'open'],
    ['docker, other registry', { kind: 'docker', registry: 'quay.io', repository: 'bitnami/redis' }, 'open'],
    ['docker, invalid constraint', { kind: 'docker', registry: 'docker.io', repository: 'bitnami/redis', versionConstraint: 'foo' }, 'open'],
    ['helm subchart by name, chart version in range', { kind: 'helm', chart: 'redis', namespace: 'bitnami', versionConstraint: '20.x' }, 'mitigated'],
    ['helm subchart by name, chart version out of range', { kind: 'helm', chart: 'redis', versionConstraint: '< 20' }, 'open'],
    ['helm top chart covers subcharts', { kind: 'helm', chart: 'storefront', versionConstraint: '<= 5.0.1' }, 'mitigated'],
    ['helm sibling chart', { kind: 'helm', chart: 'postgresql' }, 'open'],
    ['helm unknown chart', { kind: 'helm', chart: 'nginx' }, 'open'],
    ['purl bitnami package with version', { kind: 'purl', purl: 'pkg:bitnami/redis@7.4.1' }, 'mitigated'],
    ['purl bitnami package, other version', { kind: 'purl', purl: 'pkg:bitnami/redis@7.4.2' }, 'open'],
    ['purl bitnami package without version', { kind: 'purl', purl: 'pkg:bitnami/redis' }, 'mitigated'],
    ['purl deb package (other ecosystem)', { kind: 'purl', purl: 'pkg:deb/debian/redis@7.4.1' }, 'open'],
    ['purl oci by repository_url', { kind: 'purl', purl: 'pkg:oci/redis?repository_url=index.docker.io/bitnami/redis' }, 'mitigated'],
    ['purl oci with the tag', { kind: 'purl', purl: 'pkg:oci/redis?repository_url=docker.io/bitnami/redis&tag=7.4.1-debian-12-r2' }, 'mitigated'],
    ['purl oci with another tag', { kind: 'purl', purl: 'pkg:oci/redis?repository_url=docker.io/bitnami/redis&tag=7.4.0' }, 'open'],
    ['purl oci pinned to a digest the image lacks', { kind: 'purl', purl: 'pkg:oci/redis@sha256%3Aabc?repository_url=docker.io/bitnami/redis' }, 'open'],
    ['purl helm chart with version', { kind: 'purl', purl: 'pkg:helm/bitnami/redis@20.1.3' }, 'mitigated'],
    ['purl helm chart, other version', { kind: 'purl', purl: 'pkg:helm/bitnami/redis@20.1.2' }, 'open'],
  ] as [string, Statement['scope'], string][])('%s → %s', (_t, scope, want) => {
    expect(run(st(scope))).toBe(want);
  });

  it.each([
    ['image filter without tag', { image: 'bitnami/redis' }, 'mitigated'],
    ['image filter with the tag', { image: 'redis'.replace('redis', 'bitnami/redis:7.4.1-debian-12-r2') }, 'mitigated'],
    ['image filter with another tag', { image: 'bitnami/redis:7.4.0' }, 'open'],
    ['package filter name', { package: 'redis' }, 'mitigated'],
    ['package filter name@version', { package: 'redis@7.4.0' }, 'open'],
    ['package filter purl', { package: 'pkg:bitnami/redis@7.4.1' }, 'mitigated'],
    ['subcomponent matches', { subcomponents: ['pkg:bitnami/redis'] }, 'mitigated'],
    ['subcomponent does not match', { subcomponents: ['pkg:bitnami/lua'] }, 'open'],
  ] as [string, Partial<Statement>, string][])('%s → %s', (_t, extra, want) => {
    expect(run(st({ kind: 'any' }, extra))).toBe(want);
  });

  it('matches ids in both directions and ignores case', () => {
    const f = findings()[0]!;
    expect(run(st({ kind: 'any' }, { vulnerability: 'bit-redis-2024-0001' }), f)).toBe('mitigated');
    expect(run(st({ kind: 'any' }, { vulnerability: 'GHSA-xxxx', aliases: ['CVE-2024-0001'] }), f)).toBe('mitigated');
    expect(run(st({ kind: 'any' }, { vulnerability: 'CVE-2024-9999', aliases: ['BIT-redis-2024-0002'] }), f)).toBe('open');
  });
});

describe('VEX documents and the ignore file', () => {
  it('OpenVEX: not_affected mitigates, under_investigation and affected annotate, later statements supersede', () => {
    const t = tree();
    const vex = readVexFile(fx('storefront.openvex.json'), 'storefront.openvex.json');
    const fs = [...findings(), finding('CVE-2024-0004', [], PG, 'postgresql', '16.4.0')];
    const r = applyStatements(fs, vex.statements, { chartTree: t, now, images });
    expect(r.findings.map((f) => [f.id, f.state, f.mitigation?.status ?? null])).toEqual([
      ['CVE-2024-0001', 'mitigated', 'not_affected'],
      ['CVE-2024-0002', 'open', 'under_investigation'],
      ['CVE-2024-0009', 'open', null],
      ['CVE-2024-0003', 'mitigated', 'fixed'], // the fixed statement is newer than the under_investigation one
      ['CVE-2024-0004', 'open', null], // pinned to a digest the chart's image does not have
    ]);
    expect(r.findings[0]!.mitigation).toEqual({ source: 'storefront.openvex.json', trusted: true, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', note: "The Lua scripting engine is disabled by the chart's default ACL." });
    expect(r.unused.map((s) => s.vulnerability)).toEqual(['CVE-2024-0004']);
  });

  it('OpenVEX: a later affected statement overrides an earlier not_affected of the same document', () => {
    const doc = {
      '@context': 'https://openvex.dev/ns/v0.2.0', timestamp: '2024-01-01T00:00:00Z',
      statements: [
        { vulnerability: { name: 'CVE-2024-0001' }, products: [{ '@id': 'pkg:bitnami/redis' }], status: 'not_affected', justification: 'component_not_present' },
        { vulnerability: { name: 'CVE-2024-0001' }, products: [{ '@id': 'pkg:bitnami/redis' }], status: 'affected', action_statement: 'upgrade', timestamp: '2024-02-01T00:00:00Z' },
      ],
    };
    const r = applyStatements(findings().slice(0, 1), readVexFile(JSON.stringify(doc), 'v.json').statements, { chartTree: tree(), now, images });
    expect([r.findings[0]!.state, r.findings[0]!.mitigation?.status]).toEqual(['open', 'affected']);
    expect(r.unused).toEqual([]);
  });

  it('a trusted VEX not_affected beats an untrusted note; the untrusted note alone annotates', () => {
    const t = tree();
    const notes = collectChartNotes(t, false).statements;
    const vex = readVexFile(fx('storefront.cdx.json'), 'storefront.cdx.json').statements;
    const r = applyStatements(findings(), [...notes, ...vex], { chartTree: t, now, images });
    expect(r.findings.map((f) => [f.state, f.mitigation?.source ?? null, f.mitigation?.status ?? null])).toEqual([
      ['mitigated', 'storefront.cdx.json', 'not_affected'],
      ['open', 'storefront.cdx.json', 'under_investigation'], // trusted annotation preferred over the untrusted note
      ['open', 'storefront/security-mitigation.yaml', null],
      ['open', null, null],
    ]);
  });

  it('ignore file: live entries mitigate (with aliases and package scope), expired ones are listed and do not apply', () => {
    const t = tree();
    const ign = readIgnoreFile(fx('chartaudit-ignore.yaml'), '.chartaudit-ignore.yaml').statements;
    const fs = [...findings(), finding('CVE-2020-0001', [], APP, 'storefront', '9.2.0')];
    const r = applyStatements(fs, ign, { chartTree: t, now, images });
    expect(r.findings.map((f) => [f.id, f.state])).toEqual([
      ['CVE-2024-0001', 'mitigated'],
      ['CVE-2024-0002', 'open'],
      ['CVE-2024-0009', 'mitigated'], // entry says BIT-postgresql-2024-0009
      ['CVE-2024-0003', 'open'],
      ['CVE-2020-0001', 'open'],
    ]);
    expect(r.findings[0]!.mitigation).toEqual({ source: '.chartaudit-ignore.yaml', trusted: true, status: null, justification: null, note: 'Accepted by the platform team, ticket SEC-42.' });
    expect(r.expired.map((s) => s.vulnerability)).toEqual(['CVE-2020-0001']);
    expect(r.unused).toEqual([]);
    // on the expiry instant itself the entry still applies; one millisecond later it does not
    const exp = ign[2]!.expires!;
    expect(applyStatements(fs, ign, { chartTree: t, now: exp, images }).findings[4]!.state).toBe('mitigated');
    expect(applyStatements(fs, ign, { chartTree: t, now: new Date(exp.getTime() + 1), images }).expired).toHaveLength(1);
  });
});

describe('purl scopes for packages read from images (issue 11)', () => {
  const f = (ecosystem: string, name: string, version: string, extra: Partial<Finding['package']> = {}): Finding => ({
    id: 'CVE-2024-9143', aliases: [], summary: null, severity: 'LOW', cvss: null, image: 'docker.io/acme/app:1.0',
    package: { ecosystem, name, version, ...extra }, fixed: [], status: 'affected', reason: null, state: 'open', mitigation: null,
  });
  const vex = (purl: string): Statement => ({
    vulnerability: 'CVE-2024-9143', aliases: [], scope: { kind: 'purl', purl }, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path',
    note: null, source: 'vex.json', trusted: true, expires: null, format: 'openvex',
  });
  const debian = f('Debian:12', 'openssl', '3.0.14-1~deb12u2', { binaries: ['libssl3', 'openssl'] });
  it.each([
    ['the source package', debian, 'pkg:deb/debian/openssl', true],
    ['a binary package built from it', debian, 'pkg:deb/debian/libssl3@3.0.14-1~deb12u2?arch=amd64', true],
    ['another binary', debian, 'pkg:deb/debian/libcrypt1', false],
    ['another version', debian, 'pkg:deb/debian/openssl@3.0.15-1~deb12u1', false],
    ['a Go module by its whole path', f('Go', 'golang.org/x/net', 'v0.17.0'), 'pkg:golang/golang.org/x/net@v0.17.0', true],
    ['Go stdlib with the v Trivy writes', f('Go', 'stdlib', '1.22.3'), 'pkg:golang/stdlib@v1.22.3', true],
    ['a Maven group:artifact', f('Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'), 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', true],
    ['a scoped npm package', f('npm', '@babel/traverse', '7.22.0'), 'pkg:npm/%40babel/traverse@7.22.0', true],
    ['a Bitnami version without the SBOM revision', f('Bitnami', 'postgresql', '17.0.0-2'), 'pkg:bitnami/postgresql@17.0.0', true],
    ['a purl of another type', f('npm', 'lodash', '4.17.20'), 'pkg:pypi/lodash@4.17.20', false],
  ])('%s', (_n, finding, purl, mitigated) => {
    const r = applyStatements([finding], [vex(purl)], { chartTree: tree(), now: new Date('2026-12-01') });
    expect(r.findings[0]!.state).toBe(mitigated ? 'mitigated' : 'open');
  });
});
