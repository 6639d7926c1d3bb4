/**
 * A short GitHub-flavoured Markdown summary for a pull-request comment: the verdict, counts by
 * severity, the most severe open findings, what mitigations covered, warnings, and what was not
 * examined.
 * The JSON, SARIF or CycloneDX report carries the rest.
 */
import type { Severity } from '../model/advisory.js';
import type { ScanReport } from '../model/report.js';
import type { ReportWriter } from './types.js';
import { allImages, postureFindingsOf, SEVERITIES, severityOrder } from './scan-parts.js';

const TOP = 10;
/** A PR comment holds 65,536 characters: every list is cut, so a big scan still fits. */
const MAX_MITIGATED = 20;
const MAX_NOTE = 300;

/**
 * Text from the chart, its notes or advisories, shown as written: pipes and line breaks would
 * break a table row, markup characters would format or link, and an `@name` would notify a
 * GitHub user from a pull-request comment.
 */
const cell = (s: string): string => s.replace(/[\\`*_[\]<>|@]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderMarkdown(report: ScanReport): string {
  const out: string[] = [];
  const verdict = report.verdict.failed ? '❌ failed' : '✅ passed';
  out.push(`### chartaudit: ${cell(report.chart.name)} ${cell(report.chart.version)}: ${verdict}`, '');
  for (const r of report.verdict.reasons) out.push(`- ${cell(r)}`);
  if (report.verdict.reasons.length) out.push('');
  const prov = report.provenance;
  out.push(`**Provenance:** ${prov.status}${prov.signer ? `, signed by ${cell(prov.signer)}` : ''}${prov.status !== 'verified' && prov.reason ? ` (${cell(prov.reason)})` : ''}  `);
  const enabled = report.charts.filter((c) => c.enabled).length;
  out.push(`**Charts:** ${plural(report.charts.length, 'chart')} (${enabled} enabled) · **Images:** ${allImages(report).length}  `);
  const src = report.vulnerabilitySource;
  out.push(`**Advisories:** ${src === null ? 'none used' : src.kind === 'osv-api' ? `OSV API (${cell(src.url)})` : `local database${src.ageDays !== null ? `, data ${plural(src.ageDays, 'day')} old` : ', empty'}`}`, '');

  const open = report.findings.filter((f) => f.state === 'open');
  const mitigated = report.findings.filter((f) => f.state === 'mitigated');
  const used = SEVERITIES.filter((s) => report.findings.some((f) => f.severity === s));
  if (report.findings.length === 0) out.push('No known vulnerabilities found in what was examined.', '');
  else {
    const count = (list: typeof open, s: Severity): number => list.filter((f) => f.severity === s).length;
    out.push(`| | ${used.join(' | ')} | total |`, `|---|${used.map(() => '---:|').join('')}---:|`);
    out.push(`| open | ${used.map((s) => count(open, s)).join(' | ')} | ${open.length} |`);
    out.push(`| mitigated | ${used.map((s) => count(mitigated, s)).join(' | ')} | ${mitigated.length} |`, '');
  }

  if (open.length) {
    const top = [...open].sort((a, b) => severityOrder(a.severity) - severityOrder(b.severity) || (b.cvss?.score ?? -1) - (a.cvss?.score ?? -1) || a.id.localeCompare(b.id));
    out.push(`**Open findings**${top.length > TOP ? ` (the ${TOP} most severe of ${top.length})` : ''}`, '');
    out.push('| severity | vulnerability | package | image | fixed in |', '|---|---|---|---|---|');
    for (const f of top.slice(0, TOP)) {
      out.push(`| ${f.severity} | ${cell(f.id)} | ${cell(`${f.package.name} ${f.package.version}`)} | ${cell(f.image)} | ${f.fixed.length ? cell(f.fixed.join(', ')) : '–'} |`);
    }
    out.push('');
  }
  if (mitigated.length) {
    out.push('<details><summary>Mitigated (' + mitigated.length + ')</summary>', '');
    for (const f of mitigated.slice(0, MAX_MITIGATED)) out.push(`- ${cell(f.id)} in ${cell(f.package.name)} (${cell(f.image)}): ${cell(clip(f.mitigation?.note ?? 'no note', MAX_NOTE))} — ${cell(f.mitigation?.source ?? '')}`);
    if (mitigated.length > MAX_MITIGATED) out.push(`- … and ${mitigated.length - MAX_MITIGATED} more`);
    out.push('', '</details>', '');
  }
  const posture = postureFindingsOf(report);
  if (posture.length) {
    const bySeverity = SEVERITIES.map((s) => [s, posture.filter((p) => p.severity === s).length] as const).filter(([, n]) => n > 0);
    const mitigatedPosture = posture.filter((p) => (p as { state?: string }).state === 'mitigated').length;
    out.push(`**Posture:** ${plural(posture.length, 'finding')} (${bySeverity.map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ')})${mitigatedPosture ? `, ${mitigatedPosture} mitigated` : ''}`, '');
  }
  for (const w of report.warnings.slice(0, TOP)) out.push(`> ⚠️ ${cell(w)}`, '');
  if (report.gaps.length) {
    out.push(`**Not examined** (${report.gaps.length})`, '');
    for (const g of report.gaps.slice(0, TOP)) out.push(`- ${cell(g.scope)}: ${cell(g.reason)}`);
    if (report.gaps.length > TOP) out.push(`- … and ${report.gaps.length - TOP} more`);
    out.push('');
  }
  out.push(`<sub>${cell(report.tool.name)} ${cell(report.tool.version)}</sub>`);
  return `${out.join('\n')}\n`;
}

export const markdown: ReportWriter = {
  id: 'markdown',
  description: 'a short GitHub-flavoured Markdown summary for pull-request comments',
  render: (report) => renderMarkdown(report),
};
