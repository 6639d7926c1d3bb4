import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureFile, fixturesUnder, madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { MAX_PACKAGES_PER_FILE } from '../lang/per-file.js';
import { dotnetAnalyser } from './dotnet.js';

const pick = (p: { name: string; version: string; purl?: string }) => ({ name: p.name, version: p.version, purl: p.purl });
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);

describe('dotnet analyser on the Trivy deps.json fixtures (../shared/testdata/images/dotnet, expected.json)', () => {
  const fixtures = fixturesUnder('dotnet');
  it('covers all eight fixtures', () => expect(fixtures.length).toBe(8));

  for (const fixture of fixtures) {
    const peer = fixture.expectations[0]!;
    it(`${fixture.path}: ${peer.from.test}`, () => {
      const file = fixtureFile(fixture, `/app/${fixture.path.slice('dotnet/'.length)}`);
      expect(dotnetAnalyser.wants(file.path, { mode: 0o644, size: file.size })).toBe(true);
      const result = dotnetAnalyser.analyse([file]);
      if (peer.error !== undefined) {
        expect(result.packages).toEqual([]);
        expect(result.gaps).toHaveLength(1);
        expect(result.gaps[0]!.reason).toMatch(/not valid JSON/);
        return;
      }
      expect(result.gaps).toEqual([]);
      // Deliberate difference: Trivy also lists the `project` libraries (the app's own assemblies,
      // as root/workspace); they are no NuGet packages, so we leave them out.
      const libraries = (JSON.parse(readFileSync(sharedPath('testdata', 'images', ...fixture.path.split('/')), 'utf8')) as { libraries?: Record<string, { type: string }> }).libraries ?? {};
      const projects = new Set(Object.entries(libraries).filter(([, l]) => l.type === 'project').map(([k]) => k));
      const expected = (peer.packages as { id: string; name: string; version: string }[])
        .filter((p) => !projects.has(p.id))
        .map((p) => ({ name: p.name, version: p.version, purl: `pkg:nuget/${p.name}@${p.version}` }));
      expect(result.packages.map(pick).sort(byName)).toEqual(expected.sort(byName));
      for (const p of result.packages) expect(p).toMatchObject({ type: 'nuget', ecosystem: 'NuGet', confidence: 'exact', paths: [file.path] });
    });
  }

  it('the projects left out include every package Trivy marks root or workspace (and the two of the ambiguous root, which it leaves unmarked)', () => {
    const left = fixturesUnder('dotnet').flatMap((f) => ((f.expectations[0]!.packages ?? []) as { name: string; relationship?: string }[]).filter((p) => p.relationship === 'root' || p.relationship === 'workspace').map((p) => p.name));
    expect(left.sort()).toEqual(['Api', 'Data', 'ExampleApp1', 'ExampleApp1', 'ExampleApp1', 'Web', 'hello2']);
  });
});

const deps = (libraries: Record<string, unknown>, target?: Record<string, unknown>) =>
  JSON.stringify({ runtimeTarget: { name: 'T' }, targets: target ? { T: target } : {}, libraries });

describe('dotnet analyser: rules and hostile files', () => {
  const P = '/app/App.deps.json';
  const cases: { name: string; content: string | Buffer; packages: string[]; gaps?: RegExp[] }[] = [
    { name: 'library types compared without case', content: deps({ 'A/1.0.0': { type: 'Package' }, 'B/2.0.0': { type: 'reference' } }), packages: ['A@1.0.0'] },
    { name: 'a package without a target entry is kept (no evidence it ships nothing)', content: deps({ 'A/1.0.0': { type: 'package' } }, {}), packages: ['A@1.0.0'] },
    { name: 'runtime: {} counts as shipping code', content: deps({ 'A/1.0.0': { type: 'package' } }, { 'A/1.0.0': { runtime: {} } }), packages: ['A@1.0.0'] },
    { name: 'native assets count', content: deps({ 'A/1.0.0': { type: 'package' } }, { 'A/1.0.0': { native: { 'x.so': {} } } }), packages: ['A@1.0.0'] },
    { name: 'runtime: null does not', content: deps({ 'A/1.0.0': { type: 'package' } }, { 'A/1.0.0': { runtime: null, dependencies: {} } }), packages: [] },
    { name: 'a runtime pack and a package of the same id are one package', content: deps({ 'runtimepack.R/8.0.0': { type: 'runtimepack' }, 'R/8.0.0': { type: 'package' } }), packages: ['R@8.0.0'] },
    { name: 'a key without a version', content: deps({ A: { type: 'package' }, 'B/1': { type: 'package' } }), packages: ['B@1'], gaps: [/library "A" is not <NuGet id>\/<version>/] },
    { name: 'a key with a blank in the id', content: deps({ 'A B/1.0': { type: 'package' } }), packages: [], gaps: [/library "A B\/1.0"/] },
    { name: 'an id over 256 characters', content: deps({ [`${'A'.repeat(257)}/1.0`]: { type: 'package' } }), packages: [], gaps: [/is not <NuGet id>\/<version>/] },
    { name: 'libraries entries that are not objects', content: deps({ 'A/1': null, 'B/1': 3, 'C/1': { type: 7 } }), packages: [] },
    { name: 'libraries not an object', content: '{"libraries":[]}', packages: [], gaps: [/"libraries" is not an object/] },
    { name: 'a JSON array', content: '[]', packages: [], gaps: [/not a JSON object/] },
    { name: 'targets of the wrong shape are ignored (all packages kept)', content: JSON.stringify({ runtimeTarget: { name: 7 }, targets: 'x', libraries: { 'A/1': { type: 'package' } } }), packages: ['A@1'] },
    { name: 'truncated', content: deps({ 'A/1': { type: 'package' } }).slice(0, 30), packages: [], gaps: [/not valid JSON/] },
    { name: 'deep nesting', content: '{"libraries":' + '{"a":'.repeat(300_000) + '1' + '}'.repeat(300_001), packages: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = dotnetAnalyser.analyse([madeFile(P, c.content)]);
      expect(r.packages.map((p) => `${p.name}@${p.version}`)).toEqual(c.packages);
      expect(r.gaps).toHaveLength(c.gaps?.length ?? 0);
      (c.gaps ?? []).forEach((re, i) => expect(r.gaps[i]!.reason).toMatch(re));
    });
  }

  it('wants only *.deps.json', () => {
    expect(dotnetAnalyser.wants('/app/App.deps.json', { mode: 0o644, size: 1 })).toBe(true);
    expect(dotnetAnalyser.wants('/app/App.runtimeconfig.json', { mode: 0o644, size: 1 })).toBe(false);
    expect(dotnetAnalyser.wants('/app/deps.json.bak', { mode: 0o644, size: 1 })).toBe(false);
  });

  it(`a file over maxFileBytes (${dotnetAnalyser.maxFileBytes}) is a gap, not read`, () => {
    const f = { ...madeFile(P, '{}'), size: dotnetAnalyser.maxFileBytes + 1 };
    expect(dotnetAnalyser.analyse([f]).gaps[0]!.reason).toMatch(/over the 33554432-byte limit/);
  });

  it(`more than ${MAX_PACKAGES_PER_FILE} packages in one file: the first kept, a gap says so`, () => {
    const libs = Object.fromEntries(Array.from({ length: MAX_PACKAGES_PER_FILE + 1 }, (_, i) => [`P${i}/1.0.0`, { type: 'package' }]));
    const r = dotnetAnalyser.analyse([madeFile(P, deps(libs))]);
    expect(r.packages).toHaveLength(MAX_PACKAGES_PER_FILE);
    expect(r.gaps.map((g) => g.reason)).toEqual([`lists ${MAX_PACKAGES_PER_FILE + 1} packages, over the limit of ${MAX_PACKAGES_PER_FILE}: only the first ${MAX_PACKAGES_PER_FILE} kept`]);
  });
});
