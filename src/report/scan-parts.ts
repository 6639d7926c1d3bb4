/**
 * Pieces of the scan report that the SARIF, CycloneDX and Markdown writers read alike: where a
 * template lies inside the chart's own files, posture findings when the scan carries them, and
 * severity order.
 */
import type { Finding, Severity } from '../model/advisory.js';
import type { ReportChartNode, ReportImage, ReportPostureFinding, ScanReport } from '../model/report.js';

export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE', 'UNKNOWN'];
export const severityOrder = (s: Severity): number => SEVERITIES.indexOf(s);

/**
 * Posture findings, once the scan report carries them. The field is being added to ScanReport
 * separately; until it exists (or when a scan did not judge posture) there are none.
 */
export function postureFindingsOf(report: ScanReport): ReportPostureFinding[] {
  const posture = (report as unknown as { posture?: unknown }).posture;
  const list = Array.isArray(posture) ? posture : (posture as { findings?: unknown } | null | undefined)?.findings;
  return Array.isArray(list) ? (list as ReportPostureFinding[]) : [];
}

/**
 * A template of a chart instance as a path from the top chart's root: instance paths use
 * aliases (`storefront/charts/queue`), while the files lie under the subchart's name
 * (`charts/redis/templates/…`), so each level is looked up in the chart tree.
 */
export function templatePathInChart(instance: string, template: string, charts: readonly ReportChartNode[]): string {
  const segments = instance.split('/charts/');
  const dirs: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const path = segments.slice(0, i + 1).join('/charts/');
    dirs.push('charts', charts.find((c) => c.path === path)?.name ?? segments[i]!);
  }
  return [...dirs, template].join('/');
}

/** Every image the scan lists, workloads first. */
export const allImages = (report: ScanReport): ReportImage[] => [...report.images, ...report.customResourceImages];

export const imageOf = (report: ScanReport, ref: string): ReportImage | undefined => allImages(report).find((i) => i.ref === ref);

/** Clauses joined with `; `, each without its own final full stop (notes usually end with one). */
export const clauses = (parts: (string | null | undefined | false)[]): string =>
  parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim().replace(/\.+$/, '')).join('; ');

/** `id (alias, alias)` for one line of text. */
export const findingTitle = (f: Finding): string => `${f.id}${f.aliases.length ? ` (${f.aliases.join(', ')})` : ''}`;
