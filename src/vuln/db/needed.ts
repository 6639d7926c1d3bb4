/**
 * The ecosystems recent scans needed, so that `db update` without `--ecosystem` downloads what
 * the user's images contain (plus Bitnami), not only what it did on the first day. One small
 * JSON file in the cache directory; scans add to it, nothing else reads it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../cache/atomic.js';
import { defaultCacheDir } from '../../cache/paths.js';
import { baseEcosystem } from './store.js';

const FILE = 'ecosystems-needed.json';
/** Ecosystem names as OSV spells its bucket folders: letters, digits, spaces, dots, dashes. */
const NAME = /^[A-Za-z][A-Za-z0-9 .-]{0,40}$/;

export function neededEcosystems(env: Record<string, string | undefined>): string[] {
  try {
    const o = JSON.parse(readFileSync(join(defaultCacheDir(env), FILE), 'utf8')) as { ecosystems?: unknown };
    return Array.isArray(o.ecosystems) ? o.ecosystems.filter((e): e is string => typeof e === 'string' && NAME.test(e)).sort() : [];
  } catch {
    return [];
  }
}

/** Adds the base ecosystems (`Debian` of `Debian:12`) of `ecosystems`; a cache that cannot be written is passed over. */
export function recordNeededEcosystems(ecosystems: Iterable<string>, env: Record<string, string | undefined>): void {
  const had = neededEcosystems(env);
  const all = new Set(had);
  for (const e of ecosystems) {
    const base = baseEcosystem(e);
    if (NAME.test(base)) all.add(base);
  }
  if (all.size === had.length) return;
  try {
    const dir = defaultCacheDir(env);
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(dir, FILE), `${JSON.stringify({ ecosystems: [...all].sort() }, null, 2)}\n`);
  } catch {
    // only a convenience for db update
  }
}
