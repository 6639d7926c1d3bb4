/**
 * Matching NVD CVE records (converted on import, see vuln/db/nvd.ts) against a package
 * through a CPE vendor/product. NVD's bounds include `versionStartExcluding`, which OSV events
 * cannot express, so they are evaluated here from the raw bounds kept in each affected
 * entry's `database_specific`, with the package's own version scheme: never as strings.
 */
import type { OsvAffected, OsvRecord } from '../model/advisory.js';
import type { VersionScheme } from '../versioning/types.js';
import type { AffectedMatch } from './match.js';

interface Bounds {
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
  exactVersion?: string;
  version?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** One CPE match: affected, not, or indeterminate (a bound the scheme cannot read). */
function matchBounds(version: string, b: Bounds, scheme: VersionScheme): AffectedMatch {
  const bounds = [b.versionStartIncluding, b.versionStartExcluding, b.versionEndIncluding, b.versionEndExcluding, b.exactVersion].filter((x): x is string => x !== undefined);
  const bad = bounds.find((x) => !scheme.isValid(x));
  if (bad !== undefined) return { status: 'indeterminate', fixed: [], reason: `NVD bound ${JSON.stringify(bad)} is not a valid ${scheme.displayName}` };
  const c = (x: string) => scheme.compare(version, x);
  if (b.exactVersion !== undefined) {
    return c(b.exactVersion) === 0 ? { status: 'affected', fixed: [], reason: null } : { status: 'not-affected', fixed: [], reason: null };
  }
  const noBounds = bounds.length === 0;
  if (noBounds && b.version === '-') return { status: 'indeterminate', fixed: [], reason: 'NVD names no version for this CPE' };
  let ok = true;
  if (b.versionStartIncluding !== undefined) ok &&= c(b.versionStartIncluding) >= 0;
  if (b.versionStartExcluding !== undefined) ok &&= c(b.versionStartExcluding) > 0;
  if (b.versionEndIncluding !== undefined) ok &&= c(b.versionEndIncluding) <= 0;
  if (b.versionEndExcluding !== undefined) ok &&= c(b.versionEndExcluding) < 0;
  if (!ok) return { status: 'not-affected', fixed: [], reason: null };
  return { status: 'affected', fixed: b.versionEndExcluding !== undefined ? [b.versionEndExcluding] : [], reason: null };
}

export function matchCpeRecord(record: OsvRecord, vendor: string, product: string, version: string, scheme: VersionScheme): AffectedMatch {
  const name = `${vendor}:${product}`.toLowerCase();
  const entries = (record.affected ?? []).filter((a: OsvAffected) => a.package?.ecosystem === 'CPE' && a.package.name.toLowerCase() === name);
  let result: AffectedMatch = { status: 'not-affected', fixed: [], reason: null };
  for (const e of entries) {
    const ds = (e.database_specific ?? {}) as Record<string, unknown>;
    const m = matchBounds(version, {
      versionStartIncluding: text(ds.versionStartIncluding), versionStartExcluding: text(ds.versionStartExcluding),
      versionEndIncluding: text(ds.versionEndIncluding), versionEndExcluding: text(ds.versionEndExcluding),
      exactVersion: text(ds.exactVersion), version: text(ds.version),
    }, scheme);
    if (m.status === 'affected') {
      result = result.status === 'affected' ? { ...result, fixed: [...new Set([...result.fixed, ...m.fixed])] } : m;
    } else if (m.status === 'indeterminate' && result.status === 'not-affected') {
      result = m;
    }
  }
  return result;
}
