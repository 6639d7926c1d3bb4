/**
 * The apk analyser against the peers' fixtures and expectations (../shared/testdata/images,
 * expected.json: Trivy's apk analyzer test, Syft's apk parser and cataloger tests), then
 * against hostile databases made here.
 */
import { describe, expect, it } from 'vitest';
import type { FoundPackage, ImageFile } from '../../model/stages.js';
import { fixtureFile, fixturesUnder, madeFile, type ImageFixture } from '../../../test/helpers/image-content-fixtures.js';
import { MAX_PACKAGES_PER_FILE } from '../lang/per-file.js';
import { MAX_PROBLEMS_PER_FILE } from '../dpkg/parse.js';
import { apkAnalyser } from './apk.js';
import { osPackagePurl } from '../os/purl.js';

interface Row {
  name: string;
  version: string;
  arch: string | undefined;
  source: { name: string; version: string } | undefined;
}
const row = (p: FoundPackage): Row => ({ name: p.name, version: p.version, arch: p.arch, source: p.source as Row['source'] });
const byName = (a: Row, b: Row): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Trivy: `srcName` is the origin, `srcVersion` the package version. */
const trivyRow = (p: Record<string, unknown>): Row => ({ name: String(p.name), version: String(p.version), arch: p.arch as string, source: { name: String(p.srcName), version: String(p.srcVersion) } });
/** Syft: `originPackage` is the origin. */
function syftRow(p: Record<string, unknown>): Row {
  const m = p.metadata as Record<string, unknown>;
  return { name: String(p.name), version: String(p.version), arch: m.architecture as string, source: { name: String(m.originPackage ?? p.name), version: String(p.version) } };
}

const fixture = (path: string): ImageFixture => {
  const f = fixturesUnder('apk').find((x) => x.path === path);
  if (!f) throw new Error(`no fixture ${path} in expected.json`);
  return f;
};

function analyse(files: ImageFile[]) {
  for (const f of files) expect(apkAnalyser.wants(f.path, { mode: 0o644, size: f.size })).toBe(true);
  return apkAnalyser.analyse(files);
}

describe('apk analyser: peer fixtures', () => {
  it('trivy (apk_test.go): 16 stanzas, the one without V: a gap where Trivy drops it silently', () => {
    const fx = fixture('apk/trivy/lib/apk/db/installed');
    const r = analyse([fixtureFile(fx)]);
    expect(r.packages.map(row).sort(byName)).toEqual(fx.expectations[0]!.packages!.map(trivyRow).sort(byName));
    expect(r.packages).toHaveLength(15);
    expect(r.gaps).toEqual([{ path: '/lib/apk/db/installed', reason: expect.stringMatching(/^package invalidPackageWithoutAVersion \(line \d+\) has no V: \(version\) line$/) }]);
    for (const p of r.packages) {
      expect(p).toMatchObject({ type: 'apk', paths: ['/lib/apk/db/installed'], confidence: 'exact' });
      expect(p.ecosystem).toBeUndefined();
      expect(p.purl).toBeUndefined();
    }
    // The origin is what Alpine's advisories are keyed by.
    expect(r.packages.find((p) => p.name === 'libcrypto1.0')!.source).toEqual({ name: 'openssl', version: '1.0.2h-r1' });
  });

  it.each(['apk/syft-single/lib/apk/db/installed', 'apk/syft-empty-deps-and-provides/lib/apk/db/installed', 'apk/syft-base/lib/apk/db/installed', 'apk/syft-multiple-1/lib/apk/db/installed'])(
    '%s (Syft)',
    (path) => {
      const fx = fixture(path);
      const r = analyse([fixtureFile(fx)]);
      expect(r.packages.map(row).sort(byName)).toEqual(fx.expectations[0]!.packages!.map(syftRow).sort(byName));
      expect(r.gaps).toEqual([]);
    },
  );

  it('syft-multiple-2 (dependency tree test): every package named in the tree is read', () => {
    const fx = fixture('apk/syft-multiple-2/lib/apk/db/installed');
    const r = analyse([fixtureFile(fx)]);
    expect(r.gaps).toEqual([]);
    const tree = fx.expectations[0]!.dependedOnBy as Record<string, string[]>;
    const names = new Set(r.packages.map((p) => p.name));
    for (const [k, vs] of Object.entries(tree)) for (const n of [k, ...vs]) expect(names).toContain(n);
  });

  it('syft-corrupt: Syft fails the file; here the bad line is a gap and the good stanza still counts (as Trivy would read it)', () => {
    const fx = fixture('apk/syft-corrupt/lib/apk/db/installed');
    expect(fx.expectations[0]!.error).toBe(true);
    const r = analyse([fixtureFile(fx)]);
    expect(r.packages.map(row)).toEqual([{ name: 'alpine-baselayout-data', version: '3.2.0-r22', arch: 'x86_64', source: { name: 'alpine-baselayout', version: '3.2.0-r22' } }]);
    expect(r.gaps).toEqual([{ path: '/lib/apk/db/installed', reason: 'line 1: not a "K:value" line: this is a corrupt db' }]);
  });

  it('purls as Syft writes them (upstream only when the origin differs; distro from the OS)', () => {
    const r = analyse([fixtureFile(fixture('apk/trivy/lib/apk/db/installed'))]);
    const os = { family: 'alpine', release: '3.19.1', ecosystem: 'Alpine:v3.19', name: 'Alpine Linux v3.19' };
    const purl = (n: string) => osPackagePurl(r.packages.find((p) => p.name === n)!, os);
    expect(purl('musl')).toBe('pkg:apk/alpine/musl@1.1.14-r10?arch=x86_64&distro=alpine-3.19.1');
    expect(purl('libssl1.0')).toBe('pkg:apk/alpine/libssl1.0@1.0.2h-r1?arch=x86_64&distro=alpine-3.19.1&upstream=openssl');
  });
});

describe('apk analyser: which files', () => {
  it.each([
    ['/lib/apk/db/installed', true],
    ['/usr/lib/apk/db/installed', true],
    ['/lib/apk/db/installed.old', false],
    ['/lib/apk/db/scripts.tar', false],
    ['/etc/apk/world', false],
  ])('%s → %s', (path, wanted) => {
    expect(apkAnalyser.wants(path, { mode: 0o644, size: 100 })).toBe(wanted);
  });
});

describe('apk analyser: hostile and odd databases', () => {
  const db = (s: string | Buffer) => madeFile('/lib/apk/db/installed', s);

  it.each([
    ['P:a\nV:1.0-r0\nP:b\n', /line 3: a second P: line in the stanza of line 1: ignored/, ['a']],
    ['V:1.0-r0\nA:x86_64\n', /^stanza at line 1 has no P: \(name\) line$/, []],
    ['P:a\nV:one\n', /package a: version one is not a valid apk version/, []],
    ['P:a b\nV:1.0\n', /package a b \(line 1\): not a valid package name/, []],
    ['P:a\nV:1.0\no:bad origin\n', /package a: origin bad origin is not a package name/, []],
    [' P:a\n', /line 1: not a "K:value" line/, []],
  ])('%j is a gap', (text, re, names) => {
    const r = analyse([db(text)]);
    expect(r.gaps.map((g) => g.reason)).toEqual([expect.stringMatching(re)]);
    expect(r.packages.map((p) => p.name)).toEqual(names);
  });

  it('no origin: the source is the package itself; CRLF and a missing final newline are fine', () => {
    const r = analyse([db('P:a\r\nV:1.0-r1\r\nA:aarch64\r\n\r\nP:b\nV:2.0-r0')]);
    expect(r.packages.map(row)).toEqual([
      { name: 'a', version: '1.0-r1', arch: 'aarch64', source: { name: 'a', version: '1.0-r1' } },
      { name: 'b', version: '2.0-r0', arch: undefined, source: { name: 'b', version: '2.0-r0' } },
    ]);
    expect(r.gaps).toEqual([]);
  });

  it('binary data is refused without parsing', () => {
    const r = analyse([db(Buffer.concat([Buffer.alloc(100), Buffer.from('P:a\nV:1.0\n')]))]);
    expect(r.packages).toEqual([]);
    expect(r.gaps).toEqual([{ path: '/lib/apk/db/installed', reason: 'binary data, not an apk database: not read' }]);
  });

  it(`a flood of malformed lines lists ${MAX_PROBLEMS_PER_FILE} and counts the rest`, () => {
    const r = analyse([db('junk\n'.repeat(5_000) + '\nP:ok\nV:1.0\n')]);
    expect(r.packages.map((p) => p.name)).toEqual(['ok']);
    expect(r.gaps).toHaveLength(MAX_PROBLEMS_PER_FILE);
    expect(r.gaps.at(-1)!.reason).toBe(`${5_000 - MAX_PROBLEMS_PER_FILE + 1} more problems not listed`);
  });

  it(`more than ${MAX_PACKAGES_PER_FILE} packages: the rest is not read, and says so`, () => {
    const text = Array.from({ length: MAX_PACKAGES_PER_FILE + 5 }, (_, i) => `P:p${i}\nV:1.0-r0\n`).join('\n');
    const t0 = Date.now();
    const r = analyse([db(text)]);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.packages).toHaveLength(MAX_PACKAGES_PER_FILE);
    expect(r.gaps.map((g) => g.reason)).toEqual([`more than ${MAX_PACKAGES_PER_FILE} packages: the rest not read`]);
  });

  it('huge values (a 2 MiB name, a million file lines) are read in linear time', () => {
    const text = `P:${'x'.repeat(2 << 20)}\nV:1.0\n\nP:a\nV:1.0\n${'R:file\n'.repeat(1_000_000)}`;
    const t0 = Date.now();
    const r = analyse([db(text)]);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.packages.map((p) => p.name)).toEqual(['a']);
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]!.reason.length).toBeLessThan(200);
  });

  it('a file over the size limit is a gap, never read', () => {
    const file: ImageFile = { ...db('P:a\nV:1.0\n'), size: apkAnalyser.maxFileBytes + 1 };
    const r = apkAnalyser.analyse([file]);
    expect(r.packages).toEqual([]);
    expect(r.gaps[0]!.reason).toMatch(/over the \d+-byte limit/);
  });
});
