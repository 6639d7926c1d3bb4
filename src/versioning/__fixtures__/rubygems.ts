/**
 * RubyGems versions. Sources: rubygems `test/rubygems/test_gem_version.rb` (rubygems/rubygems
 * @69ec4a3: test_spaceship, test_semver, test_equals2, test_hash, test_canonical_segments,
 * test_initialize, test_initialize_invalid), the `Gem::Version` class comment (its
 * "newest to oldest" prerelease example), and osv-scalibr `rubygems-versions.txt` plus real
 * gem versions from `rubygems-versions-generated.txt` (@c2094f2d).
 */
import type { SchemeFixture } from './table.js';

export const rubygemsFixture: SchemeFixture = {
  orderings: [
    // test_spaceship
    ['1.0', '=', '1.0.0'],
    ['1.0', '>', '1.0.a'],
    ['1.8.2', '>', '0.0.0'],
    ['1.8.2', '>', '1.8.2.a'],
    ['1.8.2.b', '>', '1.8.2.a'],
    ['1.8.2.a', '<', '1.8.2'],
    ['1.8.2.a10', '>', '1.8.2.a9'],
    ['0.beta.1', '=', '0.0.beta.1'],
    ['0.0.beta', '<', '0.0.beta.1'],
    ['0.0.beta', '<', '0.beta.1'],
    ['5.a', '<', '5.0.0.rc2'],
    ['5.x', '>', '5.0.0.rc2'],
    ['1.9.3', '>', '1.9.2.99'],
    ['1.9.3', '<', '1.9.3.1'],
    // test_semver
    ['1.0.0-alpha', '<', '1.0.0-alpha.1'],
    ['1.0.0-alpha.1', '<', '1.0.0-beta.2'],
    ['1.0.0-beta.2', '<', '1.0.0-beta.11'],
    ['1.0.0-beta.11', '<', '1.0.0-rc.1'],
    ['1.0.0-rc1', '<', '1.0.0'],
    ['1.0.0-1', '<', '1'],
    // test_equals2, test_hash, test_canonical_segments, test_initialize
    ['1.2.b1', '=', '1.2.b.1'],
    ['1.2', '=', '1.2.0'],
    ['1.2.pre.1', '=', '1.2.0.pre.1.0'],
    ['1.0.0.a.1.0', '=', '1.a.1'],
    ['1.2.3-1', '=', '1.2.3.pre.1'],
    ['1.0 ', '=', '1.0'],
    ['\n1.0\n', '=', '1.0'],
    ['9.8.8', '>', '9.8.7'],
    // osv-scalibr rubygems-versions.txt
    ['3.10', '>', '3.2'],
    ['1.2.4.beta', '<', '1.2.4'],
    ['1.2.4', '<', '1.3.0'],
    ['1.0.a.10', '>', '1.0.a9'],
    ['1.0.a10', '>', '1.0.a.9'],
    ['1.0.a.9', '<', '1.0.b.9'],
    ['1.0.a2', '=', '1.0.a.2'],
    ['1.2.4.gamma', '<', '1.2.4'],
    ['1.0', '>', '1.0.g1'],
    ['999999999999999999999999999991', '<', '999999999999999999999999999999'],
    // rubygems-versions-generated.txt (real gem versions)
    ['3.1.0.rc2', '<', '3.1.0.rc3'],
    ['1.6.7.2', '<', '1.6.8.rc1'],
    ['2.0.0.b6', '<', '2.0.0.b7'],
    ['3.9.2.beta', '<', '4.0.0.rc4'],
    ['1.8.1', '<', '1.9.0.alpha'],
    ['7.2.10', '>', '7.2.4'],
  ],
  ascending: {
    // Gem::Version class comment: "Prereleases sort between real releases (newest to oldest)", reversed
    'Gem::Version doc': ['0.9', '1.0.a.2', '1.0.b1', '1.0'],
  },
  valid: ['5.1', '1.0', ' 1.0 ', '1.0\n', '22.1.50.0.d', '1.2.d.42', '1.A', '1-1', '1-a'],
  invalid: [
    // test_initialize_invalid, test_class_correct
    'junk',
    '1.0\n2.0',
    '1..2',
    '1.2 3.4',
    '2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.',
    'an incorrect version',
    // RubyGems reads "" as "0"; here no version is not a version
    '',
    '   ',
    // Gem::Version's pattern needs a dot before letters (osv-scalibr rubygems-versions.txt has these)
    '1beta',
    '1gamma',
  ],
};
