/**
 * The OS analyser: release files as distributions write them (table), the OSV ecosystem each
 * maps to, distroless and busybox-only layers, the end-of-life table, and a real image (Trivy's
 * alpine:3.11 docker-save fixture read through the inventory's layer reader).
 */
import { describe, expect, it } from 'vitest';
import type { FoundOs, ImageFile } from '../../model/stages.js';
import { fixtureFile, fixturesUnder, madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { osAnalyser, preferOs } from './os.js';
import { apkAnalyser } from './apk.js';
import { busyboxAnalyser } from './busybox.js';
import { resolveArchive } from '../../image/index.js';
import { analyseLayer } from '../layer.js';

const osRelease = (lines: string[]): ImageFile => madeFile('/etc/os-release', lines.join('\n') + '\n');
const analyse = (files: ImageFile[]) => {
  for (const f of files) expect(osAnalyser.wants(f.path, { mode: 0o644, size: f.size }), f.path).toBe(true);
  return osAnalyser.analyse(files);
};

type Case = [string, ImageFile[], Partial<FoundOs> | undefined];

const cases: Case[] = [
  [
    'Debian 12 (Syft image-dpkg fixture)',
    [fixtureFile({ path: 'dpkg/syft-image-dpkg/etc/os-release', root: 'dpkg/syft-image-dpkg' })],
    { family: 'debian', release: '12', ecosystem: 'Debian:12', name: 'Debian GNU/Linux 12 (bookworm)', endOfLife: '2028-06-30' },
  ],
  [
    'Debian 11 in /usr/lib/os-release only',
    [madeFile('/usr/lib/os-release', 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nID=debian\nVERSION_ID="11"\n')],
    { family: 'debian', release: '11', ecosystem: 'Debian:11', endOfLife: '2026-08-31' },
  ],
  [
    '/etc/os-release wins over /usr/lib/os-release',
    [madeFile('/usr/lib/os-release', 'ID=debian\nVERSION_ID=11\n'), osRelease(['ID=debian', 'VERSION_ID=12'])],
    { release: '12', ecosystem: 'Debian:12' },
  ],
  [
    'Google distroless (PRETTY_NAME="Distroless")',
    [osRelease(['PRETTY_NAME="Distroless"', 'NAME="Debian GNU/Linux"', 'ID="debian"', 'VERSION_ID="12"', 'VERSION="Debian GNU/Linux 12 (bookworm)"', 'HOME_URL="https://github.com/GoogleContainerTools/distroless"'])],
    { family: 'debian', release: '12', ecosystem: 'Debian:12', name: 'Distroless', variant: 'distroless' },
  ],
  [
    'Debian with dpkg status.d in the same layer is distroless',
    [osRelease(['ID=debian', 'VERSION_ID=12', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"']), madeFile('/var/lib/dpkg/status.d/base-files', 'Package: base-files\nVersion: 12.4\n')],
    { family: 'debian', ecosystem: 'Debian:12', variant: 'distroless' },
  ],
  [
    'Debian testing: no VERSION_ID, the code name gives the coming release',
    [osRelease(['PRETTY_NAME="Debian GNU/Linux trixie/sid"', 'ID=debian', 'VERSION_CODENAME=trixie']), madeFile('/etc/debian_version', 'trixie/sid\n')],
    { family: 'debian', release: '13', ecosystem: 'Debian:13' },
  ],
  [
    'debian_version alone (Trivy\'s only Debian signal)',
    [madeFile('/etc/debian_version', '12.5\n')],
    { family: 'debian', release: '12.5', ecosystem: 'Debian:12', name: 'Debian GNU/Linux 12.5', endOfLife: '2028-06-30' },
  ],
  [
    'Ubuntu 22.04 LTS: os-release wins over debian_version',
    [osRelease(['PRETTY_NAME="Ubuntu 22.04.4 LTS"', 'NAME="Ubuntu"', 'VERSION_ID="22.04"', 'VERSION="22.04.4 LTS (Jammy Jellyfish)"', 'ID=ubuntu', 'ID_LIKE=debian']), madeFile('/etc/debian_version', 'bookworm/sid\n')],
    { family: 'ubuntu', release: '22.04', ecosystem: 'Ubuntu:22.04:LTS', name: 'Ubuntu 22.04.4 LTS', endOfLife: '2027-04-01' },
  ],
  [
    'Ubuntu 23.10 is not LTS',
    [osRelease(['PRETTY_NAME="Ubuntu 23.10"', 'VERSION_ID="23.10"', 'VERSION="23.10 (Mantic Minotaur)"', 'ID=ubuntu'])],
    { family: 'ubuntu', release: '23.10', ecosystem: 'Ubuntu:23.10', endOfLife: '2024-07-12' },
  ],
  [
    'Ubuntu 18.04 from lsb-release only',
    [madeFile('/etc/lsb-release', 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\nDISTRIB_DESCRIPTION="Ubuntu 18.04.1 LTS"\n')],
    { family: 'ubuntu', release: '18.04', ecosystem: 'Ubuntu:18.04:LTS', name: 'Ubuntu 18.04.1 LTS', endOfLife: '2023-05-31' },
  ],
  [
    'Alpine 3.20.3',
    [osRelease(['NAME="Alpine Linux"', 'ID=alpine', 'VERSION_ID=3.20.3', 'PRETTY_NAME="Alpine Linux v3.20"']), madeFile('/etc/alpine-release', '3.20.3\n')],
    { family: 'alpine', release: '3.20.3', ecosystem: 'Alpine:v3.20', name: 'Alpine Linux v3.20', endOfLife: '2026-04-01' },
  ],
  ['Alpine edge has no OSV release branch', [osRelease(['ID=alpine', 'VERSION_ID=3.21_alpha20240923', 'PRETTY_NAME="Alpine Linux edge"'])], { family: 'alpine', ecosystem: null }],
  ['alpine-release alone', [madeFile('/etc/alpine-release', '3.19.1\n')], { family: 'alpine', release: '3.19.1', ecosystem: 'Alpine:v3.19', endOfLife: '2025-11-01' }],
  ['Wolfi (rolling)', [osRelease(['ID=wolfi', 'NAME="Wolfi"', 'PRETTY_NAME="Wolfi"', 'VERSION_ID="20230201"'])], { family: 'wolfi', ecosystem: 'Wolfi', endOfLife: undefined }],
  ['Chainguard (rolling)', [osRelease(['ID=chainguard', 'NAME="Chainguard"', 'PRETTY_NAME="Chainguard"', 'VERSION_ID="20230214"'])], { family: 'chainguard', ecosystem: 'Chainguard' }],
  [
    'AlmaLinux 9.4: major only',
    [osRelease(['NAME="AlmaLinux"', 'VERSION="9.4 (Seafoam Ocelot)"', 'ID="almalinux"', 'VERSION_ID="9.4"', 'PRETTY_NAME="AlmaLinux 9.4 (Seafoam Ocelot)"'])],
    { family: 'almalinux', release: '9.4', ecosystem: 'AlmaLinux:9', endOfLife: '2032-05-31' },
  ],
  ['Rocky Linux 8.9', [osRelease(['NAME="Rocky Linux"', 'ID="rocky"', 'VERSION_ID="8.9"', 'PRETTY_NAME="Rocky Linux 8.9 (Green Obsidian)"'])], { family: 'rocky', ecosystem: 'Rocky Linux:8', endOfLife: '2029-05-31' }],
  [
    'RHEL (UBI 9) keyed by its CPE',
    [osRelease(['NAME="Red Hat Enterprise Linux"', 'ID="rhel"', 'VERSION_ID="9.4"', 'PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"', 'CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"'])],
    { family: 'rhel', release: '9.4', ecosystem: 'Red Hat:enterprise_linux:9::baseos', endOfLife: '2032-05-31' },
  ],
  ['RHEL without CPE_NAME: no ecosystem rather than a guess', [osRelease(['ID="rhel"', 'VERSION_ID="8.10"'])], { family: 'rhel', ecosystem: null, endOfLife: '2029-05-31' }],
  ['CentOS 7 (OSV has no CentOS data)', [osRelease(['NAME="CentOS Linux"', 'ID="centos"', 'VERSION_ID="7"', 'PRETTY_NAME="CentOS Linux 7 (Core)"'])], { family: 'centos', ecosystem: null, endOfLife: '2024-06-30' }],
  ['CentOS Stream 9', [osRelease(['NAME="CentOS Stream"', 'ID="centos"', 'VERSION_ID="9"', 'PRETTY_NAME="CentOS Stream 9"'])], { family: 'centos', ecosystem: null, endOfLife: '2027-05-31' }],
  ['Fedora 40', [osRelease(['NAME="Fedora Linux"', 'ID=fedora', 'VERSION_ID=40', 'PRETTY_NAME="Fedora Linux 40 (Container Image)"'])], { family: 'fedora', ecosystem: null, endOfLife: '2025-05-13' }],
  ['Amazon Linux 2', [osRelease(['NAME="Amazon Linux"', 'ID="amzn"', 'VERSION_ID="2"', 'PRETTY_NAME="Amazon Linux 2"'])], { family: 'amazon', release: '2', ecosystem: null, endOfLife: '2026-06-30' }],
  ['Amazon Linux 2023', [osRelease(['ID="amzn"', 'VERSION_ID="2023"', 'PRETTY_NAME="Amazon Linux 2023.5.20240708"'])], { family: 'amazon', release: '2023', endOfLife: '2029-06-30' }],
  ['redhat-release only', [madeFile('/etc/redhat-release', 'Red Hat Enterprise Linux release 8.10 (Ootpa)\n')], { family: 'rhel', release: '8.10', ecosystem: null, name: 'Red Hat Enterprise Linux release 8.10 (Ootpa)' }],
  [
    'centos-release wins over redhat-release',
    [madeFile('/etc/redhat-release', 'CentOS Linux release 7.9.2009 (Core)\n'), madeFile('/etc/centos-release', 'CentOS Linux release 7.9.2009 (Core)\n')],
    { family: 'centos', release: '7.9.2009', endOfLife: '2024-06-30' },
  ],
  ['system-release (Amazon Linux 2)', [madeFile('/etc/system-release', 'Amazon Linux release 2 (Karoo)\n')], { family: 'amazon', release: '2', endOfLife: '2026-06-30' }],
  ['rocky-release', [madeFile('/etc/rocky-release', 'Rocky Linux release 9.3 (Blue Onyx)\n')], { family: 'rocky', release: '9.3', ecosystem: 'Rocky Linux:9' }],
  [
    'SLES 15 SP5: SUSE keyed by product name',
    [osRelease(['NAME="SLES"', 'VERSION="15-SP5"', 'VERSION_ID="15.5"', 'PRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"', 'ID="sles"'])],
    { family: 'sles', ecosystem: 'SUSE:Linux Enterprise Server 15 SP5' },
  ],
  ['openSUSE Leap 15.5', [osRelease(['NAME="openSUSE Leap"', 'ID="opensuse-leap"', 'VERSION_ID="15.5"', 'PRETTY_NAME="openSUSE Leap 15.5"'])], { family: 'opensuse', ecosystem: 'openSUSE:Leap 15.5' }],
  ['openSUSE Tumbleweed', [osRelease(['ID="opensuse-tumbleweed"', 'VERSION_ID="20240101"'])], { family: 'opensuse', ecosystem: 'openSUSE:Tumbleweed' }],
  ['CBL-Mariner 2.0', [osRelease(['NAME="Common Base Linux Mariner"', 'ID=mariner', 'VERSION_ID="2.0"'])], { family: 'mariner', ecosystem: 'Azure Linux:2.0' }],
  ['an ID OSV does not know', [osRelease(['ID=arch', 'PRETTY_NAME="Arch Linux"'])], { family: 'arch', release: '', ecosystem: null, name: 'Arch Linux' }],
  [
    'quoting as os-release(5) allows it',
    [osRelease(['# comment', "ID='debian'", 'VERSION_ID=12', 'PRETTY_NAME="Debian \\"bookworm\\" \\$HOME"'])],
    { family: 'debian', name: 'Debian "bookworm" $HOME' },
  ],
  ['a layer of status.d stanzas only (a distroless package layer)', [madeFile('/var/lib/dpkg/status.d/libssl3', 'Package: libssl3\nVersion: 3.0.15-1~deb12u1\n')], undefined],
];

describe('os analyser: release files → OS', () => {
  it.each(cases)('%s', (_name, files, want) => {
    const r = analyse(files);
    expect(r.packages).toEqual([]);
    expect(r.gaps).toEqual([]);
    if (want === undefined) expect(r.os).toBeUndefined();
    else {
      expect(r.os).toBeDefined();
      for (const [k, v] of Object.entries(want)) expect(r.os![k as keyof FoundOs], k).toEqual(v);
    }
  });
});

describe('os analyser: which files', () => {
  it.each([
    ['/etc/os-release', true],
    ['/usr/lib/os-release', true],
    ['/etc/debian_version', true],
    ['/etc/alpine-release', true],
    ['/etc/redhat-release', true],
    ['/etc/system-release', true],
    ['/etc/lsb-release', true],
    ['/var/lib/dpkg/status.d/libc6', true],
    // Rewritten by any package upgrade: wanting them would key the OS result on them (see os.ts).
    ['/bin/busybox', false],
    ['/var/lib/dpkg/status', false],
    ['/lib/apk/db/installed', false],
    ['/etc/os-release.bak', false],
    ['/opt/app/etc/os-release', false],
    ['/usr/share/doc/busybox', false],
  ])('%s → %s', (path, wanted) => {
    expect(osAnalyser.wants(path, { mode: 0o644, size: 100 })).toBe(wanted);
  });
});

describe('os analyser: hostile release files are gaps, bounded', () => {
  it('an os-release of 1 MiB is not parsed', () => {
    const r = analyse([madeFile('/etc/os-release', 'ID=debian\n' + '#'.repeat(1 << 20))]);
    expect(r.os).toBeUndefined();
    expect(r.gaps).toEqual([{ path: '/etc/os-release', reason: expect.stringMatching(/too large for a release file/) }]);
  });

  it('an os-release without ID names no distribution; the next file is used', () => {
    const r = analyse([osRelease(['NAME=Linux']), madeFile('/etc/alpine-release', '3.18.0\n')]);
    expect(r.os).toMatchObject({ family: 'alpine', release: '3.18.0' });
    expect(r.gaps).toEqual([{ path: '/etc/os-release', reason: 'no ID= line: the distribution is not named' }]);
  });

  it('a redhat-release that is not a release line', () => {
    const r = analyse([madeFile('/etc/redhat-release', '\x1b[31mhello\n')]);
    expect(r.os).toBeUndefined();
    expect(r.gaps).toEqual([{ path: '/etc/redhat-release', reason: 'not a "<name> release <version>" line: ?[31mhello' }]);
  });

  it('values with blanks or control characters are not taken as a release', () => {
    const r = analyse([osRelease(['ID=debian', 'VERSION_ID="12 \x07"', `PRETTY_NAME="${'A'.repeat(500)}"`])]);
    expect(r.os).toMatchObject({ family: 'debian', release: '', ecosystem: null });
    expect(r.os!.name.length).toBeLessThanOrEqual(121);
  });
});

describe('preferOs: merging the OS results of two layers', () => {
  const debian: FoundOs = { family: 'debian', release: '12', ecosystem: 'Debian:12', name: 'Debian 12' };
  const debian13: FoundOs = { ...debian, release: '13', ecosystem: 'Debian:13' };
  const busybox: FoundOs = { family: 'busybox', release: '1.36.1', ecosystem: null, name: 'BusyBox', variant: 'busybox' };
  it.each([
    ['later release wins', debian, debian13, debian13],
    ['a busybox guess never replaces a release', debian, busybox, debian],
    ['a release replaces a busybox guess', busybox, debian, debian],
    ['nothing below', null, busybox, busybox],
    ['nothing above', debian, undefined, debian],
  ] as const)('%s', (_n, lower, upper, want) => {
    expect(preferOs(lower, upper)).toEqual(want);
  });
});

describe('os and apk analysers on a real image (Trivy alpine-311.tar.gz, image_test.go)', () => {
  it('the layer gives Alpine 3.11.5 (Alpine:v3.11) and the packages Trivy expects', async () => {
    const fx = fixturesUnder('layouts').find((f) => f.path === 'layouts/alpine-311.tar.gz')!;
    const layerExp = (fx.expectations[0]!.layers as { os: { family: string; name: string }; packageInfos: { filePath: string; packages: Record<string, unknown>[] }[] }[])[0]!;
    const image = await resolveArchive(`docker-archive:${sharedPath('testdata', 'images', 'layouts', 'alpine-311.tar.gz')}`, { platform: 'linux/amd64' });
    const record = await analyseLayer(image, 0, [osAnalyser, apkAnalyser]);
    expect(record.gaps).toEqual([]);
    expect(record.os!.os).toMatchObject({ family: layerExp.os.family, release: layerExp.os.name, ecosystem: 'Alpine:v3.11', endOfLife: '2021-11-01' });
    const want = layerExp.packageInfos[0]!.packages.map((p) => ({ name: p.name, version: p.version, arch: p.arch, source: { name: p.srcName, version: p.srcVersion } }));
    const got = record.packages.map((p) => ({ name: p.name, version: p.version, arch: p.arch, source: p.source }));
    const key = (a: { name: unknown }) => String(a.name);
    expect(got.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(want.sort((a, b) => key(a).localeCompare(key(b))));
    expect(record.packages.every((p) => p.paths[0] === '/' + layerExp.packageInfos[0]!.filePath)).toBe(true);
  });

  it('alpine-310.tar.gz (no peer assertion; the spot check in expected.json `observed`): Alpine 3.10.4 and its 14 packages', async () => {
    const fx = fixturesUnder('layouts').find((f) => f.path === 'layouts/alpine-310.tar.gz')!;
    const observed = (fx as unknown as { observed: { alpineRelease: string; apkPackages: { name: string; version: string; origin: string; arch: string }[] }[] }).observed[0]!;
    const image = await resolveArchive(`docker-archive:${sharedPath('testdata', 'images', 'layouts', 'alpine-310.tar.gz')}`, { platform: 'linux/amd64' });
    const record = await analyseLayer(image, 0, [osAnalyser, busyboxAnalyser, apkAnalyser]);
    expect(record.gaps).toEqual([]);
    expect(record.os!.os).toMatchObject({ family: 'alpine', release: observed.alpineRelease, ecosystem: 'Alpine:v3.10', endOfLife: '2021-05-01' });
    // The OS result is keyed by release files, never by /bin/busybox or the apk database (rewritten by upgrades).
    expect(record.os!.paths.every((p) => p.startsWith('/etc/'))).toBe(true);
    const got = record.packages.map((p) => ({ name: p.name, version: p.version, origin: p.source!.name, arch: p.arch }));
    expect(got.sort((a, b) => a.name.localeCompare(b.name))).toEqual([...observed.apkPackages].sort((a, b) => a.name.localeCompare(b.name)));
  });
});
