/** Every scheme's fixture, keyed by scheme id (registry.test.ts checks the keys match `schemes`). */
import { alpineFixture } from './alpine.js';
import { bitnamiFixture } from './bitnami.js';
import { debianFixture } from './debian.js';
import { goFixture } from './go.js';
import { mavenFixture } from './maven.js';
import { nugetFixture } from './nuget.js';
import { pep440Fixture } from './pep440.js';
import { rpmFixture } from './rpm.js';
import { rubygemsFixture } from './rubygems.js';
import { semverFixture, semverLikeFixture } from './semver.js';
import type { SchemeFixture } from './table.js';

export const fixtures: Record<string, SchemeFixture> = {
  semver: semverFixture,
  'semver-like': semverLikeFixture,
  go: goFixture,
  bitnami: bitnamiFixture,
  pep440: pep440Fixture,
  maven: mavenFixture,
  nuget: nugetFixture,
  rubygems: rubygemsFixture,
  debian: debianFixture,
  alpine: alpineFixture,
  rpm: rpmFixture,
};
