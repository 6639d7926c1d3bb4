/**
 * Bitnami package versions: semver-like (see semver.ts) after dropping a trailing numeric
 * package revision, so `1.19.0-0` → 1.19.0 and `17.2.0-8` → 17.2.0.
 *
 * Bitnami's packages and advisories write `<upstream>-<revision>` (`.bitnami_components.json`,
 * `.spdx-*.spdx`, the vulndb ranges). A revision rebuilds the same upstream source, so it
 * cannot fix or introduce an upstream vulnerability; read as SemVer it would instead make
 * `17.2.0-8` a *prerelease* of 17.2.0 and invent false positives. Grype's Bitnami comparator
 * (bitnami/go-version) drops it too. Only a single all-digit identifier after the `-` is a
 * revision; any other prerelease keeps its SemVer meaning.
 *
 * The real data (bitnami/vulndb @0054d6e3, 3,584 distinct event versions; checked by
 * bitnami.test.ts against ../shared/osv/bitnami-all.zip) behaves like this:
 * - 3,538 are plain X.Y.Z, some with leading zeros (minio's `2022.06.02`, read as 2022.6.2).
 * - Revisions dropped: `1.19.0-0` … `1.27.0-0`, `1.62.0-0`, `4.0.20-0`, `11.1.5-0`, `6.7.2-7`,
 *   `6.8.2-1`, `1.81.0-1`, `11.0.15-1`, `17.0.3-1`, `1.8.0-333` (java: 333 is the JDK 8
 *   update number there, so that record matches 1.8.0 exactly: a data quirk, not ours to fix).
 * - Kept as SemVer prereleases, valid: `2.6.0-rc1`…`-rc7` (argo-cd); Go pseudo-versions
 *   `0.0.0-20250806193153-183891f8d535` (openbao), below 0.0.0; `2.4.46-10.el8` (an RPM
 *   release, openldap) and `9.0.35-3.57.3` (a SUSE release, tomcat), both just below the
 *   upstream release; `3.6.5-8-g210218` (a git-describe string, sass), below 3.6.5.
 * - Invalid: `nightly.2026-03-10.0` (mastodon): not a version in any reading, so the range it
 *   opens is indeterminate rather than guessed.
 * - `0` parses as 0.0.0, but as an `introduced` value it is OSV's sentinel (see types.ts).
 *
 * Specs: https://semver.org/spec/v2.0.0.html, https://github.com/bitnami/vulndb,
 * https://github.com/bitnami/go-version, grype `grype/version/bitnami_version.go`.
 */
import { defineScheme, isAllDigits } from './common.js';
import { compareParsedSemver, LENIENT, parseSemver, type ParsedSemver } from './semver.js';
import type { VersionScheme } from './types.js';

/** Parses a Bitnami version; a lone numeric prerelease identifier (the revision) is dropped. */
export function parseBitnami(v: string): ParsedSemver | string {
  const p = parseSemver(v, LENIENT);
  if (typeof p === 'string') return p;
  if (p.pre.length === 1 && isAllDigits(p.pre[0]!)) return { ...p, pre: [] };
  return p;
}

export const bitnami: VersionScheme = defineScheme<ParsedSemver>({
  id: 'bitnami',
  displayName: 'Bitnami version',
  specUrls: [
    'https://semver.org/spec/v2.0.0.html',
    'https://github.com/bitnami/vulndb',
    'https://github.com/anchore/grype/blob/main/grype/version/bitnami_version.go',
  ],
  ecosystems: ['Bitnami'],
  parse: parseBitnami,
  compareParsed: compareParsedSemver,
});
