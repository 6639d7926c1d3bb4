/** `chartaudit db import | update | status`: the local vulnerability database. */
import { InputError } from '../model/errors.js';
import { openDb } from '../vuln/db/store.js';
import { importPaths } from '../vuln/db/import.js';
import { updateDb, progressPrinter } from '../vuln/db/update.js';
import { renderStatusJson, renderStatusText } from '../vuln/db/status.js';
import { exists, type Env } from './context.js';
import { dbDirOf } from './db-dir.js';
import { neededEcosystems } from '../vuln/db/needed.js';

/** `db import`: every path into the database in one atomic swap. */
export async function dbImport(paths: string[], dbOpt: string | undefined, e: Env, progress?: (line: string) => void) {
  for (const p of paths) if (!exists(p)) throw new InputError(`${p}: does not exist`, p);
  return importPaths(paths.map((path) => ({ path })), dbDirOf(dbOpt, e), {
    now: e.now, ...(progress ? { onProgress: progressPrinter(progress) } : {}),
  });
}

export interface DbUpdateOptions {
  db?: string;
  ecosystems: string[];
  osvBaseUrl?: string;
  nvd: boolean;
  nvdBaseUrl?: string;
  /** Most time one download may take, retries included (ms). */
  deadlineMs?: number;
  onRetry?: (message: string) => void;
}

/**
 * `db update`: downloads, then imports with the same atomic swap; any failed source fails it.
 * Without --ecosystem: Bitnami and every ecosystem recent scans found in images.
 */
export async function dbUpdate(opts: DbUpdateOptions, e: Env, progress?: (line: string) => void) {
  const ecosystems = opts.ecosystems.length ? opts.ecosystems : [...new Set(['Bitnami', ...neededEcosystems(e.env)])];
  return updateDb(dbDirOf(opts.db, e), {
    ecosystems,
    ...(opts.osvBaseUrl ? { baseUrl: opts.osvBaseUrl } : {}),
    ...(opts.nvd ? { nvd: opts.nvdBaseUrl ? { baseUrl: opts.nvdBaseUrl } : {} } : {}),
    now: e.now,
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    ...(progress ? { onProgress: progressPrinter(progress) } : {}),
  });
}

/** `db status`: table (text) or JSON, with a warning when the data is old. */
export function dbStatus(dbOpt: string | undefined, format: 'table' | 'json', e: Env): string {
  const db = openDb(dbDirOf(dbOpt, e), { readonly: true });
  try {
    const status = db.status();
    return format === 'json' ? renderStatusJson(status, e.now) : renderStatusText(status, e.now);
  } finally {
    db.close();
  }
}
