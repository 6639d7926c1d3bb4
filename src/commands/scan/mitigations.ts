/**
 * Mitigation statements applied to the findings (DESIGN.md "Mitigations"): the chart's own
 * security-mitigation.yaml files, trusted only when its provenance is verified (an external
 * notes file they point to is fetched when the network is allowed, and is never trusted: the
 * signature does not cover it); --vex documents and the ignore file, trusted.
 */
import type { ChartNode } from '../../model/chart.js';
import type { Finding } from '../../model/advisory.js';
import type { Gap, ReportImage, ReportPostureFinding } from '../../model/report.js';
import { postureAsFindings } from './posture.js';
import {
  applyStatements, collectChartNotes, DEFAULT_IGNORE_FILE, readChartCenter, readIgnoreFile, readVexFile, summarizeStatement,
} from '../../mitigations/index.js';
import { exists, readInput, type Env } from '../context.js';

export interface MitigationOptions {
  offline: boolean;
  /** --vex FILE (repeatable): OpenVEX or CycloneDX VEX documents; trusted. */
  vex: string[];
  /** --ignore-file FILE; default `.chartaudit-ignore.yaml` in the working directory when present. */
  ignoreFile?: string;
  deadlineMs?: number;
}

export async function mitigationStage(findings: Finding[], tree: ChartNode, imgs: ReportImage[], verified: boolean, opts: MitigationOptions, e: Env, posture: readonly ReportPostureFinding[] = []) {
  const notes = collectChartNotes(tree, verified);
  const statements = [...notes.statements];
  const warnings = [...notes.warnings];
  const gaps: Gap[] = [];
  for (const doc of notes.documents) {
    if (!doc.external) continue;
    if (opts.offline) {
      gaps.push({ scope: doc.source, reason: `external mitigation notes at ${doc.external.url} not fetched (--offline)` });
      continue;
    }
    try {
      const { fetchText } = await import('../../repo/index.js');
      const text = await fetchText(doc.external.url, { what: 'external mitigation notes', retries: 1, ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}) });
      const r = readChartCenter(text, doc.external.url, { trusted: false, chart: doc.chart.split('/').pop()! });
      statements.push(...r.statements);
      warnings.push(...r.warnings);
    } catch (err) {
      if (!(err instanceof Error) || err.name !== 'InputError') throw err;
      // The message names what and where: "external mitigation notes: <URL>: <problem>".
      gaps.push({ scope: doc.source, reason: err.message });
    }
  }
  for (const f of opts.vex) {
    const r = readVexFile(readInput(f, 'VEX document'), f);
    statements.push(...r.statements);
    warnings.push(...r.warnings);
  }
  const ignore = opts.ignoreFile ?? (exists(DEFAULT_IGNORE_FILE) ? DEFAULT_IGNORE_FILE : undefined);
  if (ignore) {
    const r = readIgnoreFile(readInput(ignore, 'ignore file'), ignore);
    statements.push(...r.statements);
    warnings.push(...r.warnings);
  }
  // Posture findings go through the same matcher: their check id is the id statements name.
  const asFindings = postureAsFindings(posture);
  const applied = applyStatements([...findings, ...asFindings.findings], statements, {
    chartTree: tree, now: e.now, images: [...imgs, ...asFindings.sources], resourceOf: (f) => asFindings.resourceOf.get(f),
  });
  const judged = applied.findings.slice(findings.length);
  return {
    findings: applied.findings.slice(0, findings.length),
    posture: posture.map((p, i) => ({ ...p, state: judged[i]!.state, mitigation: judged[i]!.mitigation })),
    unused: applied.unused.map(summarizeStatement),
    expired: applied.expired.map(summarizeStatement),
    warnings,
    gaps,
  };
}
