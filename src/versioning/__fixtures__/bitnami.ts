/**
 * Bitnami versions. Sources: grype `grype/version/bitnami_version_test.go` (revisions are
 * ignored: 2.3.1-1 satisfies "= 2.3.1" and not "> 2.3.1"), bitnami/go-version
 * `pkg/version/version_test.go` (which versions parse), and event versions of the real
 * Bitnami advisories (bitnami/vulndb @0054d6e3, the records named in each comment).
 */
import type { SchemeFixture } from './table.js';

export const bitnamiFixture: SchemeFixture = {
  orderings: [
    // grype bitnami_version_test.go: the revision is discarded
    ['2.3.1-1', '=', '2.3.1'],
    ['2.3.1-1', '<', '2.3.2'],
    ['2.3.1-1', '>', '2.3.0'],
    ['2.3.1-1', '>', '2.0.0'],
    ['2.3.1-1', '<', '3.0.0'],
    ['2.3.1-1', '=', '2.3.1-2'],
    ['1.2.3-4', '=', '1.2.3-5'],
    ['1.2.3-4', '=', '1.2.3'],
    ['1.5.0', '>', '1.0.0'],
    ['0.2.0', '>', '0.1.0'],
    ['0.6.0', '>', '0.5.0'],
    // bitnami/go-version version_test.go: build metadata carries no precedence
    ['1.2.3+foo', '=', '1.2.3+bar'],
    ['1.2.0', '=', '1.2.0-1+metadata'],
    ['1.2.3', '<', '1.4.5'],
    ['2.2.3', '>', '1.5.1'],
    // vulndata.md: package 17.2.0-8 (.bitnami_components.json) against chart tag 17.6.0-debian-12-r4
    ['17.2.0-8', '=', '17.2.0'],
    ['17.2.0-8', '<', '17.6.0'],
    // BIT-golang-2022-32190: introduced 1.19.0-0, fixed 1.19.1
    ['1.19.0-0', '=', '1.19.0'],
    ['1.19.0-0', '<', '1.19.1'],
    ['1.18.10', '<', '1.19.0-0'],
    // BIT-java-2022-34169: introduced = last_affected 1.8.0-333, 11.0.15-1, 17.0.3-1
    ['11.0.15-1', '=', '11.0.15'],
    ['17.0.3-1', '=', '17.0.3'],
    ['1.8.0-333', '=', '1.8.0'],
    // BIT-wordpress-2025-41240: introduced 6.7.2-7, fixed 6.8.2-1
    ['6.7.2-7', '<', '6.8.2-1'],
    ['6.8.2', '=', '6.8.2-1'],
    ['6.7.2', '=', '6.7.2-7'],
    // BIT-argo-cd-2023-25163: release candidates stay prereleases
    ['2.6.0-rc1', '<', '2.6.0-rc2'],
    ['2.6.0-rc7', '<', '2.6.0'],
    ['2.5.10', '<', '2.6.0-rc1'],
    // BIT-openbao-2025-55000: fixed at a Go pseudo-version, then 0.0.1 … 2.3.2
    ['0.0.0-20250806193153-183891f8d535', '<', '0.0.0'],
    ['0.0.0-20250806193153-183891f8d535', '<', '0.0.1'],
    ['0.0.0-20250806193153-183891f8d535', '<', '0.0.0-20250806193240-9b0b5d4f345f'],
    ['2.3.1', '<', '2.3.2'],
    // BIT-openldap-2020-15719 (fixed 2.4.46-10.el8) and BIT-tomcat-2020-8022 (fixed 9.0.35-3.57.3)
    ['2.4.46-10.el8', '<', '2.4.46'],
    ['2.4.46-10.el8', '>', '2.4.45'],
    ['9.0.35-3.57.3', '<', '9.0.35'],
    ['9.0.35-3.57.3', '>', '9.0.34'],
    // BIT-sass-2022-43357: introduced 3.6.5-8-g210218, fixed 3.6.5
    ['3.6.5-8-g210218', '<', '3.6.5'],
    // minio ranges mix 2022.06.02 and 2022.6.23
    ['2022.06.02', '=', '2022.6.2'],
    ['2022.6.23', '>', '2022.06.02'],
    ['2023.03.20', '>', '2023.3.13'],
    // DESIGN.md: redis 7.4.1 (tag 7.4.1-debian-12-r2) against fixed 7.4.2; numbers, not strings
    ['7.4.1', '<', '7.4.2'],
    ['7.2.10', '>', '7.2.4'],
  ],
  valid: ['1.2.3', '1.2.3+test.01', '1.2.3-alpha.-1', '1.0.0-x.7.z.92', '1.2.3-rc1-with-hypen', '0', '2147483648.3.0'],
  invalid: [
    'nightly.2026-03-10.0', // BIT-mastodon-2026-47777 introduced
    'foo',
    '1.2.beta',
    'foo1.2.3',
    '1.0-',
    '\n1.2',
    '1.2.3-alpha..1',
    '',
  ],
};
