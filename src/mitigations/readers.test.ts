import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { InputError } from '../model/errors.js';
import { readChartCenter, quoteAffectedVersions } from './chartcenter.js';
import { readIgnoreFile, readVexFile, toOpenVex } from './index.js';

const fx = (n: string) => readFileSync(new URL(`../../fixtures/mitigations/${n}`, import.meta.url));

describe('ChartCenter security-mitigation.yaml', () => {
  it('reads the spec example: one statement per CVE, helm and docker scopes, no status', () => {
    const r = readChartCenter(fx('sample-chart-security-mitigation.yaml'), 'sample/security-mitigation.yaml', { trusted: true, chart: 'security-sample-chart' });
    expect(r.warnings).toEqual([]);
    expect(r.statements.map((s) => [s.vulnerability, s.scope, s.status, s.trusted])).toEqual([
      ['CVE-2019-1010022', { kind: 'helm', chart: 'security-sample-chart', namespace: 'rimusz', versionConstraint: '<= 0.1.5' }, null, true],
      ['CVE-2019-11888', { kind: 'docker', registry: 'docker.io', repository: 'rimusz/security-sample-app', versionConstraint: '<= 0.1.1' }, null, true],
    ]);
    expect(r.statements[1]!.note).toMatch(/Windows/);
    expect(r.statements[0]!.source).toBe('sample/security-mitigation.yaml');
    expect(r.summary).toMatch(/^Security mitigation information/);
  });

  it('reads the artifactory-ha quirk: unquoted affectedVersions: > 3.1.0, with a warning', () => {
    const r = readChartCenter(fx('artifactory-ha-security-mitigation.yaml'), 'a/security-mitigation.yaml', { trusted: false });
    expect(r.statements).toHaveLength(3);
    expect(r.statements[0]!.scope).toEqual({ kind: 'helm', chart: 'artifactory-ha', namespace: 'jfrog', versionConstraint: '> 3.1.0' });
    expect(r.statements[1]!.vulnerability).toBe('CVE-2020-7598');
    expect(r.statements[2]!.scope).toMatchObject({ versionConstraint: '<= 0.1.1' });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/a\/security-mitigation.yaml:10: unquoted affectedVersions "> 3.1.0"/);
    expect(r.securityAdvisoryUrl).toBe('https://jfrog.com/security/');
  });

  it.each([
    ['affectedVersions: > 3.1.0', 'affectedVersions: "> 3.1.0"'],
    ['  - affectedVersions: >= 1.0, < 2', '  - affectedVersions: ">= 1.0, < 2"'],
    ['affectedVersions: 1.10', 'affectedVersions: "1.10"'],
    ['affectedVersions: "<= 0.1.5"', 'affectedVersions: "<= 0.1.5"'],
    ["affectedVersions: '> 1'", "affectedVersions: '> 1'"],
    ['affectedVersions: >-', 'affectedVersions: >-'],
    ['affectedVersions: ~1.2 # comment', 'affectedVersions: "~1.2"'],
  ])('quotes %j', (line, want) => {
    expect(quoteAffectedVersions(line, () => {})).toBe(want);
  });

  it('records an external file URL also without useMitigationExternalFile (spec example 3)', () => {
    const r = readChartCenter(fx('external-only.yaml'), 'x.yaml', { trusted: true });
    expect(r.external).toEqual({ url: 'https://jfrog.com/artifactory/security-mitigation.yaml', declared: false });
    expect(r.statements).toEqual([]);
    const d = readChartCenter('schemaVersion: v1\nuseMitigationExternalFile: true\nmitigationExternalFileUrl: http://example.com/m.yaml\n', 'y.yaml', { trusted: true });
    expect(d.external).toEqual({ url: 'http://example.com/m.yaml', declared: true });
    expect(d.warnings.join()).toMatch(/not an https URL/);
    const n = readChartCenter('schemaVersion: v1\nuseMitigationExternalFile: true\n', 'z.yaml', { trusted: true });
    expect(n.warnings.join()).toMatch(/mitigationExternalFileUrl is not set/);
  });

  it('reads the HIP draft: cves without dashes, no affectedPackageUri = the chart itself', () => {
    const r = readChartCenter(fx('hip-draft.yaml'), 'c/security-mitigation.yaml', { trusted: true, chart: 'mychart' });
    expect(r.statements.map((s) => [s.vulnerability, s.scope])).toEqual([['CVE-2019-1010022', { kind: 'helm', chart: 'mychart', versionConstraint: '<= 0.1.5' }]]);
  });

  it.each([
    ['cves as a comma list and helm://chart without namespace', 'mitigations:\n- cves: CVE-1, CVE-2\n  affectedPackageUri: helm://artifactory\n', 2, []],
    ['an entry without cves is skipped', 'schemaVersion: v1\nmitigations:\n- description: x\n', 0, [/lists no cves/]],
    ['unknown scheme is skipped', 'mitigations:\n- cves: [CVE-1]\n  affectedPackageUri: npm://x\n', 0, [/neither helm/]],
    ['invalid constraint is kept with a warning', 'mitigations:\n- cves: [CVE-1]\n  affectedPackageUri: helm://a/b\n  affectedVersions: "not a range"\n', 1, [/not a valid version constraint/]],
    ['another schemaVersion', 'schemaVersion: v2\nmitigations: []\n', 0, [/is not v1/]],
    ['docker uri with a tag', 'mitigations:\n- cves: [CVE-1]\n  affectedPackageUri: docker://redis:7\n', 1, [/tag is ignored/]],
  ])('%s', (_t, text, count, warnings) => {
    const r = readChartCenter(text.startsWith('schemaVersion') ? text : `schemaVersion: v1\n${text}`, 'f.yaml', { trusted: true, chart: 'c' });
    expect(r.statements).toHaveLength(count);
    expect(r.warnings).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(r.warnings[i]).toMatch(w));
  });

  it('normalises docker:// names like docker (library/, docker.io)', () => {
    const r = readChartCenter('mitigations:\n- cves: [CVE-1]\n  affectedPackageUri: docker://index.docker.io/redis\n', 'f.yaml', { trusted: true });
    expect(r.statements[0]!.scope).toEqual({ kind: 'docker', registry: 'docker.io', repository: 'library/redis' });
  });

  it.each([
    ['a YAML syntax error', 'mitigations: [\n'],
    ['a list document', '- a\n- b\n'],
    ['an unrelated map', 'apiVersion: v2\nname: foo\n'],
    ['mitigations as a map', 'schemaVersion: v1\nmitigations:\n  cves: [CVE-1]\n'],
    ['an entry that is a string', 'mitigations:\n- CVE-1\n'],
    ['alias bombs', 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nmitigations: [*g]\n'],
  ])('rejects %s with an InputError naming the file', (_t, text) => {
    let err: unknown;
    try {
      readChartCenter(text, 'chart/security-mitigation.yaml', { trusted: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/^chart\/security-mitigation.yaml: /);
    expect((err as InputError).file).toBe('chart/security-mitigation.yaml');
  });
});

describe('OpenVEX', () => {
  it('reads statements, products, subcomponents, aliases and timestamps', () => {
    const r = readVexFile(fx('storefront.openvex.json'), 'storefront.openvex.json');
    expect(r.warnings).toEqual([]);
    expect(r.statements.map((s) => [s.vulnerability, s.aliases, s.status, s.scope, s.subcomponents ?? null, s.trusted, s.format])).toEqual([
      ['CVE-2024-0001', ['BIT-redis-2024-0001'], 'not_affected', { kind: 'purl', purl: 'pkg:bitnami/redis@7.4.1' }, null, true, 'openvex'],
      ['CVE-2024-0002', [], 'under_investigation', { kind: 'purl', purl: 'pkg:oci/redis?repository_url=docker.io/bitnami/redis' }, ['pkg:bitnami/redis'], true, 'openvex'],
      ['CVE-2024-0003', [], 'fixed', { kind: 'purl', purl: 'pkg:helm/acme/storefront@5.0.1' }, null, true, 'openvex'],
      ['CVE-2024-0003', [], 'under_investigation', { kind: 'purl', purl: 'pkg:helm/acme/storefront@5.0.1' }, null, true, 'openvex'],
      ['CVE-2024-0004', [], 'affected', { kind: 'purl', purl: expect.stringMatching(/^pkg:oci\/postgresql@sha256%3Aabc/) }, null, true, 'openvex'],
    ]);
    expect(r.statements[0]!.justification).toBe('vulnerable_code_not_in_execute_path');
    expect(r.statements[0]!.note).toMatch(/Lua/);
    expect(r.statements[2]!.timestamp?.toISOString()).toBe('2024-10-02T10:00:00.000Z');
    expect(r.statements[1]!.timestamp?.toISOString()).toBe('2024-10-01T10:00:00.000Z');
    expect(r.statements[4]!.note).toBe('Upgrade to chart 5.0.2.');
  });

  it('reads image references as products (as Grype) and v0.0.x string forms', () => {
    const doc = {
      '@context': 'https://openvex.dev/ns',
      statements: [{ vulnerability: 'CVE-1', products: ['docker.io/bitnami/redis:7.4.1-debian-12-r2', 'not a product!'], status: 'not_affected', justification: 'component_not_present' }],
    };
    const r = readVexFile(JSON.stringify(doc), 'v.json');
    expect(r.statements.map((s) => s.scope)).toEqual([{ kind: 'purl', purl: 'pkg:oci/redis?repository_url=docker.io/bitnami/redis&tag=7.4.1-debian-12-r2' }]);
    expect(r.warnings.join()).toMatch(/products\[1\].*ignored/);
  });

  it.each([
    ['bad JSON', '{', /not valid JSON/],
    ['neither format', '{"foo":1}', /neither OpenVEX .* nor CycloneDX/],
    ['unknown status', JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ vulnerability: { name: 'CVE-1' }, status: 'ignored' }] }), /statements\[0\] \(CVE-1\): status "ignored"/],
    ['no vulnerability', JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ status: 'fixed' }] }), /statements\[0\] has no vulnerability/],
    ['statements not a list', JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: {} }), /statements must be a list/],
    ['cdx with bad state', JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', vulnerabilities: [{ id: 'CVE-1', analysis: { state: 'nope' } }] }), /vulnerabilities\[0\] \(CVE-1\): analysis.state "nope"/],
    ['cdx without id', JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', vulnerabilities: [{ analysis: { state: 'resolved' } }] }), /has no id/],
  ])('rejects %s', (_t, text, msg) => {
    expect(() => readVexFile(text, 'in.vex.json')).toThrow(InputError);
    expect(() => readVexFile(text, 'in.vex.json')).toThrow(msg);
    expect(() => readVexFile(text, 'in.vex.json')).toThrow(/^in.vex.json: /);
  });
});

describe('CycloneDX VEX', () => {
  it('maps states, resolves bom-refs, BOM-Links and references as aliases', () => {
    const r = readVexFile(fx('storefront.cdx.json'), 'storefront.cdx.json');
    expect(r.statements.map((s) => [s.vulnerability, s.aliases, s.status, s.justification, s.scope])).toEqual([
      ['CVE-2024-0001', ['BIT-redis-2024-0001'], 'not_affected', 'protected_by_mitigating_control', { kind: 'purl', purl: 'pkg:bitnami/redis@7.4.1' }],
      ['CVE-2024-0002', [], 'under_investigation', null, { kind: 'purl', purl: 'pkg:oci/redis?repository_url=docker.io/bitnami/redis' }],
    ]);
    expect(r.statements[0]!.note).toBe('NetworkPolicy blocks it. — response: will_not_fix');
    expect(r.warnings).toEqual([
      expect.stringMatching(/vulnerabilities\[2\].affects\[0\] \(CVE-2024-0005\): component nested-no-purl has no purl/),
      expect.stringMatching(/vulnerabilities\[2\].affects\[1\] \(CVE-2024-0005\): ref missing names no component/),
      expect.stringMatching(/vulnerabilities\[3\] \(CVE-2024-0006\) has no analysis.state/),
    ]);
  });

  it.each([
    ['false_positive', 'not_affected'],
    ['resolved_with_pedigree', 'fixed'],
    ['exploitable', 'affected'],
    ['in_triage', 'under_investigation'],
  ])('%s → %s', (state, status) => {
    const r = readVexFile(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.4', vulnerabilities: [{ id: 'CVE-1', analysis: { state }, affects: [{ ref: 'pkg:bitnami/redis' }] }] }), 'c.json');
    expect(r.statements[0]!.status).toBe(status);
  });
});

describe('ignore file', () => {
  it('reads entries with scope filters and dates', () => {
    const r = readIgnoreFile(fx('chartaudit-ignore.yaml'), '.chartaudit-ignore.yaml');
    expect(r.warnings).toEqual([]);
    expect(r.statements.map((s) => [s.vulnerability, s.image ?? null, s.package ?? null, s.note, s.expires?.toISOString() ?? null, s.trusted, s.status])).toEqual([
      ['CVE-2024-0001', 'bitnami/redis', null, 'Accepted by the platform team, ticket SEC-42.', '2030-01-01T00:00:00.000Z', true, null],
      ['BIT-postgresql-2024-0009', null, 'postgresql@16.4.0', 'Only reachable with trust auth, which we do not use.', null, true, null],
      ['CVE-2020-0001', null, null, 'Old exception.', '2020-06-30T00:00:00.000Z', true, null],
    ]);
  });

  it('accepts a map with ignore:', () => {
    expect(readIgnoreFile('ignore:\n- id: CVE-1\n  reason: r\n  expires: 2025-01-01T12:00:00Z\n', 'i.yaml').statements[0]!.expires?.toISOString()).toBe('2025-01-01T12:00:00.000Z');
  });

  it.each([
    ['- id: CVE-1\n', /entry 1 \(CVE-1\) has no reason/],
    ['- id: CVE-1\n  reason: ok\n- id: CVE-2\n  reason: ""\n', /entry 2 \(CVE-2\) has no reason/],
    ['- id: CVE-1\n  reason: r\n  expires: 2025-02-30\n', /entry 1 \(CVE-1\): expires "2025-02-30" is not a date/],
    ['- id: CVE-1\n  reason: r\n  expires: next week\n', /expires "next week"/],
    ['- reason: r\n', /entry 1 has no id/],
    ['- id: CVE-1\n  reason: r\n  image: "Not An Image!"\n', /image "Not An Image!" is not an image reference/],
    ['foo: bar\n', /is a list of/],
    ['- [\n', /not valid YAML/],
  ])('rejects %j', (text, msg) => {
    expect(() => readIgnoreFile(text, '.chartaudit-ignore.yaml')).toThrow(InputError);
    expect(() => readIgnoreFile(text, '.chartaudit-ignore.yaml')).toThrow(msg);
  });
});

describe('toOpenVex', () => {
  it('converts notes into an OpenVEX 0.2.0 document that reads back', () => {
    const notes = readChartCenter(fx('sample-chart-security-mitigation.yaml'), 'sample/security-mitigation.yaml', { trusted: true });
    const doc = toOpenVex(notes.statements, { author: 'chartaudit', timestamp: new Date('2024-10-01T00:00:00Z') });
    expect(doc['@context']).toBe('https://openvex.dev/ns/v0.2.0');
    expect(doc['@id']).toMatch(/^https:\/\/openvex.dev\/docs\/public\/vex-[0-9a-f]{64}$/);
    expect(doc['timestamp']).toBe('2024-10-01T00:00:00.000Z');
    const st = doc['statements'] as Record<string, unknown>[];
    expect(st.map((s) => [s['status'], (s['products'] as { '@id': string }[])[0]!['@id']])).toEqual([
      ['under_investigation', 'pkg:helm/rimusz/security-sample-chart'],
      ['under_investigation', 'pkg:oci/security-sample-app?repository_url=docker.io/rimusz/security-sample-app'],
    ]);
    expect(st[0]!['status_notes']).toMatch(/applies to chart versions <= 0.1.5/);
    const back = readVexFile(JSON.stringify(doc), 'out.json');
    expect(back.statements.map((s) => s.vulnerability)).toEqual(['CVE-2019-1010022', 'CVE-2019-11888']);
    expect(back.warnings).toEqual([]);
  });

  it('keeps a stated status and fills the fields OpenVEX requires', () => {
    const vex = readVexFile(fx('storefront.openvex.json'), 'v.json');
    const doc = toOpenVex(vex.statements, { author: 'a', timestamp: '2024-01-01T00:00:00Z' });
    const st = doc['statements'] as Record<string, unknown>[];
    expect(st.map((s) => s['status'])).toEqual(['not_affected', 'under_investigation', 'fixed', 'under_investigation', 'affected']);
    expect(st[0]!['justification']).toBe('vulnerable_code_not_in_execute_path');
    expect(st[4]!['action_statement']).toBe('Upgrade to chart 5.0.2.');
    expect(st[1]!['products']).toEqual([{ '@id': 'pkg:oci/redis?repository_url=docker.io/bitnami/redis', subcomponents: [{ '@id': 'pkg:bitnami/redis' }] }]);
  });
});
