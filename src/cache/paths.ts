/** Where chartaudit keeps its cache: `$XDG_CACHE_HOME/chartaudit`, else `~/.cache/chartaudit`. */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(base, 'chartaudit');
}

/**
 * Every file two levels under `dir` (`<dir>/<sub>/<name>`) with its stat, for the caches' status
 * and prune. Entries removed by another process meanwhile are passed over.
 */
export function filesTwoDeep(dir: string): { sub: string; name: string; path: string; stat: Stats }[] {
  const out: { sub: string; name: string; path: string; stat: Stats }[] = [];
  let subs: string[];
  try {
    subs = readdirSync(dir);
  } catch {
    return out;
  }
  for (const sub of subs) {
    let names: string[];
    try {
      names = readdirSync(join(dir, sub));
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, sub, name);
      try {
        out.push({ sub, name, path, stat: statSync(path) });
      } catch {
        // removed by another process meanwhile
      }
    }
  }
  return out;
}
