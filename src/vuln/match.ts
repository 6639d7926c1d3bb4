/**
 * Whether a package version is affected by an OSV record, exactly as the OSV schema's
 * evaluation rules say (https://ossf.github.io/osv-schema/#evaluation): a version is
 * affected if it is listed in `versions`, or if a SEMVER or ECOSYSTEM range says so after
 * sorting its events (`introduced` "0" first), and it lies below some `limit` (or there is
 * none). Versions are compared with the ecosystem's scheme, never as strings. GIT ranges
 * cannot be evaluated for a released package and are reported as such. When a version in
 * the record cannot be read, the answer is `indeterminate`, with the reason: never a guess.
 */
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord } from '../model/advisory.js';
import type { VersionScheme } from '../versioning/types.js';

export type MatchStatus = 'affected' | 'not-affected' | 'indeterminate';

export interface AffectedMatch {
  status: MatchStatus;
  /** `fixed` versions above the package version in the ranges that affect it, sorted. */
  fixed: string[];
  /** Why the answer is indeterminate (or a note such as "GIT range not evaluated"). */
  reason: string | null;
}

const eventVersion = (e: OsvEvent): string | undefined => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;

/** Evaluates one range; throws RangeVersionError when one of its versions is not valid. */
function rangeAffects(version: string, range: OsvRange, scheme: VersionScheme): { affected: boolean; fixed: string[] } {
  const events = range.events ?? [];
  for (const e of events) {
    const v = eventVersion(e);
    if (v === undefined) throw new RangeVersionError('an event without a version');
    if (v === '0' && e.introduced !== undefined) continue;
    if (v === '*' && e.limit !== undefined) continue;
    if (!scheme.isValid(v)) throw new RangeVersionError(`${JSON.stringify(v)} is not a valid ${scheme.displayName}`);
  }
  const cmp = (a: string, b: string) => scheme.compare(a, b);
  // introduced "0" sorts before everything; limit "*" after everything.
  const key = (e: OsvEvent): string => eventVersion(e)!;
  const sorted = [...events].sort((a, b) => {
    const za = a.introduced === '0';
    const zb = b.introduced === '0';
    if (za || zb) return za === zb ? 0 : za ? -1 : 1;
    const sa = a.limit === '*';
    const sb = b.limit === '*';
    if (sa || sb) return sa === sb ? 0 : sa ? 1 : -1;
    return cmp(key(a), key(b));
  });
  let vulnerable = false;
  for (const e of sorted) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || cmp(version, e.introduced) >= 0) vulnerable = true;
    } else if (e.fixed !== undefined) {
      if (cmp(version, e.fixed) >= 0) vulnerable = false;
    } else if (e.last_affected !== undefined) {
      if (cmp(version, e.last_affected) > 0) vulnerable = false;
    }
  }
  const limits = events.filter((e) => e.limit !== undefined).map((e) => e.limit!);
  const beforeLimit = limits.length === 0 || limits.some((l) => l === '*' || cmp(version, l) < 0);
  const affected = vulnerable && beforeLimit;
  // The fix for this version's line: the first `fixed` above it (later ones fix other lines).
  const next = affected ? sorted.find((e) => e.fixed !== undefined && cmp(e.fixed, version) > 0) : undefined;
  const fixed = next ? [next.fixed!] : [];
  return { affected, fixed };
}

class RangeVersionError extends Error {}

/** Evaluates one `affected` entry of a record for `version` (valid in `scheme`). */
export function matchAffected(version: string, affected: OsvAffected, scheme: VersionScheme): AffectedMatch {
  // Listed versions decide; the ranges are still read for the fix (PyPI records carry both), else a
  // listed finding would look unfixed and --ignore-unfixed would hide it.
  const listed = (affected.versions ?? []).some((v) => v === version || (scheme.isValid(v) && scheme.compare(v, version) === 0));
  let indeterminate: string | null = null;
  let gitOnly = false;
  const fixed: string[] = [];
  let hit = false;
  for (const range of affected.ranges ?? []) {
    if (range.type === 'GIT') {
      gitOnly = true;
      continue;
    }
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') {
      indeterminate ??= `range type ${range.type} is not known`;
      continue;
    }
    try {
      const r = rangeAffects(version, range, scheme);
      if (r.affected) {
        hit = true;
        fixed.push(...r.fixed);
      }
    } catch (e) {
      if (!(e instanceof RangeVersionError)) throw e;
      indeterminate ??= `a range cannot be evaluated: ${e.message}`;
    }
  }
  if (hit || listed) return { status: 'affected', fixed: sortUnique(fixed, scheme), reason: null };
  if (indeterminate) return { status: 'indeterminate', fixed: [], reason: indeterminate };
  if (gitOnly && (affected.ranges ?? []).every((r) => r.type === 'GIT') && (affected.versions ?? []).length === 0) {
    return { status: 'indeterminate', fixed: [], reason: 'only GIT (commit) ranges, which cannot be evaluated for a released version' };
  }
  return { status: 'not-affected', fixed: [], reason: null };
}

function sortUnique(vs: string[], scheme: VersionScheme): string[] {
  return [...new Set(vs)].sort((a, b) => scheme.compare(a, b));
}

/**
 * The `affected` entries of `record` about this package. The ecosystem's `:release` suffix is
 * compared when both sides have one (a DEBIAN-CVE record has a `Debian:11` and a `Debian:12`
 * entry: only the image's release counts), else the base name alone (osv-scalibr's Parsed.Equal).
 */
export function affectedEntriesFor(record: OsvRecord, ecosystem: string, name: string): OsvAffected[] {
  const base = (e: string) => e.split(':')[0];
  const same = (e: string) => (e.includes(':') && ecosystem.includes(':') ? e === ecosystem : base(e) === base(ecosystem));
  return (record.affected ?? []).filter((a) => a.package && same(a.package.ecosystem) && a.package.name === name);
}

/** Matches a record against a package version: the strongest answer over its entries. */
export function matchRecord(record: OsvRecord, ecosystem: string, name: string, version: string, scheme: VersionScheme): AffectedMatch & { entry: OsvAffected | null } {
  if (record.withdrawn) return { status: 'not-affected', fixed: [], reason: 'withdrawn', entry: null };
  let best: (AffectedMatch & { entry: OsvAffected | null }) = { status: 'not-affected', fixed: [], reason: null, entry: null };
  for (const entry of affectedEntriesFor(record, ecosystem, name)) {
    const m = matchAffected(version, entry, scheme);
    if (m.status === 'affected') {
      if (best.status !== 'affected') best = { ...m, entry };
      else best = { ...best, fixed: sortUnique([...best.fixed, ...m.fixed], scheme) };
    } else if (m.status === 'indeterminate' && best.status === 'not-affected') {
      best = { ...m, entry };
    }
  }
  return best;
}
