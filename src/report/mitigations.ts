/** Output of `chartaudit mitigations`: a readable list, JSON, or an OpenVEX or CycloneDX VEX document. */
import type { MitigationsResult } from '../model/report.js';
import { scopeToString, summarizeStatement } from '../mitigations/model.js';
import { toOpenVex } from '../mitigations/index.js';
import { toCycloneDxVex } from './cyclonedx.js';

export function renderMitigations(r: MitigationsResult, format: 'table' | 'json' | 'openvex' | 'cyclonedx', now: Date): string {
  if (format === 'json') {
    return `${JSON.stringify({
      chart: r.chart, provenance: r.provenance, trust: r.trust, documents: r.documents, statements: r.statements.map(summarizeStatement), warnings: r.warnings,
    }, null, 2)}\n`;
  }
  if (format === 'openvex') {
    return `${JSON.stringify(toOpenVex(r.statements, { author: `${r.chart.name} chart authors (security-mitigation.yaml)`, timestamp: now }), null, 2)}\n`;
  }
  if (format === 'cyclonedx') {
    return `${JSON.stringify(toCycloneDxVex(r.statements, { author: `${r.chart.name} chart authors (security-mitigation.yaml)`, timestamp: now, chart: r.chart }), null, 2)}\n`;
  }
  const out: string[] = [
    `${r.chart.name} ${r.chart.version}  ${r.chart.digest}`,
    `  from ${r.chart.url} (digest checked against the repository index)`,
    `  ${r.trust.trusted ? 'notes trusted' : 'notes NOT trusted'} in a scan: ${r.trust.reason}`,
  ];
  if (r.documents.length === 0) {
    out.push('', `No mitigation notes: neither ${r.chart.name} nor its subcharts have a security-mitigation.yaml.`);
  }
  for (const doc of r.documents) {
    out.push('', doc.source);
    if (doc.summary) out.push(`  ${doc.summary}`);
    if (doc.securityAdvisoryUrl) out.push(`  advisories: ${doc.securityAdvisoryUrl}`);
    if (doc.external) out.push(`  notes also at ${doc.external.url}${doc.external.declared ? '' : ' (named, but useMitigationExternalFile is not set)'}`);
    const mine = r.statements.filter((s) => s.source === doc.source || (doc.external !== null && s.source === doc.external.url));
    for (const s of mine) {
      out.push(`  - ${[s.vulnerability, ...s.aliases].join(', ')}  ${scopeToString(s.scope)}${s.source !== doc.source ? '  (external file)' : ''}`);
      if (s.note) out.push(`    ${s.note}`);
    }
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}
