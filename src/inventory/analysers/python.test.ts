import { describe, expect, it } from 'vitest';
import { fixtureFile, fixturesUnder, madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { sharedZipEntries } from '../../../test/helpers/shared.js';
import type { OsvRecord } from '../../model/advisory.js';
import { matchRecord } from '../../vuln/match.js';
import { pep440 } from '../../versioning/pep440.js';
import { pep503Name } from '../lang/purl.js';
import { pythonAnalyser } from './python.js';

const SITE = '/usr/local/lib/python3.12/site-packages';
const pick = (p: { name: string; version: string; purl?: string }) => ({ name: p.name, version: p.version, purl: p.purl });

/** Where each flat Trivy fixture sits in an image: its own kind of metadata file. */
function imagePathOf(fixturePath: string): string {
  const base = fixturePath.slice(fixturePath.lastIndexOf('/') + 1);
  if (base.endsWith('.egg-info')) return `${SITE}/${base}`;
  if (base.endsWith('.PKG-INFO')) return `${SITE}/${base.slice(0, -'.PKG-INFO'.length).replace(/(\.egg-info)?$/, '.egg-info')}/PKG-INFO`;
  if (base.endsWith('.METADATA')) return `${SITE}/${base.slice(0, -'.METADATA'.length)}.dist-info/METADATA`;
  return `${SITE}/${base.replace(/\.json$/, '')}.dist-info/METADATA`;
}

describe('python analyser on the Trivy core-metadata fixtures (../shared/testdata/images/python, expected.json)', () => {
  const fixtures = fixturesUnder('python');
  it('covers all eleven fixtures', () => expect(fixtures.length).toBe(11));

  for (const fixture of fixtures) {
    const peer = fixture.expectations[0]!;
    const path = imagePathOf(fixture.path);
    it(`${fixture.path} at ${path.slice(SITE.length + 1)}: ${peer.from.test}`, () => {
      const file = fixtureFile(fixture, path);
      expect(pythonAnalyser.wants(file.path, { mode: 0o644, size: file.size })).toBe(true);
      const result = pythonAnalyser.analyse([file]);
      if (peer.error !== undefined) {
        expect(result.packages).toEqual([]);
        expect(result.gaps).toEqual([{ path: file.path, reason: 'no Name header: not Python package metadata' }]);
        return;
      }
      expect(result.gaps).toEqual([]);
      // Deliberate difference: Trivy keeps the name as written (Unidecode); we report the PEP 503
      // form (unidecode) because OSV's PyPI records are keyed by it and matching is exact.
      const expected = (peer.packages as { name: string; version: string }[]).map((p) => ({
        name: pep503Name(p.name),
        version: p.version,
        purl: `pkg:pypi/${pep503Name(p.name)}@${p.version}`,
      }));
      expect(result.packages.map(pick)).toEqual(expected);
      expect(result.packages[0]).toMatchObject({ type: 'pypi', ecosystem: 'PyPI', confidence: 'exact', paths: [file.path] });
    });
  }

  it('Unidecode is the one fixture whose name normalisation changes it', () => {
    const changed = fixtures.flatMap((f) => (f.expectations[0]!.packages ?? []) as { name: string }[]).filter((p) => pep503Name(p.name) !== p.name);
    expect(changed.map((p) => p.name)).toEqual(['Unidecode']);
  });
});

describe('python analyser: which files it reads', () => {
  const cases: [string, boolean][] = [
    [`${SITE}/requests-2.31.0.dist-info/METADATA`, true],
    [`${SITE}/setuptools-51.3.3-py3.8.egg-info/PKG-INFO`, true],
    [`${SITE}/distlib-0.3.1-py3.9.egg-info`, true],
    [`${SITE}/foo-1.0-py3.egg/EGG-INFO/PKG-INFO`, true],
    ['/usr/lib/python3/dist-packages/six-1.16.0.egg-info', true],
    [`${SITE}/requests-2.31.0.dist-info/RECORD`, false],
    [`${SITE}/requests-2.31.0.dist-info/METADATA.bak`, false],
    [`${SITE}/requests/METADATA`, false],
    [`${SITE}/foo-1.0-py3.egg`, false],
    [`${SITE}/PKG-INFO`, false],
  ];
  for (const [path, want] of cases) it(`${path} → ${want}`, () => expect(pythonAnalyser.wants(path, { mode: 0o644, size: 10 })).toBe(want));
});

describe('python analyser: names, headers and hostile metadata', () => {
  const P = `${SITE}/x-1.0.dist-info/METADATA`;
  const cases: { name: string; content: string | Buffer; packages: ReturnType<typeof pick>[]; gap?: RegExp }[] = [
    { name: 'dots and underscores normalised (PEP 503)', content: 'Metadata-Version: 2.1\nName: Zope.Interface__x\nVersion: 6.0\n', packages: [{ name: 'zope-interface-x', version: '6.0', purl: 'pkg:pypi/zope-interface-x@6.0' }] },
    { name: 'CRLF line ends and header names in any case', content: 'metadata-version: 2.1\r\nNAME: Foo\r\nversion: 1.0\r\n', packages: [{ name: 'foo', version: '1.0', purl: 'pkg:pypi/foo@1.0' }] },
    { name: 'a local version label: + is encoded in the purl', content: 'Name: torch\nVersion: 2.3.0+cpu\n', packages: [{ name: 'torch', version: '2.3.0+cpu', purl: 'pkg:pypi/torch@2.3.0%2Bcpu' }] },
    { name: 'only the headers count: a Name in the body is not read', content: 'Name: real\nVersion: 1.0\n\nName: fake\nVersion: 9.9\n', packages: [{ name: 'real', version: '1.0', purl: 'pkg:pypi/real@1.0' }] },
    { name: 'the body is not searched for a missing Version', content: 'Name: real\n\nVersion: 9.9\n', packages: [], gap: /no Version header/ },
    { name: 'the first Name wins', content: 'Name: first\nName: second\nVersion: 1.0\n', packages: [{ name: 'first', version: '1.0', purl: 'pkg:pypi/first@1.0' }] },
    { name: 'continuation lines and stray lines are skipped', content: 'Metadata-Version: 1.0\nSummary: a\n  long summary\nstray line\nName: a\nVersion: 1\n', packages: [{ name: 'a', version: '1', purl: 'pkg:pypi/a@1' }] },
    { name: 'a name with a space', content: 'Name: a b\nVersion: 1.0\n', packages: [], gap: /Name "a b" is not a Python project name/ },
    { name: 'a version with a blank', content: 'Name: a\nVersion: 1.0 beta\n', packages: [], gap: /Version "1.0 beta" of a is not a version/ },
    { name: 'empty file', content: '', packages: [], gap: /no Name header/ },
    { name: 'binary junk', content: Buffer.from([0, 0xff, 0x3a, 0x0a, 0x01]), packages: [], gap: /no Name header/ },
    { name: 'a header line of 1 MiB is read and refused, not echoed', content: `Name: ${'a'.repeat(1 << 20)}\nVersion: 1\n`, packages: [], gap: /^Name "a{120}…" is not a Python project name$/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = pythonAnalyser.analyse([madeFile(P, c.content)]);
      expect(r.packages.map(pick)).toEqual(c.packages);
      if (c.gap) {
        expect(r.gaps).toHaveLength(1);
        expect(r.gaps[0]!.reason).toMatch(c.gap);
      } else expect(r.gaps).toEqual([]);
    });
  }

  it(`metadata over maxFileBytes (${pythonAnalyser.maxFileBytes}) is a gap, not read`, () => {
    const r = pythonAnalyser.analyse([madeFile(P, Buffer.alloc(pythonAnalyser.maxFileBytes + 1, 0x41))]);
    expect(r.packages).toEqual([]);
    expect(r.gaps[0]!.reason).toMatch(/over the 8388608-byte limit/);
  });

  it('8 MiB of header lines without a blank line is read in linear time', () => {
    const text = 'X-Junk: y\n'.repeat(800_000) + 'Name: a\nVersion: 1\n';
    const t0 = performance.now();
    const r = pythonAnalyser.analyse([madeFile(P, text)]);
    expect(r.packages.map((p) => p.name)).toEqual(['a']);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('python analyser: its packages meet the real PyPI records (../shared/osv/real-mixed.zip)', () => {
  it('setuptools 51.3.3 (egg-info fixture) is affected by PYSEC-2022-43012 (fixed 65.5.1), not by PYSEC-2013-22 (fixed 0.7)', () => {
    const found = fixturesUnder('python')
      .filter((f) => f.expectations[0]!.error === undefined)
      .flatMap((f) => pythonAnalyser.analyse([fixtureFile(f, imagePathOf(f.path))]).packages);
    const names = new Set(found.map((p) => p.name));
    const byId = new Map<string, string>();
    for (const e of sharedZipEntries('osv', 'real-mixed.zip')) {
      if (!e.name.endsWith('.json')) continue;
      const r = JSON.parse(e.data.toString('utf8')) as OsvRecord;
      for (const a of r.affected ?? []) {
        if (a.package?.ecosystem !== 'PyPI' || !names.has(a.package.name)) continue;
        const p = found.find((x) => x.name === a.package!.name)!;
        byId.set(`${r.id} ${p.name} ${p.version}`, matchRecord(r, 'PyPI', p.name, p.version, pep440).status);
      }
    }
    expect(Object.fromEntries(byId)).toEqual({
      'PYSEC-2013-22 setuptools 51.3.3': 'not-affected',
      'PYSEC-2022-43012 setuptools 51.3.3': 'affected',
    });
  });
});
