/**
 * The scan report's formats, each writer loaded when its format is asked for: the JSON writer
 * is one line, the others (tables, HTML, SARIF, CycloneDX, Markdown) are src/report/index.ts's
 * bundle, which a scan writing JSON only never loads (~2 ms a start).
 */
import type { ReportWriter } from './types.js';

/** The writers' ids, in src/report/index.ts's order (a test holds them to it). */
export const formatIds = ['table', 'json', 'sarif', 'cyclonedx', 'html', 'markdown'] as const;
export type FormatId = (typeof formatIds)[number];

export async function writerFor(id: FormatId): Promise<ReportWriter> {
  if (id === 'json') return (await import('./json.js')).json;
  return (await import('./index.js')).writers[id];
}
