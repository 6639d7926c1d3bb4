/**
 * The version-scheme registry: every scheme file in this folder, keyed by id, and the lookup
 * from an OSV ecosystem name to its scheme. `registry.test.ts` fails when a scheme file is
 * missing here, when ids and keys disagree, or when two schemes claim one ecosystem.
 */
import { alpine } from './alpine.js';
import { bitnami } from './bitnami.js';
import { debian } from './debian.js';
import { go } from './go.js';
import { maven } from './maven.js';
import { nuget } from './nuget.js';
import { pep440 } from './pep440.js';
import { rpm } from './rpm.js';
import { rubygems } from './rubygems.js';
import { semver, semverLike } from './semver.js';
import type { VersionScheme } from './types.js';

export { InvalidVersionError, type Ordering, type VersionScheme } from './types.js';

export const schemes = {
  semver,
  'semver-like': semverLike,
  go,
  bitnami,
  pep440,
  maven,
  nuget,
  rubygems,
  debian,
  alpine,
  rpm,
} satisfies Record<string, VersionScheme>;

const byEcosystem = new Map<string, VersionScheme>();
for (const scheme of Object.values(schemes)) {
  for (const eco of scheme.ecosystems) byEcosystem.set(eco, scheme);
}

/**
 * The scheme for an OSV `affected[].package.ecosystem` value. The suffix after the first ':'
 * (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `Maven:https://maven.google.com`) names a
 * release or registry, not a different ordering, and is ignored. Names are case-sensitive, as
 * in OSV. `undefined` for an ecosystem without a scheme here (Packagist, Pub, CRAN, …).
 */
export function schemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  const colon = ecosystem.indexOf(':');
  return byEcosystem.get(colon >= 0 ? ecosystem.slice(0, colon) : ecosystem);
}
