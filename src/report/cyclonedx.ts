/**
 * CycloneDX 1.6 JSON: the chart and its subcharts (applications, `pkg:helm/…`), the images they
 * deploy (containers, with their digest), the packages read from each image, `dependencies`
 * between them, and `vulnerabilities` whose `analysis` carries the mitigation state and note
 * (CycloneDX VEX). Also the notes of `chartaudit mitigations` as a CycloneDX VEX document.
 * Output is deterministic: the serial number derives from the content.
 */
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../model/advisory.js';
import type { ReportImage, ScanReport } from '../model/report.js';
import type { Statement, VexStatus } from '../mitigations/model.js';
import type { ReportWriter } from './types.js';
import { allImages, clauses } from './scan-parts.js';

type Json = Record<string, unknown>;

const SCHEMA = 'http://cyclonedx.org/schema/bom-1.6.schema.json';

/** A UUID made from content (version 5 layout over SHA-256), so the same scan gives the same BOM. */
function contentUuid(body: unknown): string {
  const h = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `urn:uuid:${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const helmPurl = (name: string, version: string): string => `pkg:helm/${encodeURIComponent(name)}@${encodeURIComponent(version)}`;

function ociPurl(image: ReportImage, digest: string | null): string {
  const name = encodeURIComponent(image.repository.split('/').pop()!.toLowerCase());
  const qualifiers = [`repository_url=${encodeURIComponent(`${image.registry}/${image.repository}`)}`, ...(image.tag ? [`tag=${encodeURIComponent(image.tag)}`] : [])];
  return `pkg:oci/${name}${digest ? `@${encodeURIComponent(digest)}` : ''}?${qualifiers.join('&')}`;
}

const sha256Hash = (digest: string | null): Json[] => {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest ?? '');
  return m ? [{ alg: 'SHA-256', content: m[1] }] : [];
};

const CDX_SEVERITY: Record<Severity, string> = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low', NONE: 'none', UNKNOWN: 'unknown' };
const CVSS_METHOD: Record<string, string> = { '2.0': 'CVSSv2', '3.0': 'CVSSv3', '3.1': 'CVSSv31', '4.0': 'CVSSv4' };

/** OpenVEX justifications in CycloneDX's words; CycloneDX ones (from a CycloneDX VEX input) pass as they are. */
const JUSTIFICATIONS: Record<string, string> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};
const CDX_JUSTIFICATIONS = new Set(['code_not_present', 'code_not_reachable', 'requires_configuration', 'requires_dependency', 'requires_environment', 'protected_by_compiler', 'protected_at_runtime', 'protected_at_perimeter', 'protected_by_mitigating_control']);
const cdxJustification = (j: string | null): string | undefined => (j === null ? undefined : CDX_JUSTIFICATIONS.has(j) ? j : JUSTIFICATIONS[j]);

const VEX_STATE: Record<VexStatus, string> = { not_affected: 'not_affected', fixed: 'resolved', affected: 'exploitable', under_investigation: 'in_triage' };

/**
 * The finding's mitigation as a CycloneDX analysis. A trusted note without a status (a chart
 * author's note, an ignore entry) mitigates the finding, which CycloneDX says as `not_affected`
 * protected by a mitigating control; an untrusted note only annotates it: `in_triage`.
 */
function analysisOf(f: Finding): Json | undefined {
  const m = f.mitigation;
  if (!m) return undefined;
  let state: string;
  let justification = cdxJustification(m.justification);
  if (m.status) state = VEX_STATE[m.status as VexStatus] ?? 'in_triage';
  else if (f.state === 'mitigated') {
    state = 'not_affected';
    justification ??= 'protected_by_mitigating_control';
  } else state = 'in_triage';
  if (state !== 'not_affected') justification = undefined;
  const detail = clauses([m.note, m.justification && !CDX_JUSTIFICATIONS.has(m.justification) ? `justification: ${m.justification}` : null, `from ${m.source}${m.trusted ? '' : ' (not trusted: it annotates the finding, which stays open)'}`]);
  return { state, ...(justification ? { justification } : {}), detail };
}

interface Built { components: Json[]; dependencies: Map<string, Set<string>>; packageRefs: Map<string, string> }

/** bom-refs: readable and unique: chart instance paths, image references, image|purl for packages. */
function buildComponents(report: ScanReport): Built {
  const dependencies = new Map<string, Set<string>>();
  const depend = (from: string, to?: string): void => {
    const set = dependencies.get(from) ?? new Set<string>();
    if (to !== undefined && to !== from) set.add(to);
    dependencies.set(from, set);
  };
  const components: Json[] = [];
  const top = report.charts.find((c) => !c.path.includes('/charts/'))?.path ?? report.chart.name;
  depend(top);
  for (const c of report.charts) {
    if (c.path === top) continue;
    components.push({
      type: 'application', 'bom-ref': c.path, name: c.name, version: c.version, purl: helmPurl(c.name, c.version),
      properties: [
        { name: 'chartaudit:chart:path', value: c.path },
        ...(c.alias ? [{ name: 'chartaudit:chart:alias', value: c.alias }] : []),
        { name: 'chartaudit:chart:enabled', value: String(c.enabled) },
        ...(c.reason ? [{ name: 'chartaudit:chart:disabledReason', value: c.reason }] : []),
      ],
    });
    depend(c.path);
    depend(c.path.slice(0, c.path.lastIndexOf('/charts/')), c.path);
  }
  const packageRefs = new Map<string, string>();
  const seenImages = new Set<string>();
  for (const image of allImages(report)) {
    if (seenImages.has(image.ref)) continue;
    seenImages.add(image.ref);
    const digest = image.contents?.digest ?? image.digest;
    const inner: Json[] = [];
    const seen = new Set<string>();
    const os = image.contents?.os;
    if (os) {
      const ref = `${image.ref}|os`;
      inner.push({ type: 'operating-system', 'bom-ref': ref, name: os.family, version: os.release, description: os.name });
      seen.add(ref);
    }
    for (const p of image.contents?.packages ?? []) {
      const ref = `${image.ref}|${p.purl ?? `${p.type}/${p.name}@${p.version}`}`;
      if (seen.has(ref)) continue;
      seen.add(ref);
      packageRefs.set(`${image.ref}|${p.purl ?? `${p.name}@${p.version}`}`, ref);
      inner.push({
        type: 'library', 'bom-ref': ref, name: p.name, version: p.version, ...(p.purl ? { purl: p.purl } : {}),
        properties: [{ name: 'chartaudit:package:layer', value: p.layer }, ...p.paths.slice(0, 20).map((value) => ({ name: 'chartaudit:package:path', value }))],
      });
    }
    // Packages that findings name but the image contents do not list (Bitnami images matched by tag).
    for (const f of report.findings) {
      if (f.image !== image.ref) continue;
      const key = `${image.ref}|${f.package.purl ?? `${f.package.name}@${f.package.version}`}`;
      if (packageRefs.has(key)) continue;
      const ref = `${image.ref}|${f.package.purl ?? `${f.package.ecosystem}/${f.package.name}@${f.package.version}`}`;
      packageRefs.set(key, ref);
      if (seen.has(ref)) continue;
      seen.add(ref);
      inner.push({ type: 'library', 'bom-ref': ref, name: f.package.name, version: f.package.version, ...(f.package.purl ? { purl: f.package.purl } : {}) });
    }
    components.push({
      type: 'container', 'bom-ref': image.ref, name: `${image.registry}/${image.repository}`, ...(image.tag ? { version: image.tag } : {}),
      purl: ociPurl(image, digest), ...(sha256Hash(digest).length ? { hashes: sha256Hash(digest) } : {}),
      properties: [
        { name: 'chartaudit:image:ref', value: image.ref },
        ...(image.contents ? [{ name: 'chartaudit:image:platform', value: image.contents.platform }] : []),
        ...image.sources.map((s) => ({ name: 'chartaudit:image:source', value: `${s.chart} ${s.template} ${s.kind}/${s.name} ${s.container}` })),
      ],
      ...(inner.length ? { components: inner } : {}),
    });
    depend(image.ref);
    for (const c of inner) depend(image.ref, c['bom-ref'] as string);
    for (const c of inner) depend(c['bom-ref'] as string);
    for (const s of image.sources) depend(report.charts.some((c) => c.path === s.chart) ? s.chart : top, image.ref);
  }
  return { components, dependencies, packageRefs };
}

function vulnerabilities(report: ScanReport, packageRefs: Map<string, string>): Json[] {
  // One entry per id and analysis: findings of one vulnerability that share a mitigation state share an entry.
  const groups = new Map<string, { f: Finding; refs: Set<string>; analysis: Json | undefined }>();
  for (const f of report.findings) {
    const analysis = analysisOf(f);
    const key = JSON.stringify([f.id, analysis ?? null]);
    const ref = packageRefs.get(`${f.image}|${f.package.purl ?? `${f.package.name}@${f.package.version}`}`) ?? f.image;
    const g = groups.get(key) ?? { f, refs: new Set<string>(), analysis };
    g.refs.add(ref);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ f, refs, analysis }) => ({
    id: f.id,
    source: /^CVE-/.test(f.id) ? { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${f.id}` } : { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(f.id)}` },
    ...(f.aliases.length ? { references: f.aliases.map((id) => ({ id, source: { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` } })) } : {}),
    ratings: [f.cvss
      ? { score: f.cvss.score, severity: CDX_SEVERITY[f.severity], method: CVSS_METHOD[f.cvss.version] ?? 'other', vector: f.cvss.vector }
      : { severity: CDX_SEVERITY[f.severity] }],
    ...(f.summary ? { description: f.summary } : {}),
    ...(f.fixed.length ? { recommendation: `Upgrade ${f.package.name} to ${f.fixed.join(' or ')}` } : {}),
    ...(analysis ? { analysis } : {}),
    affects: [...refs].sort().map((ref) => ({ ref })),
    ...(f.status === 'indeterminate' ? { properties: [{ name: 'chartaudit:status', value: 'indeterminate' }, ...(f.reason ? [{ name: 'chartaudit:reason', value: f.reason }] : [])] } : {}),
  }));
}

export function renderCycloneDx(report: ScanReport): Json {
  const { components, dependencies, packageRefs } = buildComponents(report);
  const top = report.charts.find((c) => !c.path.includes('/charts/'))?.path ?? report.chart.name;
  const body: Json = {
    metadata: {
      tools: { components: [{ type: 'application', name: report.tool.name, version: report.tool.version }] },
      component: {
        type: 'application', 'bom-ref': top, name: report.chart.name, version: report.chart.version,
        purl: helmPurl(report.chart.name, report.chart.version), ...(sha256Hash(report.chart.digest).length ? { hashes: sha256Hash(report.chart.digest) } : {}),
        properties: [
          { name: 'chartaudit:provenance', value: report.provenance.status },
          ...(report.provenance.signer ? [{ name: 'chartaudit:provenance:signer', value: report.provenance.signer }] : []),
          ...(report.chart.appVersion ? [{ name: 'chartaudit:chart:appVersion', value: report.chart.appVersion }] : []),
        ],
      },
    },
    components,
    dependencies: [...dependencies].map(([ref, on]) => ({ ref, ...(on.size ? { dependsOn: [...on] } : {}) })),
    vulnerabilities: vulnerabilities(report, packageRefs),
  };
  return { $schema: SCHEMA, bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: contentUuid(body), version: 1, ...body };
}

export const cyclonedx: ReportWriter = {
  id: 'cyclonedx',
  description: 'CycloneDX 1.6 JSON: chart, subcharts, images, packages, vulnerabilities with their mitigation (VEX)',
  render: (report) => `${JSON.stringify(renderCycloneDx(report), null, 2)}\n`,
};

/**
 * `chartaudit mitigations --format cyclonedx`: the notes as a CycloneDX VEX document. A note
 * without a status is `in_triage` (as OpenVEX's `under_investigation`); version constraints,
 * which `affects` cannot say for a chart or an image scope, go into the detail.
 */
export function toCycloneDxVex(statements: Statement[], opts: { author: string; timestamp: Date; chart: { name: string; version: string } }): Json {
  const chartRef = helmPurl(opts.chart.name, opts.chart.version);
  const refs = new Map<string, Json>();
  const refOf = (s: Statement): string => {
    const sc = s.scope;
    if (sc.kind === 'any') return chartRef;
    const purl = sc.kind === 'helm'
      ? `pkg:helm/${sc.namespace ? `${sc.namespace.split('/').map(encodeURIComponent).join('/')}/` : ''}${encodeURIComponent(sc.chart)}`
      : sc.kind === 'docker'
        ? `pkg:oci/${encodeURIComponent(sc.repository.split('/').pop()!.toLowerCase())}?repository_url=${encodeURIComponent(`${sc.registry}/${sc.repository}`)}`
        : sc.purl;
    if (purl !== chartRef && !refs.has(purl)) {
      const name = sc.kind === 'helm' ? sc.chart : sc.kind === 'docker' ? `${sc.registry}/${sc.repository}` : purl;
      refs.set(purl, { type: sc.kind === 'docker' ? 'container' : sc.kind === 'helm' ? 'application' : 'library', 'bom-ref': purl, name, purl });
    }
    return purl;
  };
  const vulns = statements.map((s) => {
    const state = VEX_STATE[s.status ?? 'under_investigation'];
    const justification = state === 'not_affected' ? cdxJustification(s.justification) : undefined;
    const constraint = s.scope.kind === 'helm' || s.scope.kind === 'docker' ? s.scope.versionConstraint : undefined;
    const detail = clauses([
      s.note,
      s.justification && !CDX_JUSTIFICATIONS.has(s.justification) ? `justification: ${s.justification}` : null,
      constraint ? `applies to ${s.scope.kind === 'helm' ? 'chart' : 'image'} versions ${constraint}` : null,
      `from ${s.source}${s.status === null ? ' (a ChartCenter note without status: review before changing it)' : ''}`,
      s.expires ? `expires ${s.expires.toISOString()}` : null,
    ]);
    return {
      id: s.vulnerability,
      ...(s.aliases.length ? { references: s.aliases.map((id) => ({ id, source: { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` } })) } : {}),
      analysis: { state, ...(justification ? { justification } : {}), detail },
      affects: [{ ref: refOf(s) }, ...(s.subcomponents ?? []).map((ref) => ({ ref }))],
    };
  });
  for (const v of vulns) for (const a of v.affects.slice(1)) if (!refs.has(a.ref)) refs.set(a.ref, { type: 'library', 'bom-ref': a.ref, name: a.ref, purl: a.ref });
  const body: Json = {
    metadata: {
      timestamp: opts.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      authors: [{ name: opts.author }],
      component: { type: 'application', 'bom-ref': chartRef, name: opts.chart.name, version: opts.chart.version, purl: chartRef },
    },
    ...(refs.size ? { components: [...refs.values()] } : {}),
    vulnerabilities: vulns,
  };
  return { $schema: SCHEMA, bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: contentUuid(body), version: 1, ...body };
}
