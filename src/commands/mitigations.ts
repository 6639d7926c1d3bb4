/**
 * `chartaudit mitigations`: resolves the repository (helm's repositories file or --repo),
 * downloads index.yaml and the chart, checks the chart's digest against the index, checks its
 * provenance when the repository has a .prov (and a keyring is at hand), and reads the
 * security-mitigation.yaml of the chart and its subcharts, following an external notes URL when
 * a file names one. Whether the notes would be trusted in a scan is said with the reason.
 * Network faults are InputErrors (exit 2).
 */
import type { MitigationsResult } from '../model/report.js';
import { loadChartArchive } from '../chart/load.js';
import { resolveChartTree } from '../chart/dependencies.js';
import { collectChartNotes, readChartCenter } from '../mitigations/index.js';
import { chartNameIn, resolveChartRef } from '../repo/repositories.js';
import { downloadChart, downloadProvenance, fetchIndex, fetchText, resolveChartVersion } from '../repo/index.js';
import type { Env } from './context.js';
import { checkProvenance } from './provenance-check.js';

export interface MitigationsOptions {
  /** `<repo>/<chart>`, or `<chart>` with --repo. */
  ref: string;
  version?: string;
  repo?: string;
  keyring?: string;
  deadlineMs?: number;
  onRetry?: (message: string) => void;
}

export async function mitigations(opts: MitigationsOptions, e: Env): Promise<MitigationsResult> {
  const net = { ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}), ...(opts.onRetry ? { onRetry: opts.onRetry } : {}) };
  const ref = resolveChartRef(opts.ref, { ...(opts.repo ? { repoUrl: opts.repo } : {}), env: e.env, home: e.home });
  const index = await fetchIndex(ref.url, { access: ref.access, ...net });
  const entry = resolveChartVersion(index, chartNameIn(ref, (n) => index.entries.has(n)), opts.version);
  const downloaded = await downloadChart(entry, ref.url, { access: ref.access, ...net });
  const prov = await downloadProvenance(entry, ref.url, { access: ref.access, ...net });
  const provenance = await checkProvenance({
    archive: downloaded.bytes, prov, filename: downloaded.fileName, provName: `${downloaded.url}.prov`, keyring: opts.keyring,
  }, e);
  const trusted = provenance.provenance.status === 'verified';
  const chart = await loadChartArchive(downloaded.bytes, downloaded.fileName);
  const notes = collectChartNotes(resolveChartTree(chart, {}), trusted);
  const statements = [...notes.statements];
  const warnings = [...provenance.warnings, ...notes.warnings];
  for (const doc of notes.documents) {
    if (!doc.external) continue;
    const text = await fetchText(doc.external.url, { what: 'external mitigation notes', ...net });
    // The signature does not cover a file outside the chart: never trusted.
    const r = readChartCenter(text, doc.external.url, { trusted: false, chart: doc.chart.split('/').pop()! });
    statements.push(...r.statements);
    warnings.push(...r.warnings);
  }
  return {
    chart: { name: chart.metadata.name, version: chart.metadata.version, digest: downloaded.digest, url: downloaded.url },
    provenance: provenance.provenance,
    trust: {
      trusted,
      reason: trusted
        ? `provenance verified: signed by ${provenance.provenance.signer ?? provenance.provenance.fingerprint}`
        : `provenance ${provenance.provenance.status}: ${provenance.provenance.reason}`,
    },
    documents: notes.documents,
    statements,
    warnings,
  };
}
