/**
 * Mitigations: the chart authors' notes (ChartCenter `security-mitigation.yaml`), VEX documents
 * (OpenVEX 0.2.0, CycloneDX) and the consumer's ignore file, normalised into one statement model
 * and applied to findings. Pure functions: the caller reads files, fetches external notes and
 * decides trust (in-chart notes only when the provenance is `verified`; user files always).
 */
import { createHash } from 'node:crypto';
import type { ChartNode } from '../model/chart.js';
import { InputError } from '../model/errors.js';
import { readChartCenter } from './chartcenter.js';
import { readCycloneDx, isCycloneDx } from './cyclonedx.js';
import { readOpenVex, isOpenVexContext } from './openvex.js';
import { readIgnore } from './ignore.js';
import { isRecord } from './common.js';
import { scopeToString, type ReadResult, type Statement } from './model.js';

export * from './model.js';
export { applyStatements, isExpired, type ApplyContext, type ApplyResult } from './apply.js';
export { readChartCenter, type ChartCenterResult, type ChartCenterOptions } from './chartcenter.js';
export { readOpenVex } from './openvex.js';
export { readCycloneDx } from './cyclonedx.js';
export { readIgnore } from './ignore.js';

export const NOTES_FILE = 'security-mitigation.yaml';
export const DEFAULT_IGNORE_FILE = '.chartaudit-ignore.yaml';

/** The notes file of one chart in the tree, with what the caller may show or fetch. */
export interface ChartNotesDocument {
  /** The chart instance's path, e.g. `storefront/charts/queue`. */
  chart: string;
  /** `storefront/charts/queue/security-mitigation.yaml`. */
  source: string;
  summary: string | null;
  securityAdvisoryUrl: string | null;
  external: { url: string; declared: boolean } | null;
}

export interface ChartNotes extends ReadResult {
  documents: ChartNotesDocument[];
}

/**
 * Reads `security-mitigation.yaml` at the root of the chart and of every subchart (each chart
 * once, also when aliased twice; disabled subcharts too: their notes just won't match). A file
 * that cannot be read is a warning, not a failure: the chart can still be audited.
 */
export function collectChartNotes(tree: ChartNode, trusted: boolean): ChartNotes {
  const statements: Statement[] = [];
  const warnings: string[] = [];
  const documents: ChartNotesDocument[] = [];
  const seen = new Set<object>();
  const walk = (node: ChartNode) => {
    if (!seen.has(node.chart)) {
      seen.add(node.chart);
      const file = node.chart.files.find((f) => f.name === NOTES_FILE);
      if (file) {
        const source = `${node.path}/${NOTES_FILE}`;
        try {
          const r = readChartCenter(file.data, source, { trusted, chart: node.chart.metadata.name || node.name });
          statements.push(...r.statements);
          warnings.push(...r.warnings);
          documents.push({ chart: node.path, source, summary: r.summary, securityAdvisoryUrl: r.securityAdvisoryUrl, external: r.external });
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          warnings.push(`${e.message} (notes ignored)`);
        }
      }
    }
    for (const c of node.children) walk(c);
  };
  walk(tree);
  return { statements, warnings, documents };
}

/** A `--vex FILE`: OpenVEX 0.2.0 or CycloneDX VEX (JSON), told apart by content. Trusted: the user passed it. */
export function readVexFile(bytes: Buffer | string, name: string): ReadResult {
  let doc: unknown;
  try {
    doc = JSON.parse((Buffer.isBuffer(bytes) ? bytes.toString('utf8') : bytes).replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(`${name}: not a VEX document: not valid JSON (${(e as Error).message})`, name);
  }
  if (isRecord(doc) && isOpenVexContext(doc['@context'])) return readOpenVex(doc, name, { trusted: true });
  if (isCycloneDx(doc)) return readCycloneDx(doc, name, { trusted: true });
  throw new InputError(`${name}: not a VEX document: neither OpenVEX (@context https://openvex.dev/ns…) nor CycloneDX (bomFormat CycloneDX)`, name);
}

/** `--ignore-file FILE` / `.chartaudit-ignore.yaml`. */
export function readIgnoreFile(bytes: Buffer | string, name: string): ReadResult {
  return readIgnore(bytes, name);
}

function productOf(s: Statement): { '@id': string } | null {
  const sc = s.scope;
  switch (sc.kind) {
    case 'helm':
      return { '@id': `pkg:helm/${sc.namespace ? `${sc.namespace.split('/').map(encodeURIComponent).join('/')}/` : ''}${encodeURIComponent(sc.chart)}` };
    case 'docker':
      return { '@id': `pkg:oci/${encodeURIComponent(sc.repository.split('/').pop()!)}?repository_url=${sc.registry}/${sc.repository}` };
    case 'purl':
      return { '@id': sc.purl };
    case 'any':
      return null;
  }
}

/**
 * Notes as an OpenVEX 0.2.0 document (`mitigations --format openvex`): status
 * `under_investigation` unless the statement has one; version constraints, which OpenVEX cannot
 * express, go into `status_notes`; the document `@id` is derived from its content.
 */
export function toOpenVex(statements: Statement[], opts: { author: string; timestamp: Date | string; role?: string }): Record<string, unknown> {
  const timestamp = typeof opts.timestamp === 'string' ? opts.timestamp : opts.timestamp.toISOString();
  const out = statements.map((s) => {
    const status = s.status ?? 'under_investigation';
    const st: Record<string, unknown> = { vulnerability: { name: s.vulnerability, ...(s.aliases.length ? { aliases: [...s.aliases] } : {}) } };
    const product = productOf(s);
    if (product) {
      const p: Record<string, unknown> = { ...product };
      if (s.subcomponents?.length) p['subcomponents'] = s.subcomponents.map((x) => ({ '@id': x }));
      st['products'] = [p];
    }
    st['status'] = status;
    const constraint = s.scope.kind === 'helm' || s.scope.kind === 'docker' ? s.scope.versionConstraint : undefined;
    const notes = [
      s.note,
      constraint ? `applies to ${s.scope.kind === 'helm' ? 'chart' : 'image'} versions ${constraint}` : null,
      `from ${s.source}${s.status === null ? ' (a ChartCenter note without status: review before changing it)' : ''}`,
    ].filter((x): x is string => !!x);
    st['status_notes'] = notes.join('; ');
    if (status === 'not_affected') {
      if (s.justification) st['justification'] = s.justification;
      else st['impact_statement'] = s.note ?? 'no impact statement given';
    }
    if (status === 'affected') st['action_statement'] = s.note ?? 'no action statement given';
    if (s.expires) st['status_notes'] += `; expires ${s.expires.toISOString()}`;
    return st;
  });
  const body = { author: opts.author, ...(opts.role ? { role: opts.role } : {}), timestamp, version: 1, statements: out };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return { '@context': 'https://openvex.dev/ns/v0.2.0', '@id': `https://openvex.dev/docs/public/vex-${hash}`, ...body };
}

/** One line per statement, for the `mitigations` table. */
export function describeStatement(s: Statement): string {
  return `${s.vulnerability}${s.aliases.length ? ` (${s.aliases.join(', ')})` : ''} ${scopeToString(s.scope)}${s.status ? ` ${s.status}` : ''}`;
}
