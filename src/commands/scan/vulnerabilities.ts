/**
 * Chooses the advisory source and matches the packages of the images: the local database, or
 * the OSV API when asked (--online) or when there is no database and the network is allowed.
 * Whatever could not be examined is a gap: an empty database, one without records of an
 * ecosystem the images need, no database with --offline, a source that did not answer.
 */
import { join } from 'node:path';
import type { Finding, ImagePackage } from '../../model/advisory.js';
import type { Gap, ReportImage, VulnerabilitySource } from '../../model/report.js';
import { findingsFor, packagesOfImages } from '../../vuln/index.js';
import { baseEcosystem, DB_FILE, memoryDb, openDb, type DbStatus } from '../../vuln/db/store.js';
import { dataAgeDays, STALE_AFTER_DAYS } from '../../vuln/db/status.js';
import { exists, type Env } from '../context.js';
import { dbDirOf } from '../db-dir.js';

export interface VulnerabilityOptions {
  db?: string;
  offline: boolean;
  online: boolean;
  osvUrl?: string;
  /** Overall deadline for the OSV API (ms). */
  deadlineMs?: number;
  /** Said on stderr (on a terminal) while a source is retried. */
  onRetry?: (message: string) => void;
}

export interface VulnerabilityResult {
  findings: Finding[];
  gaps: Gap[];
  warnings: string[];
  source: VulnerabilitySource | null;
}

export async function vulnerabilityStage(imgs: ReportImage[], opts: VulnerabilityOptions, e: Env): Promise<VulnerabilityResult> {
  const inventory = packagesOfImages(imgs);
  const gaps: Gap[] = [...inventory.gaps];
  if (inventory.packages.length === 0) return { findings: [], gaps, warnings: [], source: null };
  const dir = dbDirOf(opts.db, e);
  if (!opts.online && exists(join(dir, DB_FILE))) return fromDatabase(dir, inventory.packages, gaps, e);
  if (opts.offline) {
    const why = `no vulnerability database in ${dir} and --offline given: ${inventory.packages.length} packages not checked (run chartaudit db update, or db import)`;
    return { findings: [], gaps: [...gaps, { scope: 'vulnerabilities', reason: why }], warnings: [why], source: null };
  }
  return fromOsvApi(inventory.packages, gaps, opts);
}

function fromDatabase(dir: string, packages: ImagePackage[], gaps: Gap[], e: Env): VulnerabilityResult {
  const db = openDb(dir, { readonly: true });
  try {
    const status = db.status();
    const source = databaseSource(status, e.now);
    const warnings: string[] = [];
    if (status.records.total === 0) {
      gaps.push({ scope: 'vulnerabilities', reason: `the vulnerability database ${status.path} is empty: ${packages.length} packages not checked (run chartaudit db update, or db import)` });
      return { findings: [], gaps, warnings, source };
    }
    if (source.ageDays !== null && source.ageDays > STALE_AFTER_DAYS) {
      warnings.push(`the vulnerability data is ${source.ageDays} days old (newest record modified ${status.newestRecord}): run chartaudit db update`);
    }
    // A database without any record of an ecosystem cannot say that its packages are clean.
    const covered: ImagePackage[] = [];
    const missing = new Map<string, number>();
    for (const p of packages) {
      const eco = baseEcosystem(p.ecosystem);
      if (status.counts[eco]) covered.push(p);
      else missing.set(eco, (missing.get(eco) ?? 0) + 1);
    }
    for (const [eco, n] of missing) {
      gaps.push({ scope: 'vulnerabilities', reason: `the vulnerability database has no ${eco} records: ${n} ${eco} package${n === 1 ? '' : 's'} not checked (run chartaudit db update --ecosystem ${eco})` });
    }
    const r = findingsFor(covered, db);
    return { findings: r.findings, gaps: [...gaps, ...r.gaps], warnings, source };
  } finally {
    db.close();
  }
}

function databaseSource(status: DbStatus, now: Date): VulnerabilitySource & { kind: 'database' } {
  return {
    kind: 'database',
    path: status.path,
    sources: status.sources.map((s) => ({ name: s.name, location: s.location, importedAt: s.importedAt })),
    newestRecord: status.newestRecord,
    ageDays: dataAgeDays(status, now),
  };
}

async function fromOsvApi(packages: ImagePackage[], gaps: Gap[], opts: VulnerabilityOptions): Promise<VulnerabilityResult> {
  const { queryOsv, DEFAULT_OSV_URL } = await import('../../vuln/online/osv-api.js');
  const url = opts.osvUrl ?? DEFAULT_OSV_URL;
  const online = await queryOsv(packages.map((p) => ({ ecosystem: p.ecosystem, name: p.name, version: p.version })), {
    baseUrl: url,
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
  });
  const r = findingsFor(packages, memoryDb(online.records, { source: url }));
  return { findings: r.findings, gaps: [...gaps, ...online.gaps, ...r.gaps], warnings: [], source: { kind: 'osv-api', url } };
}
