/** `chartaudit db status`: text and JSON renderings of VulnDb.status(). */
import type { DbStatus } from './store.js';
import { formatBytes } from '../../report/units.js';

/** A source older than this makes status warn. */
export const STALE_AFTER_DAYS = 7;
const DAY = 86_400_000;

export interface StatusReport extends DbStatus {
  /** Age in days of the data: since the newest record's `modified`; null when there is none. */
  ageDays: number | null;
  stale: boolean;
  warnings: string[];
}

/** The status with its age and warnings, as of `now`. */
export function statusReport(status: DbStatus, now: Date): StatusReport {
  const newest = status.newestRecord ? Date.parse(status.newestRecord) : NaN;
  const ageDays = dataAgeDays(status, now);
  const warnings: string[] = [];
  let stale = false;
  if (status.records.total === 0) {
    stale = true;
    warnings.push('the vulnerability database is empty: run `chartaudit db update` or `chartaudit db import <path>`');
  } else if (ageDays !== null && ageDays > STALE_AFTER_DAYS) {
    stale = true;
    warnings.push(`the vulnerability data is ${ageDays} days old (newest record modified ${new Date(newest).toISOString()}): run \`chartaudit db update\``);
  }
  return { ...status, ageDays, stale, warnings };
}

/** Whole days since the newest record was modified; null when the database has none. */
export function dataAgeDays(status: Pick<DbStatus, 'newestRecord'>, now: Date): number | null {
  const t = status.newestRecord ? Date.parse(status.newestRecord) : NaN;
  return Number.isNaN(t) ? null : Math.max(0, Math.floor((now.getTime() - t) / DAY));
}

export function renderStatusJson(status: DbStatus, now: Date): string {
  return JSON.stringify(statusReport(status, now), null, 2) + '\n';
}


function age(days: number | null): string {
  if (days === null) return '';
  return days === 0 ? ' (today)' : days === 1 ? ' (1 day ago)' : ` (${days} days ago)`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function renderStatusText(status: DbStatus, now: Date): string {
  const r = statusReport(status, now);
  const out: string[] = [];
  out.push(`database:     ${r.path} (${formatBytes(r.sizeBytes)}, schema ${r.schemaVersion})`);
  out.push(`last update:  ${r.lastUpdate ?? 'never'}`);
  out.push(`newest data:  ${r.newestRecord ?? 'none'}${age(r.ageDays)}`);
  out.push(`records:      ${r.records.total}${r.records.withdrawn ? ` (${r.records.withdrawn} withdrawn)` : ''}`);
  const ecos = Object.keys(r.counts).sort();
  if (ecos.length) {
    out.push('ecosystems:');
    out.push(...table([['ECOSYSTEM', 'RECORDS', 'PACKAGES'], ...ecos.map((e) => [e, String(r.counts[e]), String(r.packages[e] ?? 0)])]));
  }
  if (r.sources.length) {
    out.push('sources:');
    out.push(...table([['NAME', 'RECORDS', 'IMPORTED', 'LOCATION'], ...r.sources.map((s) => [s.name, String(s.records), s.importedAt, s.location])]));
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}
