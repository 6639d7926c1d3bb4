/**
 * Go module versions. Sources: golang.org/x/mod `semver/semver_test.go` (golang/mod master
 * @fe2ec04, its sorted `tests` list and explicit comparisons), `module/pseudo_test.go`
 * (pseudo-versions next to the versions they are derived from), https://go.dev/ref/mod
 * (pseudo-versions, +incompatible), and golang/vulndb's OSV encoding (`1.19.0-0`, no `v`),
 * https://go.dev/doc/security/vuln/database.
 */
import type { SchemeFixture } from './table.js';

export const goFixture: SchemeFixture = {
  orderings: [
    // x/mod semver_test.go TestCompare, explicit cases
    ['v1', '=', 'v1'],
    ['v2', '>', 'v1'],
    ['v1', '<', 'v2'],
    // module/pseudo_test.go: a pseudo-version sorts after the version it was derived from …
    ['v0.0.1-0.20060102150405-hash', '>', 'v0.0.0'],
    ['v1.2.4-0.20060102150405-hash', '>', 'v1.2.3'],
    ['v1.2.3-pre.0.20060102150405-hash', '>', 'v1.2.3-pre'],
    ['v1.3.0-pre.0.20060102150405-hash', '>', 'v1.3.0-pre'],
    ['v1.0.1-0.20060102150405-hash+metadata', '>', 'v1.0.0+metadata'],
    ['v2.0.1-0.20060102150405-hash+incompatible', '>', 'v2.0.0+incompatible'],
    ['v2.3.0-pre.0.20060102150405-hash+incompatible', '>', 'v2.3.0-pre+incompatible'],
    ['v1.2.100000000000000000-0.20060102150405-hash', '>', 'v1.2.99999999999999999'],
    // … and before the next release (go.dev/ref/mod#pseudo-versions)
    ['v0.0.1-0.20060102150405-hash', '<', 'v0.0.1'],
    ['v1.2.4-0.20060102150405-hash', '<', 'v1.2.4'],
    ['v1.2.3-pre.0.20060102150405-hash', '<', 'v1.2.3'],
    ['v0.0.0-20060102150405-hash', '<', 'v0.0.0'],
    ['v1.0.0-20060102150405-hash', '<', 'v1.0.0'],
    ['v0.0.0-20191109021931-daa7c04131f5', '<', 'v0.0.0-20200220183623-bac4c82f6975'],
    // vulndb writes versions without "v" (GO-2020-0012, golang.org/x/crypto: fixed 0.0.0-20200220183623-bac4c82f6975)
    ['v0.0.0-20191109021931-daa7c04131f5', '<', '0.0.0-20200220183623-bac4c82f6975'],
    ['0.0.0-20200220183623-bac4c82f6975', '=', 'v0.0.0-20200220183623-bac4c82f6975'],
    // vulndb's "1.19 and its prereleases" encoding (stdlib, toolchain go1.19rc1 = 1.19.0-rc.1)
    ['1.19.0-0', '<', '1.19.0-rc.1'],
    ['1.19.0-rc.1', '<', '1.19.0'],
    ['1.18.6', '<', '1.19.0-0'],
    ['1.21.0-rc.2', '<', '1.21.0'],
    // +incompatible is build metadata (go.dev/ref/mod#incompatible-versions)
    ['v2.0.0+incompatible', '=', 'v2.0.0'],
    ['2.0.0+incompatible', '<', '2.0.1'],
    ['v7.2.10', '>', 'v7.2.4'],
  ],
  ascending: {
    // x/mod semver_test.go `tests`, valid entries, in their order; equal canonical forms grouped
    'x/mod semver_test.go': [
      'v1.0.0-alpha',
      'v1.0.0-alpha.1',
      'v1.0.0-alpha.beta',
      'v1.0.0-beta',
      'v1.0.0-beta.2',
      'v1.0.0-beta.11',
      'v1.0.0-rc.1',
      ['v1', 'v1.0', 'v1.0.0'],
      ['v1.2', 'v1.2.0'],
      'v1.2.3-456',
      'v1.2.3-456.789',
      'v1.2.3-456-789',
      'v1.2.3-456a',
      ['v1.2.3-pre', 'v1.2.3-pre+meta'],
      'v1.2.3-pre.1',
      'v1.2.3-zzz',
      ['v1.2.3', 'v1.2.3+meta', 'v1.2.3+meta-pre', 'v1.2.3+meta-pre.sha.256a'],
    ],
  },
  valid: ['v0.0.0--.0.20060102150405-hash', '1.2.3', 'v2.0.0+incompatible', 'v1.2.100000000000000000-0.20060102150405-hash'],
  invalid: [
    // x/mod semver_test.go `tests` entries with no canonical form
    'bad',
    'v1-alpha.beta.gamma',
    'v1-pre',
    'v1+meta',
    'v1-pre+meta',
    'v1.2-pre',
    'v1.2+meta',
    'v1.2-pre+meta',
    // leading zeros, toolchain names, shorthand without "v", OSV's "0" sentinel
    'v01.2.3',
    'v1.2.3-01',
    'go1.21.0',
    'V1.2.3',
    'v1.2.3.4',
    '1.2',
    '0',
    '',
  ],
};
