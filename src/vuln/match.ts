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
  // Index loops, no closures a call: a scan evaluates every range of every record of a package
  // (mariadb: 114 records, ~1,100 events), mostly in V8's unoptimised tiers.
  const events = range.events ?? [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const v = eventVersion(e);
    if (v === undefined) throw new RangeVersionError('an event without a version');
    if (v === '0' && e.introduced !== undefined) continue;
    if (v === '*' && e.limit !== undefined) continue;
    if (!scheme.isValid(v)) throw new RangeVersionError(`${JSON.stringify(v)} is not a valid ${scheme.displayName}`);
  }
  // Sorted as the schema says; records list their events in order as a rule, and a stable sort
  // of events already in order leaves them as they are.
  let sorted = events;
  for (let i = 1; i < events.length; i++) {
    if (eventOrder(events[i - 1]!, events[i]!, scheme) > 0) {
      sorted = [...events].sort((a, b) => eventOrder(a, b, scheme));
      break;
    }
  }
  let vulnerable = false;
  let limited = false;
  let beforeLimit = false;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || scheme.compare(version, e.introduced) >= 0) vulnerable = true;
    } else if (e.fixed !== undefined) {
      if (scheme.compare(version, e.fixed) >= 0) vulnerable = false;
    } else if (e.last_affected !== undefined) {
      if (scheme.compare(version, e.last_affected) > 0) vulnerable = false;
    }
  }
  for (let i = 0; i < events.length; i++) {
    const l = events[i]!.limit;
    if (l === undefined) continue;
    limited = true;
    if (!beforeLimit && (l === '*' || scheme.compare(version, l) < 0)) beforeLimit = true;
  }
  const affected = vulnerable && (!limited || beforeLimit);
  // The fix for this version's line: the first `fixed` above it (later ones fix other lines).
  if (affected) {
    for (let i = 0; i < sorted.length; i++) {
      const f = sorted[i]!.fixed;
      if (f !== undefined && scheme.compare(f, version) > 0) return { affected, fixed: [f] };
    }
  }
  return { affected, fixed: [] };
}

/** The order of a range's events: introduced "0" before everything, limit "*" after everything, else by version. */
function eventOrder(a: OsvEvent, b: OsvEvent, scheme: VersionScheme): number {
  const za = a.introduced === '0';
  const zb = b.introduced === '0';
  if (za || zb) return za === zb ? 0 : za ? -1 : 1;
  const sa = a.limit === '*';
  const sb = b.limit === '*';
  if (sa || sb) return sa === sb ? 0 : sa ? 1 : -1;
  return scheme.compare(eventVersion(a)!, eventVersion(b)!);
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
