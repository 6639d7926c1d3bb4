/** Where chartaudit keeps its cache: `$XDG_CACHE_HOME/chartaudit`, else `~/.cache/chartaudit`. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(base, 'chartaudit');
}
