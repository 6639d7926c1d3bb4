import { describe, expect, it } from 'vitest';
import { fixtureFile, fixturesUnder, madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { MAX_PACKAGES_PER_FILE, MAX_PROBLEMS_PER_FILE } from '../lang/per-file.js';
import { composerAnalyser } from './composer.js';

const pick = (p: { name: string; version: string; purl?: string }) => ({ name: p.name, version: p.version, purl: p.purl });

describe('composer analyser on the Syft installed.json fixtures (../shared/testdata/images/php, expected.json)', () => {
  const fixtures = fixturesUnder('php');
  it('covers both fixtures (Composer 1 and 2)', () => expect(fixtures.length).toBe(2));

  for (const fixture of fixtures) {
    const peer = fixture.expectations[0]!;
    it(`${fixture.path}: ${peer.from.test}`, () => {
      const file = fixtureFile(fixture, '/var/www/html' + fixture.path.slice(fixture.root!.length));
      expect(file.path).toBe('/var/www/html/vendor/composer/installed.json');
      expect(composerAnalyser.wants(file.path, { mode: 0o644, size: file.size })).toBe(true);
      const result = composerAnalyser.analyse([file]);
      expect(result.gaps).toEqual([]);
      expect(result.packages.map(pick)).toEqual((peer.packages as { name: string; version: string; purl: string }[]).map(pick));
      for (const p of result.packages) expect(p).toMatchObject({ type: 'composer', ecosystem: 'Packagist', confidence: 'exact', paths: [file.path] });
    });
  }
});

describe('composer analyser: forms and hostile files', () => {
  const P = '/app/vendor/composer/installed.json';
  const cases: { name: string; content: string | Buffer; packages: ReturnType<typeof pick>[]; gaps?: RegExp[] }[] = [
    { name: 'Composer 2 with dev packages: all installed, all reported', content: JSON.stringify({ packages: [{ name: 'a/b', version: '1.0.0' }, { name: 'c/d', version: 'v2.0' }], dev: true, 'dev-package-names': ['c/d'] }), packages: [{ name: 'a/b', version: '1.0.0', purl: 'pkg:composer/a/b@1.0.0' }, { name: 'c/d', version: 'v2.0', purl: 'pkg:composer/c/d@v2.0' }] },
    { name: 'upper case kept in the name, lowered in the purl', content: JSON.stringify([{ name: 'Vendor/Pkg', version: '1.0' }]), packages: [{ name: 'Vendor/Pkg', version: '1.0', purl: 'pkg:composer/vendor/pkg@1.0' }] },
    { name: 'an empty Composer 2 file', content: '{"packages":[],"dev":false,"dev-package-names":[]}', packages: [] },
    { name: 'a name without a vendor', content: JSON.stringify([{ name: 'solo', version: '1.0' }, { name: 'a/b', version: '1' }]), packages: [{ name: 'a/b', version: '1', purl: 'pkg:composer/a/b@1' }], gaps: [/entry 0: name "solo" is not vendor\/package/] },
    { name: 'a name over 256 characters', content: JSON.stringify([{ name: `v/${'p'.repeat(256)}`, version: '1' }]), packages: [], gaps: [/entry 0: name "v\/p+…" is not vendor\/package/] },
    { name: 'no version', content: JSON.stringify([{ name: 'a/b' }]), packages: [], gaps: [/a\/b: no usable version/] },
    { name: 'entries that are not objects', content: '[null, 1, "x"]', packages: [], gaps: [/entry 0 is not an object/, /entry 1/, /entry 2/] },
    { name: 'an object without packages', content: '{"dev":true}', packages: [], gaps: [/neither a list of packages/] },
    { name: 'truncated', content: '[{"name":"a/b","vers', packages: [], gaps: [/not valid JSON/] },
    { name: 'deep nesting', content: '['.repeat(500_000) + ']'.repeat(500_000), packages: [], gaps: [/entry 0 is not an object/] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = composerAnalyser.analyse([madeFile(P, c.content)]);
      expect(r.packages.map(pick)).toEqual(c.packages);
      expect(r.gaps).toHaveLength(c.gaps?.length ?? 0);
      (c.gaps ?? []).forEach((re, i) => expect(r.gaps[i]!.reason).toMatch(re));
    });
  }

  it('wants only vendor/composer/installed.json', () => {
    expect(composerAnalyser.wants(P, { mode: 0o644, size: 1 })).toBe(true);
    expect(composerAnalyser.wants('/app/composer.lock', { mode: 0o644, size: 1 })).toBe(false);
    expect(composerAnalyser.wants('/app/vendor/composer/installed.php', { mode: 0o644, size: 1 })).toBe(false);
    expect(composerAnalyser.wants('/app/installed.json', { mode: 0o644, size: 1 })).toBe(false);
  });

  it(`a file over maxFileBytes (${composerAnalyser.maxFileBytes}) is a gap, not read`, () => {
    const f = { ...madeFile(P, '[]'), size: composerAnalyser.maxFileBytes + 1 };
    expect(composerAnalyser.analyse([f]).gaps[0]!.reason).toMatch(/over the 33554432-byte limit/);
  });

  it(`a million bad entries make ${MAX_PROBLEMS_PER_FILE} gap reasons and a count, not a million`, () => {
    const r = composerAnalyser.analyse([madeFile(P, '[' + Array(1_000_000).fill('0').join(',') + ']')]);
    expect(r.gaps).toHaveLength(MAX_PROBLEMS_PER_FILE + 1);
    expect(r.gaps[MAX_PROBLEMS_PER_FILE]!.reason).toBe(`and ${1_000_000 - MAX_PROBLEMS_PER_FILE} more entries that could not be read`);
  });

  it(`more than ${MAX_PACKAGES_PER_FILE} packages: the first kept, a gap says so`, () => {
    const list = Array.from({ length: MAX_PACKAGES_PER_FILE + 1 }, (_, i) => ({ name: `v/p${i}`, version: '1.0.0' }));
    const r = composerAnalyser.analyse([madeFile(P, JSON.stringify(list))]);
    expect(r.packages).toHaveLength(MAX_PACKAGES_PER_FILE);
    expect(r.gaps[0]!.reason).toMatch(/over the limit of 50000/);
  });
});
