/**
 * The distinct versions named in the real Bitnami advisory database, read (never copied) from
 * `../shared/osv/bitnami-all.zip` beside the checkout (bitnami/vulndb @0054d6e3, flattened
 * into OSV's per-ecosystem all.zip layout) with the project's zip reader. Throws when the
 * file is not there (test/helpers/shared.ts): CI always has it.
 */
import { sharedZipEntries } from '../../../test/helpers/shared.js';

interface OsvLike {
  affected?: { ranges?: { events?: Record<string, string>[] }[]; versions?: string[] }[];
}

/** Every distinct event and `versions[]` string in the database. */
export function bitnamiDbVersions(): string[] {
  const seen = new Set<string>();
  for (const { name, data } of sharedZipEntries('osv', 'bitnami-all.zip')) {
    if (!name.endsWith('.json')) continue;
    const rec = JSON.parse(data.toString('utf8')) as OsvLike;
    for (const a of rec.affected ?? []) {
      for (const v of a.versions ?? []) seen.add(v);
      for (const r of a.ranges ?? []) for (const e of r.events ?? []) for (const v of Object.values(e)) seen.add(v);
    }
  }
  return [...seen].sort();
}
