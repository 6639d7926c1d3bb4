/**
 * `chartaudit cache status | prune`: the content-addressed blob cache of pulled images, and the
 * parsed chart templates kept between renders.
 */
import { UsageError } from '../model/errors.js';
import { BlobCache, type CacheStatus } from '../cache/blobs.js';
import { defaultCacheDir } from '../cache/paths.js';
import { TemplateTreeCache } from '../cache/templates.js';
import type { Env } from './context.js';

/** What `cache prune` keeps when no --max-size is given. */
export const DEFAULT_CACHE_MAX = '5GiB';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** `5GiB`, `500MB`, `0`, `1048576` → bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`--max-size takes a size such as 5GiB, 500MB or 0, not ${JSON.stringify(text)}`);
  return Math.floor(Number(m[1]) * unit);
}

export function cacheStatus(e: Env): CacheStatus & { templates: { count: number; bytes: number } } {
  return { ...new BlobCache({ env: e.env }).status(), templates: new TemplateTreeCache(defaultCacheDir(e.env)).status() };
}

export function cachePrune(maxSize: string | undefined, e: Env) {
  const maxBytes = parseSize(maxSize ?? DEFAULT_CACHE_MAX);
  const blobs = new BlobCache({ env: e.env }).prune({ maxBytes });
  const templates = new TemplateTreeCache(defaultCacheDir(e.env)).prune(maxBytes === 0, e.now.getTime());
  return { ...blobs, templatesRemoved: templates.removed, templatesFreedBytes: templates.freedBytes };
}
