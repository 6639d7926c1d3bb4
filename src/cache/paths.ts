/** Where chartaudit keeps its cache: `$XDG_CACHE_HOME/chartaudit`, else `~/.cache/chartaudit`. */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(base, 'chartaudit');
}

/**
 * Every entry directly in `dir` with its stat (none when `dir` cannot be read). Entries removed
 * by another process meanwhile are passed over.
 */
export function filesIn(dir: string): { name: string; path: string; stat: Stats }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: { name: string; path: string; stat: Stats }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      out.push({ name, path, stat: statSync(path) });
    } catch {
      // removed by another process meanwhile
    }
  }
  return out;
}

/**
 * Every file two levels under `dir` (`<dir>/<sub>/<name>`) with its stat, for the caches' status
 * and prune.
 */
export function filesTwoDeep(dir: string): { sub: string; name: string; path: string; stat: Stats }[] {
  return filesIn(dir).flatMap(({ name: sub, path }) => filesIn(path).map((f) => ({ sub, ...f })));
}
