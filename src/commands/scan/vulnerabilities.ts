/**
 * Chooses the advisory source and matches the packages of the images: the local database, or
 * the OSV API when asked (--online) or when there is no database and the network is allowed.
 * Whatever could not be examined is a gap: an empty database, one without records of an
 * ecosystem the images need, no database with --offline, a source that did not answer.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, ImagePackage } from '../../model/advisory.js';
import type { Gap, ReportImage, VulnerabilitySource } from '../../model/report.js';
import { findingsFor, packagesOfImages } from '../../vuln/index.js';
import { baseEcosystem, DB_FILE, memoryDb, openDb, type DbStatus } from '../../vuln/db/store.js';
import { dataAgeDays, STALE_AFTER_DAYS } from '../../vuln/db/status.js';
import { exists, type Env } from '../context.js';
import { dbDirOf } from '../db-dir.js';
import { templateCache } from '../chart-input.js';
import { SOURCE_BUILD } from '../../cache/templates.js';

export interface VulnerabilityOptions {
  db?: string;
  offline: boolean;
  online: boolean;
  osvUrl?: string;
  /** Overall deadline for the OSV API (ms). */
  deadlineMs?: number;
  /** Said on stderr (on a terminal) while a source is retried. */
  onRetry?: (message: string) => void;
  /** Where matches against a database file are kept between scans (none: matched every time). */
  templateCache?: string;
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
  if (!opts.online && exists(join(dir, DB_FILE))) return fromDatabase(dir, inventory.packages, gaps, e, opts.templateCache);
  if (opts.offline) {
    const why = `no vulnerability database in ${dir} and --offline given: ${inventory.packages.length} packages not checked (run chartaudit db update, or db import)`;
    return { findings: [], gaps: [...gaps, { scope: 'vulnerabilities', reason: why }], warnings: [why], source: null };
  }
  return fromOsvApi(inventory.packages, gaps, opts);
}

function fromDatabase(dir: string, packages: ImagePackage[], gaps: Gap[], e: Env, cacheDir: string | undefined): VulnerabilityResult {
  const kept = keptMatches(dir, packages, cacheDir);
  const hit = kept?.get();
  if (hit !== undefined) return judged(hit.status, packages, gaps, e, () => hit);
  let matched: Matched | undefined;
  const db = openDb(dir, { readonly: true });
  try {
    const status = db.status();
    const result = judged(status, packages, gaps, e, (covered) => (matched = { status, ...findingsFor(covered, db) }));
    if (matched !== undefined) kept?.put(matched);
    return result;
  } finally {
    db.close();
  }
}

/** What matching the packages against one database file gave: its status, the findings and the gaps. */
interface Matched {
  status: DbStatus;
  findings: Finding[];
  gaps: Gap[];
}

/**
 * The result from a database's status and its matches (`match`, given the packages of
 * ecosystems it has records of): the data's age is reckoned from now at every scan.
 */
function judged(status: DbStatus, packages: ImagePackage[], gaps: Gap[], e: Env, match: (covered: ImagePackage[]) => { findings: Finding[]; gaps: Gap[] }): VulnerabilityResult {
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
  const r = match(covered);
  return { findings: r.findings, gaps: [...gaps, ...r.gaps], warnings, source };
}

const MATCHES_FORMAT = 'chartaudit matches 1';
/** An entry larger than this is not read (a scan's findings: tens of kilobytes). */
const MAX_MATCHES_ENTRY = 64 * 1024 * 1024;


/**
 * The matches of these packages against this database file, kept in the template cache as
 * `matches-<id>.json` by its seen-once rule: a scan of the same images with other values (or of
 * another chart with the same images) reads them back instead of opening the database. The id
 * hashes the build, the file's path and identity (device, inode, size, modification and change
 * times in nanoseconds: an import or update writes a new file, any write changes them) and the
 * packages as listed; the data's age and the gaps of ecosystems without records are worked out
 * at each scan.
 */
function keptMatches(dir: string, packages: ImagePackage[], cacheDir: string | undefined): { get(): Matched | undefined; put(m: Matched): void } | undefined {
  const store = templateCache(cacheDir);
  if (store === undefined || SOURCE_BUILD === undefined) return undefined;
  const file = join(dir, DB_FILE);
  let identity: string;
  try {
    const st = statSync(file, { bigint: true });
    identity = [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':');
  } catch {
    return undefined;
  }
  const id = `matches-${store.hash(MATCHES_FORMAT, SOURCE_BUILD, file, identity, JSON.stringify(packages))}`;
  return {
    // a damaged entry is matched afresh and written again
    get: () => asMatched(store.readJson(id, MAX_MATCHES_ENTRY)),
    put: (m) => store.keep(id, () => `${JSON.stringify({ format: MATCHES_FORMAT, status: m.status, findings: m.findings, gaps: m.gaps })}\n`),
  };
}

/** The entry's matches when it has the shape this build writes. */
function asMatched(o: unknown): Matched | undefined {
  if (o === null || typeof o !== 'object') return undefined;
  const e = o as Record<string, unknown>;
  const status = e.status as DbStatus | null | undefined;
  if (e.format !== MATCHES_FORMAT || !Array.isArray(e.findings) || !Array.isArray(e.gaps)) return undefined;
  if (status === null || typeof status !== 'object' || typeof status.counts !== 'object' || status.counts === null || typeof status.records !== 'object' || status.records === null) return undefined;
  return { status, findings: e.findings as Finding[], gaps: e.gaps as Gap[] };
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
