/**
 * SARIF 2.1.0, as GitHub code scanning takes it: one rule per vulnerability id and per posture
 * check, each result located in the chart's own files (the template that sets the image, from
 * the top chart's root), levels and `security-severity` from the severity, mitigated findings
 * as accepted `suppressions` with their note, and `partialFingerprints` that survive an image
 * upgrade that keeps the vulnerability (they leave out versions and tags).
 */
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../model/advisory.js';
import type { ReportPostureFinding, ScanReport } from '../model/report.js';
import type { RenderOptions, ReportWriter } from './types.js';
import { clauses, findingTitle, imageOf, postureFindingsOf, severityOrder, templatePathInChart } from './scan-parts.js';

const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Where result paths start: the directory holding the top chart's Chart.yaml. */
export const CHART_ROOT = 'CHARTROOT';
const FINGERPRINT = 'chartaudit/v1';

/**
 * The writer's options. `chartFile`: the chart as named on the command line, for results that no
 * template locates. `chartRoot`: a chart directory's path from the working directory (`.` for
 * itself), or its absolute `file:` URI; then paths start there (uriBaseId `%SRCROOT%`), since
 * GitHub takes relative paths from the repository root. Without it they start at the chart's
 * root (`CHARTROOT`).
 */
export type SarifRenderOptions = RenderOptions & { chartFile?: string; chartRoot?: string };

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { CRITICAL: 'error', HIGH: 'error', MEDIUM: 'warning', LOW: 'note', NONE: 'note', UNKNOWN: 'note' };
/** GitHub ranks by `security-severity` (9.0+ critical, 7.0+ high, 4.0+ medium, else low); a label without a score gets a value inside its band. */
const LABEL_SCORE: Partial<Record<Severity, number>> = { CRITICAL: 9.5, HIGH: 8.0, MEDIUM: 5.5, LOW: 2.0, NONE: 0.0 };

interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: Level };
  properties: Record<string, unknown>;
}

const uriOf = (path: string): string => path.split('/').map(encodeURIComponent).join('/');
const fingerprint = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex');
const securitySeverity = (severity: Severity, score: number | null): string | undefined => {
  const s = score ?? LABEL_SCORE[severity];
  return s === undefined ? undefined : s.toFixed(1);
};
/** A path inside the chart, placed where the chart directory lies when that is known. */
function artifactIn(path: string, chartRoot: string | undefined): Record<string, unknown> {
  if (chartRoot === undefined) return { uri: uriOf(path), uriBaseId: CHART_ROOT };
  if (/^file:/.test(chartRoot)) return { uri: `${chartRoot.replace(/\/$/, '')}/${uriOf(path)}` };
  return { uri: uriOf(chartRoot === '.' ? path : `${chartRoot}/${path}`), uriBaseId: SOURCE_ROOT };
}
const SOURCE_ROOT = '%SRCROOT%';
/** GitHub keeps at most 1,000 locations per result; one per template is far below that in practice. */
const MAX_LOCATIONS = 1000;
/** A file named on the command line: relative to the working directory, or an absolute file URI. */
const fileArtifact = (path: string): Record<string, unknown> =>
  (isAbsolute(path) ? { uri: pathToFileURL(path).href } : { uri: uriOf(path.replace(/^(\.\/)+/, '')), uriBaseId: SOURCE_ROOT });

function vulnerabilityRule(f: Finding): Rule {
  const summary = f.summary ?? `${f.id} in ${f.package.name}`;
  const score = securitySeverity(f.severity, f.cvss?.score ?? null);
  const text = [`${findingTitle(f)}: ${summary}`, f.cvss ? `CVSS ${f.cvss.version} ${f.cvss.score} ${f.cvss.vector}` : `severity ${f.severity}`].join('\n');
  return {
    id: f.id,
    name: f.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: `${f.id}: ${summary}`.slice(0, 1024) },
    fullDescription: { text: summary.slice(0, 1024) },
    helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(f.id)}`,
    help: { text, markdown: `**${findingTitle(f)}** (${f.severity})\n\n${summary}${f.cvss ? `\n\nCVSS ${f.cvss.version} \`${f.cvss.vector}\` (${f.cvss.score})` : ''}` },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: { ...(score !== undefined ? { 'security-severity': score } : {}), tags: ['security', 'vulnerability'], precision: 'high' },
  };
}

function postureRule(p: ReportPostureFinding): Rule {
  return {
    id: p.check,
    name: p.check.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: p.title },
    fullDescription: { text: p.title },
    help: { text: `${p.title}\nFix: ${p.fix}`, markdown: `**${p.title}**\n\nFix: ${p.fix}` },
    defaultConfiguration: { level: LEVEL[p.severity] },
    properties: { 'security-severity': securitySeverity(p.severity, null), tags: ['security', 'configuration'], precision: 'very-high' },
  };
}

function vulnerabilityMessage(f: Finding, workloads: string[]): string {
  return [
    `${findingTitle(f)} in ${f.package.name} ${f.package.version} (${f.package.ecosystem}) of image ${f.image}`,
    workloads.length ? `, deployed by ${workloads.join(', ')}` : '',
    f.status === 'indeterminate' ? `; indeterminate: ${f.reason ?? 'the version could not be compared'}` : '',
    f.fixed.length ? `; fixed in ${f.fixed.join(', ')}` : '; no fixed version known',
    f.mitigation && f.state === 'open' ? `; ${f.mitigation.trusted ? '' : 'untrusted '}note from ${f.mitigation.source}${f.mitigation.status ? ` (${f.mitigation.status})` : ''}${f.mitigation.note ? `: ${clauses([f.mitigation.note])}` : ''}` : '',
    '.',
  ].join('');
}

/**
 * Posture findings in a scan share the notes and the ignore file with vulnerabilities (DESIGN.md
 * "Posture"); once they carry a `state` and `mitigation` like a Finding, a mitigated one is
 * suppressed the same way.
 */
function postureSuppression(p: ReportPostureFinding): { suppressions?: Record<string, unknown>[] } {
  const q = p as ReportPostureFinding & { state?: string; mitigation?: Finding['mitigation'] };
  if (q.state !== 'mitigated' || !q.mitigation) return {};
  return { suppressions: [{ kind: 'external', status: 'accepted', justification: clauses([q.mitigation.note, q.mitigation.justification, `from ${q.mitigation.source}`]) }] };
}

export function renderSarif(report: ScanReport, opts: Partial<SarifRenderOptions> = {}): Record<string, unknown> {
  const rules: Rule[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (id: string, make: () => Rule, severity: Severity): number => {
    const i = ruleIndex.get(id);
    if (i !== undefined) {
      // One rule per id: the most severe finding of that id describes it.
      if (severityOrder(severity) < severityOrder(rules[i]!.properties['_severity'] as Severity)) rules[i] = { ...make(), properties: { ...make().properties, _severity: severity } };
      return i;
    }
    rules.push({ ...make(), properties: { ...make().properties, _severity: severity } });
    ruleIndex.set(id, rules.length - 1);
    return rules.length - 1;
  };
  const fallback = opts.chartFile ?? `${report.chart.name}-${report.chart.version}.tgz`;
  const location = (path: string, message?: string, inChart = true): Record<string, unknown> => ({
    physicalLocation: { artifactLocation: inChart ? artifactIn(path, opts.chartRoot) : fileArtifact(path), region: { startLine: 1 } },
    ...(message ? { message: { text: message } } : {}),
  });
  const results: Record<string, unknown>[] = [];

  for (const f of report.findings) {
    const index = addRule(f.id, () => vulnerabilityRule(f), f.severity);
    const image = imageOf(report, f.image);
    const sources = image?.sources ?? [];
    const files = [...new Set(sources.map((s) => templatePathInChart(s.chart, s.template, report.charts)))];
    const workloads = [...new Set(sources.map((s) => `${s.kind}/${s.name} (container ${s.container})`))];
    // Without tag or digest, so that an upgrade that keeps the vulnerability keeps the alert.
    const repository = image ? `${image.registry}/${image.repository}` : f.image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
    const result: Record<string, unknown> = {
      ruleId: f.id,
      ruleIndex: index,
      level: LEVEL[f.severity],
      message: { text: vulnerabilityMessage(f, workloads) },
      locations: files.length ? files.slice(0, MAX_LOCATIONS).map((path) => location(path, `sets image ${f.image}`)) : [location(fallback, undefined, false)],
      partialFingerprints: { [FINGERPRINT]: fingerprint('vulnerability', f.id, repository, f.package.ecosystem, f.package.name, ...files) },
      properties: {
        severity: f.severity, image: f.image, package: f.package, fixed: f.fixed, status: f.status, state: f.state,
        ...(f.cvss ? { cvss: f.cvss } : {}), ...(f.path ? { path: f.path } : {}), ...(f.location ? { location: f.location } : {}),
      },
    };
    if (f.state === 'mitigated' && f.mitigation) {
      result['suppressions'] = [{
        kind: 'external',
        status: 'accepted',
        justification: clauses([f.mitigation.note, f.mitigation.justification, `from ${f.mitigation.source}`]),
      }];
    }
    results.push(result);
  }

  for (const p of postureFindingsOf(report)) {
    const index = addRule(p.check, () => postureRule(p), p.severity);
    const file = templatePathInChart(p.chart, p.template, report.charts);
    const workload = `${p.resource.kind}/${p.resource.name}${p.container ? ` (container ${p.container})` : ''}`;
    results.push({
      ruleId: p.check,
      ruleIndex: index,
      level: LEVEL[p.severity],
      message: { text: `${workload}: ${p.message}. Fix: ${p.fix}${p.valuesKey ? ` (values key ${p.valuesKey})` : ''}` },
      locations: [location(file, workload)],
      partialFingerprints: { [FINGERPRINT]: fingerprint('posture', p.check, p.chart, p.resource.kind, p.resource.name, p.container ?? '') },
      properties: { severity: p.severity, fields: p.fields, customResource: p.customResource },
      ...postureSuppression(p),
    });
  }

  for (const r of rules) delete r.properties['_severity'];
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: report.tool.name,
          version: report.tool.version,
          semanticVersion: report.tool.version,
          rules,
        },
      },
      // GitHub's category (up to the last slash): each chart's alerts are their own set, so
      // uploads for several charts of one repository do not close each other's alerts.
      automationDetails: { id: `chartaudit/${report.chart.name}/` },
      originalUriBaseIds: {
        [CHART_ROOT]: { description: { text: `the root of chart ${report.chart.name} (the directory holding its Chart.yaml)` } },
        [SOURCE_ROOT]: { description: { text: 'the directory chartaudit ran in' } },
      },
      results,
      properties: {
        chart: report.chart,
        provenance: report.provenance.status,
        verdict: report.verdict,
        gaps: report.gaps.map((g) => `${g.scope}: ${g.reason}`),
      },
    }],
  };
}

export const sarif: ReportWriter = {
  id: 'sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning',
  render: (report, opts) => `${JSON.stringify(renderSarif(report, opts), null, 2)}\n`,
};
