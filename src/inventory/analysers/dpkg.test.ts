/**
 * The dpkg analyser against the peers' own fixtures and expectations (../shared/testdata/images,
 * expected.json: Trivy's dpkg analyzer tests and Syft's dpkg parser and cataloger tests), then
 * against hostile databases made here.
 */
import { describe, expect, it } from 'vitest';
import type { FoundPackage, ImageFile } from '../../model/stages.js';
import { fixtureFile, fixturesUnder, madeFile, type ImageFixture } from '../../../test/helpers/image-content-fixtures.js';
import { MAX_PACKAGES_PER_FILE } from '../lang/per-file.js';
import { MAX_PROBLEMS_PER_FILE } from '../dpkg/parse.js';
import { dpkgAnalyser } from './dpkg.js';
import { osAnalyser } from './os.js';
import { osPackagePurl } from '../os/purl.js';

interface Row {
  name: string;
  version: string;
  arch: string | undefined;
  source: { name: string; version: string } | undefined;
}

const row = (p: FoundPackage): Row => ({ name: p.name, version: p.version, arch: p.arch, source: p.source as Row['source'] });
const byName = (a: Row, b: Row): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1);

/** Trivy splits a Debian version into epoch, version and release; join them back to dpkg's string. */
function debVersion(epoch: unknown, version: unknown, release: unknown): string {
  return `${epoch ? `${String(epoch)}:` : ''}${String(version)}${release ? `-${String(release)}` : ''}`;
}

function trivyRow(p: Record<string, unknown>): Row {
  return {
    name: String(p.name),
    version: debVersion(p.epoch, p.version, p.release),
    arch: p.arch as string | undefined,
    source: { name: String(p.srcName), version: debVersion(p.srcEpoch, p.srcVersion, p.srcRelease) },
  };
}

/** Syft's raw entries keep the whole version, `source` only when Source: is there, `sourceVersion` only when it carries one. */
function syftRow(e: Record<string, unknown>): Row {
  const meta = (e.metadata as Record<string, unknown> | undefined) ?? e;
  const name = String(meta.package ?? e.name);
  const version = String(meta.version ?? e.version);
  return {
    name,
    version,
    arch: meta.architecture as string | undefined,
    source: { name: (meta.source as string | undefined) ?? name, version: (meta.sourceVersion as string | undefined) ?? version },
  };
}

function analyse(files: ImageFile[]) {
  for (const f of files) expect(dpkgAnalyser.wants(f.path, { mode: 0o644, size: f.size })).toBe(true);
  return dpkgAnalyser.analyse(files);
}

const fixture = (path: string): ImageFixture => {
  const f = fixturesUnder('dpkg').find((x) => x.path === path);
  if (!f) throw new Error(`no fixture ${path} in expected.json`);
  return f;
};

/** The flat syft status.d fixtures go where a distroless image keeps them. */
const statusDFile = (f: ImageFixture): ImageFile => fixtureFile(f, `/var/lib/dpkg/status.d/${f.path.split('/').pop()!}`);

describe('dpkg analyser: Trivy fixtures (dpkg_test.go)', () => {
  const cases: { path: string; gaps: RegExp[] }[] = [
    { path: 'dpkg/trivy-valid/var/lib/dpkg/status', gaps: [] },
    { path: 'dpkg/trivy-only-apt/var/lib/dpkg/status', gaps: [] },
    { path: 'dpkg/trivy-digest/var/lib/dpkg/status', gaps: [] },
    { path: 'dpkg/trivy-md5sums/var/lib/dpkg/status', gaps: [] },
    { path: 'dpkg/trivy-third-party/var/lib/dpkg/status', gaps: [] },
    // Trivy drops these two stanzas without a word; here they are gaps (the packages are the same).
    {
      path: 'dpkg/trivy-corrupsed/var/lib/dpkg/status',
      gaps: [/package brokenPackageWithNoVersionThatShouldGetThrownOut \(line \d+\) has no Version/, /package invalidpkg: version 1:5\.# is not a valid Debian version/],
    },
  ];
  it.each(cases)('$path', ({ path, gaps }) => {
    const fx = fixture(path);
    const exp = fx.expectations[0]!;
    const result = analyse([fixtureFile(fx)]);
    expect(result.packages.map(row).sort(byName)).toEqual(exp.packages!.map(trivyRow).sort(byName));
    expect(result.gaps.map((g) => g.reason)).toEqual(gaps.map((re) => expect.stringMatching(re)));
    for (const p of result.packages) {
      expect(p).toMatchObject({ type: 'deb', paths: ['/var/lib/dpkg/status'], confidence: 'exact' });
      // OS packages get ecosystem and purl from the image's OS, later.
      expect(p.ecosystem).toBeUndefined();
      expect(p.purl).toBeUndefined();
    }
  });

  it('valid: 91 stanzas, the deinstalled one skipped; epochs stay in the version, binNMU sources keep their own version', () => {
    const result = analyse([fixtureFile(fixture('dpkg/trivy-valid/var/lib/dpkg/status'))]);
    expect(result.packages).toHaveLength(90);
    const get = (n: string) => result.packages.find((p) => p.name === n);
    expect(get('bsdutils')).toMatchObject({ version: '1:2.31.1-0.4ubuntu3.1', source: { name: 'util-linux', version: '2.31.1-0.4ubuntu3.1' } });
    expect(get('liblzma5')).toMatchObject({ version: '5.1.1alpha+20120614-2+b3', source: { name: 'xz-utils', version: '5.1.1alpha+20120614-2' } });
    expect(get('zlib1g')).toMatchObject({ version: '1:1.2.11.dfsg-0ubuntu2', source: { name: 'zlib', version: '1:1.2.11.dfsg-0ubuntu2' } });
  });
});

describe('dpkg analyser: Syft fixtures (parse_dpkg_db_test.go, cataloger_test.go)', () => {
  it.each(['dpkg/syft-status.d/single', 'dpkg/syft-status.d/installed-size-4KB', 'dpkg/syft-status.d/deinstall'])('%s', (path) => {
    const fx = fixture(path);
    const result = analyse([statusDFile(fx)]);
    expect(result.packages.map(row)).toEqual((fx.expectations[0]!.entries as Record<string, unknown>[]).map(syftRow));
    expect(result.gaps).toEqual([]);
  });

  it('multiple: the stanza without Version is a gap (Syft\'s parser returns it, its cataloger drops it)', () => {
    const fx = fixture('dpkg/syft-status.d/multiple');
    const result = analyse([statusDFile(fx)]);
    const entries = (fx.expectations[0]!.entries as Record<string, unknown>[]).filter((e) => e.version !== undefined);
    expect(result.packages.map(row)).toEqual(entries.map(syftRow));
    expect(result.gaps).toEqual([{ path: '/var/lib/dpkg/status.d/multiple', reason: expect.stringMatching(/package no-version \(line 3\) has no Version/) }]);
  });

  it('corrupt: Syft fails the file; here no package and gaps naming the lines', () => {
    const fx = fixture('dpkg/syft-status.d/corrupt');
    expect(fx.expectations[0]!.error).toBe(true);
    const result = analyse([statusDFile(fx)]);
    expect(result.packages).toEqual([]);
    expect(result.gaps.map((g) => g.reason)).toEqual([
      expect.stringMatching(/^line 5: not a "Field: value" line: Insterface/),
      'line 6: continuation line outside a field',
      'stanza at line 1 has no Package field',
    ]);
  });

  // These peer tests check dependency edges, which FoundPackage does not carry; the packages themselves must all be read.
  // Two of the hand-made files list bare `Package:` stanzas (only Provides, no Version) as dependency targets: gaps here.
  it.each([
    ['dpkg/syft-status.d/coreutils-relationships', 0],
    ['dpkg/syft-status.d/doc-examples', 11],
    ['dpkg/syft-status.d/libpam-runtime', 5],
  ] as const)('%s: every package of the relationship table is read (%d stanzas without Version)', (path, noVersion) => {
    const fx = fixture(path);
    const result = analyse([statusDFile(fx)]);
    expect(result.gaps.map((g) => g.reason)).toEqual(Array.from({ length: noVersion }, () => expect.stringMatching(/^package \S+ \(line \d+\) has no Version$/)));
    const names = new Set(result.packages.map((p) => p.name));
    for (const key of Object.keys(fx.expectations[0]!.dependencyOf as object)) expect(names).toContain(key);
  });

  it('image-dpkg: Debian 12 os-release gives the purl Syft expects (distro and upstream qualifiers)', () => {
    const fx = fixture('dpkg/syft-image-dpkg/var/lib/dpkg/status');
    const exp = fx.expectations[0]!.packages![0]!;
    const result = analyse([fixtureFile(fx)]);
    expect(result.packages.map(row)).toEqual([syftRow(exp)]);
    const os = osAnalyser.analyse([fixtureFile({ path: 'dpkg/syft-image-dpkg/etc/os-release', root: 'dpkg/syft-image-dpkg' })]).os!;
    expect(os).toMatchObject({ family: 'debian', release: '12', ecosystem: 'Debian:12' });
    expect(osPackagePurl(result.packages[0]!, os)).toBe(exp.purl);
  });

  it('distroless: a status.d stanza without Status is installed; the .md5sums beside it is not a stanza', () => {
    const fx = fixture('dpkg/syft-distroless/var/lib/dpkg/status.d/libsqlite3-0');
    const exp = fx.expectations[0]!.packages![0]!;
    expect(exp.purl).toBeUndefined();
    expect(dpkgAnalyser.wants('/var/lib/dpkg/status.d/libsqlite3-0.md5sums', { mode: 0o644, size: 459 })).toBe(false);
    const result = analyse([fixtureFile(fx)]);
    expect(result.packages.map(row)).toEqual([syftRow(exp)]);
    expect(result.packages[0]).toMatchObject({ arch: 'arm64', paths: ['/var/lib/dpkg/status.d/libsqlite3-0'] });
    // No release file in the tree: no OS result, as Syft has no distro (and so no purl) for it.
    expect(osAnalyser.analyse([fixtureFile(fx)]).os).toBeUndefined();
  });
});

describe('dpkg analyser: which files', () => {
  it.each([
    ['/var/lib/dpkg/status', true],
    ['/var/lib/dpkg/status.d/libc6', true],
    ['/var/lib/dpkg/status.d/libbz2-1.0', true],
    ['/var/lib/dpkg/status.d/libstdc++6', true],
    ['/var/lib/dpkg/status.d/base-files.md5sums', false],
    ['/var/lib/dpkg/status.d/libsqlite3-0.preinst', false],
    ['/var/lib/dpkg/status.d/sub/dir', false],
    ['/var/lib/dpkg/status.d/.wh.foo', false],
    ['/var/lib/dpkg/status-old', false],
    ['/var/lib/dpkg/available', false],
    ['/var/lib/dpkg/info/tar.md5sums', false],
    ['/usr/var/lib/dpkg/status', false],
  ])('%s → %s', (path, wanted) => {
    expect(dpkgAnalyser.wants(path, { mode: 0o644, size: 100 })).toBe(wanted);
  });
});

describe('dpkg analyser: status, Source and versions', () => {
  const stanza = (fields: string): string => `Package: foo\nArchitecture: amd64\n${fields}\n`;
  it.each([
    ['install ok installed', 1, []],
    ['install ok unpacked', 1, []],
    ['install ok half-configured', 1, []],
    ['install ok triggers-pending', 1, []],
    ['deinstall ok config-files', 0, []],
    ['deinstall ok installed', 0, []],
    ['purge ok not-installed', 0, []],
    ['install ok not-installed', 0, []],
    ['install reinstreq half-installed', 0, [/package foo is half-installed \(Status: install reinstreq half-installed\): not reported/]],
  ] as [string, number, RegExp[]][])('Status: %s → %d package(s)', (status, count, gaps) => {
    const r = analyse([madeFile('/var/lib/dpkg/status', stanza(`Status: ${status}\nVersion: 1.0-1`))]);
    expect(r.packages).toHaveLength(count);
    expect(r.gaps.map((g) => g.reason)).toEqual(gaps.map((re) => expect.stringMatching(re)));
  });

  it.each([
    ['', { name: 'foo', version: '1:2.0-3' }],
    ['Source: bar', { name: 'bar', version: '1:2.0-3' }],
    ['Source: bar (2.0-3)', { name: 'bar', version: '2.0-3' }],
    ['Source: bar (1:2.0-3)', { name: 'bar', version: '1:2.0-3' }],
    ['Source: bar   ( 2.0-2 )', { name: 'bar', version: '2.0-2' }],
  ])('%j → source %j', (src, source) => {
    const r = analyse([madeFile('/var/lib/dpkg/status', stanza(`Status: install ok installed\nVersion: 1:2.0-3\n${src}`))]);
    expect(r.gaps).toEqual([]);
    expect(r.packages[0]).toMatchObject({ name: 'foo', version: '1:2.0-3', arch: 'amd64', source });
  });

  it.each([
    ['Version: 1:2.0-3\nSource: bar (2.0', /Source bar \(2\.0 is not "name" or "name \(version\)"/],
    ['Version: 1:2.0-3\nSource: bar (x.y)', /source version x\.y is not a valid Debian version/],
    ['Version: a1.0', /version a1\.0 is not a valid Debian version/],
    ['Version: 1.0 beta', /version 1\.0 beta is not a valid Debian version/],
    ['Version: 1.0\nVersion: 2.0', /line 4: a second Version field in the stanza of line 1: ignored/],
  ])('%j is a gap', (fields, re) => {
    const r = analyse([madeFile('/var/lib/dpkg/status', stanza(fields))]);
    expect(r.gaps.map((g) => g.reason)).toEqual([expect.stringMatching(re)]);
  });

  it('CRLF line ends and a last stanza without a final newline are read', () => {
    const r = analyse([madeFile('/var/lib/dpkg/status', 'Package: a\r\nVersion: 1\r\n\r\nPackage: b\r\nVersion: 2')]);
    expect(r.packages.map((p) => `${p.name}=${p.version}`)).toEqual(['a=1', 'b=2']);
    expect(r.gaps).toEqual([]);
  });

  it('the same package twice in one file is listed once', () => {
    const r = analyse([madeFile('/var/lib/dpkg/status', 'Package: a\nVersion: 1\n\nPackage: a\nVersion: 1\n')]);
    expect(r.packages).toHaveLength(1);
  });
});

describe('dpkg analyser: hostile databases stay bounded and become gaps', () => {
  it('binary data is refused without parsing', () => {
    const r = analyse([madeFile('/var/lib/dpkg/status', Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(4096), Buffer.from('Package: x\nVersion: 1\n')]))]);
    expect(r.packages).toEqual([]);
    expect(r.gaps).toEqual([{ path: '/var/lib/dpkg/status', reason: 'binary data, not a dpkg database: not read' }]);
  });

  it(`a flood of malformed lines lists ${MAX_PROBLEMS_PER_FILE} and counts the rest`, () => {
    const r = analyse([madeFile('/var/lib/dpkg/status', 'garbage\n'.repeat(10_000) + '\nPackage: ok\nVersion: 1\n')]);
    expect(r.packages.map((p) => p.name)).toEqual(['ok']);
    expect(r.gaps).toHaveLength(MAX_PROBLEMS_PER_FILE);
    expect(r.gaps.at(-1)!.reason).toBe(`${10_000 + 1 - MAX_PROBLEMS_PER_FILE + 1} more problems not listed`);
  });

  it(`more than ${MAX_PACKAGES_PER_FILE} packages: the rest is not read, and says so`, () => {
    const text = Array.from({ length: MAX_PACKAGES_PER_FILE + 10 }, (_, i) => `Package: p${i}\nVersion: 1\n`).join('\n');
    const t0 = Date.now();
    const r = analyse([madeFile('/var/lib/dpkg/status', text)]);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.packages).toHaveLength(MAX_PACKAGES_PER_FILE);
    expect(r.gaps.map((g) => g.reason)).toEqual([`more than ${MAX_PACKAGES_PER_FILE} packages: the rest not read`]);
  });

  it('huge fields (a 4 MiB Description, a 1 MiB package name, a 1 MiB Source) are read in linear time', () => {
    const big = 'x'.repeat(1 << 20);
    const text = [
      `Package: a\nVersion: 1\nDescription: d\n${' more\n'.repeat(700_000)}`,
      `Package: ${big}\nVersion: 1\n`,
      `Package: b\nVersion: 1\nSource: ${big} (${'('.repeat(1000)}\n`,
    ].join('\n');
    const t0 = Date.now();
    const r = analyse([madeFile('/var/lib/dpkg/status', text)]);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.packages.map((p) => p.name)).toEqual(['a']);
    expect(r.gaps.map((g) => g.reason)).toEqual([expect.stringMatching(/^package x{60}…? \(line \d+\): not a valid package name$/), expect.stringMatching(/^package b: Source x+… is not "name"/)]);
  });

  it('a file over the size limit is a gap, never read', () => {
    const file: ImageFile = { ...madeFile('/var/lib/dpkg/status', 'Package: a\nVersion: 1\n'), size: dpkgAnalyser.maxFileBytes + 1 };
    const r = dpkgAnalyser.analyse([file]);
    expect(r.packages).toEqual([]);
    expect(r.gaps[0]!.reason).toMatch(/over the \d+-byte limit/);
  });

  it('control characters from the file do not reach a reason', () => {
    const r = analyse([madeFile('/var/lib/dpkg/status', 'Package: a\nVersion: 1\x1b[31mred\n')]);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.reason).not.toMatch(/\x1b/);
  });
});
