/**
 * `chartaudit db update`: downloads OSV's per-ecosystem dumps (`<baseUrl>/<ECOSYSTEM>/all.zip`)
 * and, when asked, NVD's JSON 2.0 feeds (`<nvd.baseUrl>/nvdcve-2.0-<year>.json.gz`), then imports
 * them all with one atomic swap (import.ts). Downloads go to a temporary folder inside the
 * database directory, removed afterwards. Any source that still fails after its retries fails
 * the whole update with a DownloadError (an InputError: exit 2) and the database is untouched.
 */
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DownloadError, download, makeDispatcher } from './http.js';
import type { DownloadProgress, FetchOptions } from './http.js';
import { importPathsLocked, withDbLock } from './import.js';
import type { ImportInput, ImportLimits, ImportProgress, ImportSummary } from './import.js';

export const DEFAULT_OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';
export const DEFAULT_NVD_BASE_URL = 'https://nvd.nist.gov/feeds/json/cve/2.0';
/** What `db update` fetches without `--ecosystem`: the data chart images map to today. */
export const DEFAULT_ECOSYSTEMS = ['Bitnami'];
/** Per source: the dumps are megabytes (NVD's feeds tens of them), downloaded on slow links too. */
export const DEFAULT_UPDATE_DEADLINE_MS = 600_000;

export interface NvdUpdateOptions {
  /** Where `nvdcve-2.0-<year>.json.gz` files live (default NVD's feed URL). */
  baseUrl?: string;
  /** Feed names: years (2002…) or `modified` / `recent`. Default: 2002 to the current year. */
  feeds?: (number | string)[];
}

export type UpdateProgress = DownloadProgress | ImportProgress | { phase: 'downloaded'; url: string; bytes: number; attempts: number };

export interface UpdateOptions {
  /** OSV bucket URL (default DEFAULT_OSV_BASE_URL). */
  baseUrl?: string;
  /** OSV ecosystems, as in the bucket's folders (`Bitnami`, `PyPI`, `Debian`, …). */
  ecosystems?: string[];
  /** Also fetch NVD feeds. */
  nvd?: NvdUpdateOptions;
  fetch?: FetchOptions;
  /**
   * Most time one source (one URL: every try and backoff) may take (default
   * DEFAULT_UPDATE_DEADLINE_MS); `fetch.deadlineMs` is the same setting.
   */
  deadlineMs?: number;
  /** Called before each retry with one line naming the URL and the problem (a progress line on a terminal). */
  onRetry?: (message: string) => void;
  onProgress?: (p: UpdateProgress) => void;
  now?: Date;
  limits?: ImportLimits;
}

export interface UpdateSummary extends ImportSummary {
  downloads: { url: string; bytes: number; attempts: number }[];
}

/** The URLs an update fetches, with the source names they are recorded under. */
export function updatePlan(options: UpdateOptions = {}): { url: string; source: string; file: string }[] {
  const base = (options.baseUrl ?? DEFAULT_OSV_BASE_URL).replace(/\/+$/, '');
  const plan: { url: string; source: string; file: string }[] = [];
  for (const eco of options.ecosystems ?? DEFAULT_ECOSYSTEMS) {
    plan.push({ url: `${base}/${encodeURIComponent(eco)}/all.zip`, source: `osv:${eco}`, file: `osv-${eco.replace(/[^A-Za-z0-9._-]/g, '_')}.zip` });
  }
  if (options.nvd) {
    const nbase = (options.nvd.baseUrl ?? DEFAULT_NVD_BASE_URL).replace(/\/+$/, '');
    const year = (options.now ?? new Date()).getUTCFullYear();
    const feeds = options.nvd.feeds ?? Array.from({ length: year - 2002 + 1 }, (_, i) => 2002 + i);
    for (const f of feeds) {
      const name = `nvdcve-2.0-${f}.json.gz`;
      plan.push({ url: `${nbase}/${name}`, source: `nvd:${f}`, file: name });
    }
  }
  return plan;
}

/** Downloads every source, then imports them in one atomic swap (holding the database lock throughout). */
export async function updateDb(dbDir: string, options: UpdateOptions = {}): Promise<UpdateSummary> {
  const plan = updatePlan(options);
  mkdirSync(dbDir, { recursive: true });
  return withDbLock(dbDir, async () => {
    const tmp = mkdtempSync(join(dbDir, '.download-'));
    const dispatcher = makeDispatcher(options.fetch);
    try {
      const downloads: UpdateSummary['downloads'] = [];
      const inputs: ImportInput[] = [];
      for (const p of plan) {
        const dest = join(tmp, p.file);
        const r = await download(p.url, dest, {
          ...options.fetch,
          deadlineMs: options.deadlineMs ?? options.fetch?.deadlineMs ?? DEFAULT_UPDATE_DEADLINE_MS,
          dispatcher,
          ...(options.onRetry ? { onRetry: options.onRetry } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        }).catch((e: unknown) => {
          throw withNotFoundHint(e, p.source);
        });
        downloads.push({ url: p.url, ...r });
        options.onProgress?.({ phase: 'downloaded', url: p.url, ...r });
        inputs.push({ path: dest, source: p.source, location: p.url });
      }
      const summary = await importPathsLocked(inputs, dbDir, {
        ...(options.now ? { now: options.now } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
      });
      return { ...summary, downloads };
    } finally {
      await dispatcher.close().catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

/** A 404 here means a wrong base URL or name, not a network fault: say which setting to check. */
function withNotFoundHint(e: unknown, source: string): unknown {
  if (!(e instanceof DownloadError) || !/: HTTP 404\b/.test(e.message)) return e;
  const hint = source.startsWith('osv:')
    ? 'is the ecosystem spelled as OSV does, e.g. Bitnami or PyPI, and --osv-base-url right?'
    : 'is --nvd-base-url right?';
  return new DownloadError(`${e.message} (${hint})`, e.url, e.attempts);
}

/**
 * An onProgress handler that writes short progress lines (e.g. to stderr), each without its
 * line break: one per download step at most every `intervalMs`, and the end of each source's
 * import. Retries are not among them: `onRetry` tells of those.
 */
export function progressPrinter(write: (line: string) => void, intervalMs = 1000): (p: UpdateProgress) => void {
  let last = 0;
  const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
  return (p) => {
    const now = Date.now();
    if (p.phase === 'download') {
      if (p.retryInMs !== undefined) return; // retries are told through onRetry (the CLI: on a terminal only)
      if (now - last < intervalMs) return;
      last = now;
      write(`downloading ${p.url}: ${mib(p.bytes)}${p.total ? ` of ${mib(p.total)}` : ''} MiB`);
    } else if (p.phase === 'downloaded') write(`downloaded ${p.url} (${mib(p.bytes)} MiB)`);
    else if (p.phase === 'finish') write(`imported ${p.source}: ${p.records} records read`);
    else if (now - last >= intervalMs) {
      last = now;
      write(`importing ${p.source}: ${p.records}${p.total ? ` of ${p.total}` : ''}`);
    }
  };
}
