/**
 * Go module versions: semantic versions as golang.org/x/mod/semver reads them.
 *
 * Module versions carry a `v` (`v1.2.3`); x/mod also accepts the shorthands `v1` and `v1.2`
 * (= v1.0.0, v1.2.0) without prerelease or build. OSV's Go records (golang/vulndb) drop the
 * `v` and always write all three numbers, so without a `v` a full MAJOR.MINOR.PATCH is
 * required (a bare `1.2` or `0` is not a Go version: `introduced: "0"` is OSV's sentinel).
 * No leading zeros anywhere numeric. Build metadata is ignored, so `v2.0.0+incompatible`
 * equals `v2.0.0`. Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`,
 * `v1.2.4-0.20191109021931-daa7c04131f5`, `v1.2.3-pre.0.2019…`) are prereleases and order
 * by plain SemVer, which puts them below the release they precede, as the go command does.
 * vulndb writes "1.19 and its prereleases" as `1.19.0-0`: the lowest prerelease of 1.19.0.
 * `go1.21.0`-style toolchain strings are not module versions (the inventory maps them).
 *
 * Specs: https://go.dev/ref/mod#versions, https://go.dev/ref/mod#pseudo-versions,
 * https://pkg.go.dev/golang.org/x/mod/semver, https://go.dev/doc/security/vuln/database.
 */
import { defineScheme } from './common.js';
import { compareParsedSemver, parseSemver, type ParsedSemver } from './semver.js';
import type { VersionScheme } from './types.js';

function parseGo(v: string): ParsedSemver | string {
  const hasV = v.charCodeAt(0) === 118; /* v */
  const p = parseSemver(hasV ? v.slice(1) : v, {
    vPrefix: false,
    minComponents: hasV ? 1 : 3,
    maxComponents: 3,
    leadingZeros: false,
  });
  if (typeof p === 'string') return p;
  if (p.core.length < 3 && (p.pre.length > 0 || p.build.length > 0)) {
    return 'a shorthand version (v1, v1.2) cannot carry a prerelease or build suffix';
  }
  return { ...p, v: hasV };
}

export const go: VersionScheme = defineScheme<ParsedSemver>({
  id: 'go',
  displayName: 'Go module version',
  specUrls: [
    'https://go.dev/ref/mod#versions',
    'https://pkg.go.dev/golang.org/x/mod/semver',
    'https://go.dev/doc/security/vuln/database#schema',
  ],
  ecosystems: ['Go'],
  parse: parseGo,
  compareParsed: compareParsedSemver,
});
