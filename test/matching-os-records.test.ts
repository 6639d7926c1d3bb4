/**
 * Debian, Ubuntu and Alpine matching (issue 11 "Acceptance"). No OSV records of these
 * distributions are in ../shared (see osv/README-real-mixed.md), so the records here are built in
 * exactly the shape OSV publishes them (DSA/DLA/DEBIAN-CVE, USN/UBUNTU-CVE, ALPINE-CVE ids;
 * keyed by the source package, purl `arch=source`; `Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.20`;
 * ECOSYSTEM ranges; unfixed = `introduced: "0"` and no other event). The images are real layers
 * with a dpkg status or apk database and an os-release, inventoried by the registered analysers;
 * the packages go through packagesOfContents and findingsFor on a memoryDb of the records.
 * Covered: binary → source package (libssl3 → openssl; a binNMU `1.2-3+b1` with
 * `Source: foo (1.2-3)` compared at 1.2-3), the release mapping (a Debian:11 record never matches
 * a Debian:12 image, Ubuntu 20.04 never 22.04, Alpine v3.19 never v3.20), unfixed findings, epochs.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/model/advisory.js';
import { memoryDb } from '../src/vuln/db/store.js';
import { findingsFor } from '../src/vuln/index.js';
import { packagesOfContents } from '../src/vuln/packages.js';
import { inventoryOf, type LayerFile } from './helpers/inventory-image.js';

const MODIFIED = '2026-11-20T10:00:00Z';

/** One OSV record as osv.dev serves the distribution's conversion. */
function osv(id: string, upstream: string[], affected: { ecosystem: string; name: string; purlType: 'deb' | 'apk'; distro: string; events: Record<string, string>[]; extra?: Record<string, unknown> }[]): Record<string, unknown> {
  return {
    schema_version: '1.6.0',
    id,
    modified: MODIFIED,
    published: '2026-10-01T00:00:00Z',
    ...(upstream.length ? { upstream } : {}),
    summary: `${affected[0]!.name} security update`,
    affected: affected.map((a) => ({
      package: { ecosystem: a.ecosystem, name: a.name, purl: `pkg:${a.purlType}/${a.distro}/${a.name}${a.purlType === 'deb' ? '?arch=source' : ''}` },
      ranges: [{ type: 'ECOSYSTEM', events: a.events }],
      ...(a.extra ?? {}),
    })),
  };
}
const deb = (ecosystem: string, name: string, events: Record<string, string>[], extra?: Record<string, unknown>) => ({ ecosystem, name, purlType: 'deb' as const, distro: ecosystem.startsWith('Ubuntu') ? 'ubuntu' : 'debian', events, ...(extra ? { extra } : {}) });
const apk = (ecosystem: string, name: string, events: Record<string, string>[]) => ({ ecosystem, name, purlType: 'apk' as const, distro: 'alpine', events });
const fixedIn = (v: string): Record<string, string>[] => [{ introduced: '0' }, { fixed: v }];
const UNFIXED = [{ introduced: '0' }];

const RECORDS = [
  // Debian: DSA for bookworm, DLA for bullseye (LTS), DEBIAN-CVE from the security tracker (one entry per release)
  osv('DSA-5532-1', ['CVE-2023-5363'], [deb('Debian:12', 'openssl', fixedIn('3.0.11-1~deb12u2'))]),
  osv('DLA-3942-1', ['CVE-2024-9143'], [deb('Debian:11', 'openssl', fixedIn('1.1.1w-0+deb11u2'))]),
  osv('DEBIAN-CVE-2024-0727', ['CVE-2024-0727'], [deb('Debian:11', 'openssl', UNFIXED, { ecosystem_specific: { urgency: 'not yet assigned' } }), deb('Debian:12', 'openssl', fixedIn('3.0.13-1~deb12u1'))]),
  osv('DEBIAN-CVE-2023-50495', ['CVE-2023-50495'], [deb('Debian:11', 'ncurses', UNFIXED, { ecosystem_specific: { urgency: 'unimportant' } })]),
  osv('DEBIAN-CVE-2025-11111', ['CVE-2025-11111'], [deb('Debian:12', 'foo', fixedIn('1.2-3+deb12u1'))]),
  // last_affected at the source version: the binNMU's binary version (1.2-3+b1) is above it, the source's is not
  osv('DEBIAN-CVE-2025-22222', ['CVE-2025-22222'], [deb('Debian:12', 'foo', [{ introduced: '0' }, { last_affected: '1.2-3' }])]),
  // epochs: shadow is 1:4.13+dfsg1-1 in bookworm
  osv('DEBIAN-CVE-2023-4641', ['CVE-2023-4641'], [deb('Debian:12', 'shadow', fixedIn('1:4.13+dfsg1-1+deb12u1'))]),
  osv('DEBIAN-CVE-2016-6252', ['CVE-2016-6252'], [deb('Debian:12', 'shadow', fixedIn('4.14-1'))]),
  osv('DEBIAN-CVE-2025-33333', ['CVE-2025-33333'], [deb('Debian:12', 'shadow', [{ introduced: '1:4.13+dfsg1-1' }, { fixed: '1:4.13+dfsg1-2' }])]),
  // Ubuntu: USN per release, keyed by source; UBUNTU-CVE unfixed
  osv('USN-6450-1', ['CVE-2023-5363'], [deb('Ubuntu:22.04:LTS', 'openssl', fixedIn('3.0.2-0ubuntu1.12'), { ecosystem_specific: { binaries: [{ binary_name: 'libssl3', binary_version: '3.0.2-0ubuntu1.12' }] } }), deb('Ubuntu:20.04:LTS', 'openssl', fixedIn('1.1.1f-1ubuntu2.20'))]),
  osv('USN-7000-1', [], [deb('Ubuntu:20.04:LTS', 'zlib', fixedIn('1:1.2.11.dfsg-2ubuntu1.6'))]),
  osv('UBUNTU-CVE-2023-45853', ['CVE-2023-45853'], [deb('Ubuntu:22.04:LTS', 'zlib', UNFIXED)]),
  // Alpine: secdb conversions keyed by origin
  osv('ALPINE-CVE-2024-5535', ['CVE-2024-5535'], [apk('Alpine:v3.20', 'openssl', fixedIn('3.3.2-r0'))]),
  osv('ALPINE-CVE-2024-4741', ['CVE-2024-4741'], [apk('Alpine:v3.19', 'openssl', fixedIn('3.1.6-r0'))]),
  osv('ALPINE-CVE-2024-99999', [], [apk('Alpine:v3.20', 'busybox', UNFIXED)]),
];

const file = (path: string, text: string): LayerFile => ({ path, content: Buffer.from(text) });
const stanza = (pkg: string, version: string, source?: string, arch = 'amd64') =>
  `Package: ${pkg}\nStatus: install ok installed\nPriority: optional\nArchitecture: ${arch}\n${source ? `Source: ${source}\n` : ''}Version: ${version}\nDescription: ${pkg}\n`;
const osRelease = (id: string, versionId: string, extra = '') => file('/etc/os-release', `PRETTY_NAME="${id} ${versionId}"\nNAME="${id}"\nID=${id.toLowerCase()}\nVERSION_ID="${versionId}"\n${extra}`);

const IMAGES: Record<string, LayerFile[][]> = {
  'debian:12': [
    [osRelease('Debian', '12', 'VERSION_CODENAME=bookworm\n'), file('/var/lib/dpkg/status', [stanza('libssl3', '3.0.11-1~deb12u1', 'openssl'), stanza('openssl', '3.0.11-1~deb12u1'), stanza('libncursesw6', '6.4-4', 'ncurses'), stanza('passwd', '1:4.13+dfsg1-1', 'shadow'), stanza('login', '1:4.13+dfsg1-1', 'shadow')].join('\n'))],
    // a later layer adds a binNMU'd package in the distroless status.d form
    [file('/var/lib/dpkg/status.d/foo-utils', stanza('foo-utils', '1.2-3+b1', 'foo (1.2-3)'))],
  ],
  'debian:11': [[osRelease('Debian', '11', 'VERSION_CODENAME=bullseye\n'), file('/var/lib/dpkg/status', [stanza('libssl1.1', '1.1.1w-0+deb11u1', 'openssl'), stanza('libncursesw6', '6.2+20201114-2+deb11u2', 'ncurses')].join('\n'))]],
  'ubuntu:22.04': [[osRelease('Ubuntu', '22.04', 'VERSION_CODENAME=jammy\n'), file('/var/lib/dpkg/status', [stanza('libssl3', '3.0.2-0ubuntu1.10', 'openssl'), stanza('zlib1g', '1:1.2.11.dfsg-2ubuntu9.2', 'zlib')].join('\n'))]],
  'alpine:3.20': [
    [
      file('/etc/alpine-release', '3.20.3\n'),
      osRelease('Alpine', '3.20.3'),
      file('/lib/apk/db/installed', ['P:libcrypto3\nV:3.3.1-r0\nA:x86_64\no:openssl\n', 'P:libssl3\nV:3.3.1-r0\nA:x86_64\no:openssl\n', 'P:busybox\nV:1.36.1-r29\nA:x86_64\no:busybox\n'].join('\n')),
    ],
  ],
};

interface Row { id: string; name: string; version: string; binaries: string[]; fixed: string[] }
const row = (f: Finding): Row => ({ id: f.id, name: f.package.name, version: f.package.version, binaries: f.package.binaries ?? [], fixed: f.fixed });

/**
 * What each image must report: every finding, exactly (the rest of RECORDS must not match).
 * The ids are the records' own: these distributions name the CVE in `upstream`, which is no alias,
 * so a finding is not renamed after it.
 */
const EXPECTED: Record<string, { ecosystem: string; findings: Row[]; why: string }> = {
  'debian:12': {
    ecosystem: 'Debian:12',
    why: 'libssl3 and openssl are one source package; the Debian:11 entries (DLA, the unfixed DEBIAN-CVE entry, ncurses) are another release; the binNMU is compared at its source version; 1:4.13 is above 4.14 (epoch)',
    findings: [
      { id: 'DSA-5532-1', name: 'openssl', version: '3.0.11-1~deb12u1', binaries: ['libssl3', 'openssl'], fixed: ['3.0.11-1~deb12u2'] },
      { id: 'DEBIAN-CVE-2024-0727', name: 'openssl', version: '3.0.11-1~deb12u1', binaries: ['libssl3', 'openssl'], fixed: ['3.0.13-1~deb12u1'] },
      { id: 'DEBIAN-CVE-2025-11111', name: 'foo', version: '1.2-3', binaries: ['foo-utils'], fixed: ['1.2-3+deb12u1'] },
      { id: 'DEBIAN-CVE-2025-22222', name: 'foo', version: '1.2-3', binaries: ['foo-utils'], fixed: [] },
      { id: 'DEBIAN-CVE-2023-4641', name: 'shadow', version: '1:4.13+dfsg1-1', binaries: ['login', 'passwd'], fixed: ['1:4.13+dfsg1-1+deb12u1'] },
      { id: 'DEBIAN-CVE-2025-33333', name: 'shadow', version: '1:4.13+dfsg1-1', binaries: ['login', 'passwd'], fixed: ['1:4.13+dfsg1-2'] },
    ],
  },
  'debian:11': {
    ecosystem: 'Debian:11',
    why: 'the bullseye entries match: DLA with its fix, the two unfixed DEBIAN-CVE entries with none; the Debian:12 fix of CVE-2024-0727 does not apply here',
    findings: [
      { id: 'DLA-3942-1', name: 'openssl', version: '1.1.1w-0+deb11u1', binaries: ['libssl1.1'], fixed: ['1.1.1w-0+deb11u2'] },
      { id: 'DEBIAN-CVE-2024-0727', name: 'openssl', version: '1.1.1w-0+deb11u1', binaries: ['libssl1.1'], fixed: [] },
      { id: 'DEBIAN-CVE-2023-50495', name: 'ncurses', version: '6.2+20201114-2+deb11u2', binaries: ['libncursesw6'], fixed: [] },
    ],
  },
  'ubuntu:22.04': {
    ecosystem: 'Ubuntu:22.04:LTS',
    why: "os-release's 22.04 is the LTS ecosystem; the 20.04 entries (USN-6450-1's other entry, USN-7000-1) do not apply; zlib's UBUNTU-CVE is unfixed",
    findings: [
      { id: 'USN-6450-1', name: 'openssl', version: '3.0.2-0ubuntu1.10', binaries: ['libssl3'], fixed: ['3.0.2-0ubuntu1.12'] },
      { id: 'UBUNTU-CVE-2023-45853', name: 'zlib', version: '1:1.2.11.dfsg-2ubuntu9.2', binaries: ['zlib1g'], fixed: [] },
    ],
  },
  'alpine:3.20': {
    ecosystem: 'Alpine:v3.20',
    why: 'libcrypto3 and libssl3 are origin openssl; the v3.19 record does not apply; busybox is unfixed',
    findings: [
      { id: 'ALPINE-CVE-2024-5535', name: 'openssl', version: '3.3.1-r0', binaries: ['libcrypto3', 'libssl3'], fixed: ['3.3.2-r0'] },
      { id: 'ALPINE-CVE-2024-99999', name: 'busybox', version: '1.36.1-r29', binaries: ['busybox'], fixed: [] },
    ],
  },
};

const byId = (a: Row, b: Row) => (a.id + a.name < b.id + b.name ? -1 : 1);

describe('Debian, Ubuntu and Alpine records in OSV shape, through the real inventory and matcher', () => {
  const db = memoryDb(RECORDS, { now: new Date('2026-11-21T00:00:00Z') });

  it.each(Object.keys(IMAGES))('%s', async (ref) => {
    const want = EXPECTED[ref]!;
    const inv = await inventoryOf(IMAGES[ref]!);
    expect(inv.gaps).toEqual([]);
    expect(inv.os?.ecosystem).toBe(want.ecosystem);
    const { packages, gaps } = packagesOfContents(ref, inv.packages);
    expect(gaps).toEqual([]);
    const found = findingsFor(packages, db);
    expect(found.gaps).toEqual([]);
    expect(found.findings.map(row).sort(byId), want.why).toEqual([...want.findings].sort(byId));
    for (const f of found.findings) {
      expect(f.status).toBe('affected');
      expect(f.package.ecosystem).toBe(want.ecosystem);
      // where it is: the layer and the database file of (one of) its binaries
      expect(inv.layers).toContain(f.location!.layer);
    }
  });

  it('the binNMU is located in the layer that added it, at its status.d file', async () => {
    const inv = await inventoryOf(IMAGES['debian:12']!);
    const foo = packagesOfContents('debian:12', inv.packages).packages.find((p) => p.name === 'foo')!;
    expect(foo).toMatchObject({ ecosystem: 'Debian:12', version: '1.2-3', binaries: ['foo-utils'], location: { layer: inv.layers[1], path: '/var/lib/dpkg/status.d/foo-utils' } });
    // the binary keeps its own version in the inventory
    expect(inv.packages.find((p) => p.name === 'foo-utils')).toMatchObject({ version: '1.2-3+b1', source: { name: 'foo', version: '1.2-3' } });
  });

  it('unfixed findings are the ones --ignore-unfixed hides: no fixed version', async () => {
    const unfixed = Object.values(EXPECTED).flatMap((e) => e.findings.filter((f) => f.fixed.length === 0).map((f) => f.id));
    expect(unfixed.sort()).toEqual(['ALPINE-CVE-2024-99999', 'DEBIAN-CVE-2023-50495', 'DEBIAN-CVE-2024-0727', 'DEBIAN-CVE-2025-22222', 'UBUNTU-CVE-2023-45853']);
  });

  it('every record is used by some expectation or stands for a release that must not match', () => {
    const matchedIds = new Set(Object.values(EXPECTED).flatMap((e) => e.findings.map((f) => f.id)));
    const neverMatched = RECORDS.filter((r) => !matchedIds.has(r['id'] as string)).map((r) => r['id']);
    // these exist to not match: another release, an epoch-less fix below an epoch
    expect(neverMatched.sort()).toEqual(['ALPINE-CVE-2024-4741', 'DEBIAN-CVE-2016-6252', 'USN-7000-1']);
  });
});
