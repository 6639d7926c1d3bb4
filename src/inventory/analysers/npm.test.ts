import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../test/helpers/shared.js';
import { fixtureFile, fixturesUnder, madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { MAX_PACKAGES_PER_FILE } from '../lang/per-file.js';
import { npmAnalyser } from './npm.js';

const pick = (p: { name: string; version: string; purl?: string }) => ({ name: p.name, version: p.version, purl: p.purl });

describe('npm analyser on the Trivy package.json fixtures (../shared/testdata/images/node, expected.json)', () => {
  const fixtures = fixturesUnder('node');
  it('covers all thirteen fixtures', () => expect(fixtures.length).toBe(13));

  for (const fixture of fixtures) {
    const peer = fixture.expectations[0]!;
    it(`${fixture.path}: ${peer.from.test}`, () => {
      // Trivy's parser tests read the file alone; in an image it is a package root under node_modules.
      const file = fixtureFile(fixture, `/usr/src/app/node_modules/fixture/package.json`);
      expect(npmAnalyser.wants(file.path, { mode: 0o644, size: file.size })).toBe(true);
      const result = npmAnalyser.analyse([file]);
      if (peer.error !== undefined) {
        expect(result.packages).toEqual([]);
        expect(result.gaps).toHaveLength(1);
        expect(result.gaps[0]!.path).toBe(file.path);
        expect(result.gaps[0]!.reason).toMatch(peer.error === 'JSON decode error' ? /not valid JSON/ : /is not a valid npm package name/);
        return;
      }
      const expected = peer.package as { id?: string; name?: string; version?: string };
      expect(result.gaps).toEqual([]);
      if (!expected.id) {
        // Trivy's parser returns a package without an id, and its analyser drops it ("skip packages
        // without name/version"); so do we.
        expect(result.packages).toEqual([]);
        return;
      }
      expect(result.packages.map(pick)).toEqual([{ name: expected.name, version: expected.version, purl: `pkg:npm/${expected.name}@${expected.version}` }]);
      expect(result.packages[0]).toMatchObject({ type: 'npm', ecosystem: 'npm', confidence: 'exact', paths: [file.path] });
    });
  }
});

describe('npm analyser: which package.json files it reads', () => {
  const cases: [string, boolean, string][] = [
    ['/app/node_modules/express/package.json', true, 'a package root'],
    ['/app/node_modules/@babel/core/package.json', true, 'a scoped package root'],
    ['/app/node_modules/a/node_modules/b/package.json', true, 'a nested dependency'],
    ['/app/node_modules/.pnpm/lodash@4.17.21/node_modules/lodash/package.json', true, 'the pnpm store'],
    ['/usr/local/lib/node_modules/npm/package.json', true, 'a global install (npm itself)'],
    ['/app/package.json', false, "the application's own manifest"],
    ['/package.json', false, 'a manifest at the root'],
    ['/app/node_modules/rxjs/ajax/package.json', false, 'a sub-path entry point inside a package'],
    ['/app/node_modules/@babel/package.json', false, 'a scope directory is no package'],
    ['/app/node_modules/.pnpm/package.json', false, "pnpm's store directory"],
    ['/app/node_modules/.bin/package.json', false, 'the .bin directory'],
    ['/app/node_modules/express/package.json.bak', false, 'another file'],
    ['/app/node_modules/package.json', false, 'node_modules itself'],
  ];
  for (const [path, want, why] of cases) it(`${why}: ${path} → ${want}`, () => expect(npmAnalyser.wants(path, { mode: 0o644, size: 10 })).toBe(want));
});

describe('npm analyser: names, purls and hostile manifests', () => {
  const P = '/app/node_modules/x/package.json';
  const cases: { name: string; content: string | Buffer; packages: ReturnType<typeof pick>[]; gap?: RegExp }[] = [
    { name: 'scoped: the purl encodes the @ of the scope', content: '{"name":"@babel/core","version":"7.24.0"}', packages: [{ name: '@babel/core', version: '7.24.0', purl: 'pkg:npm/%40babel/core@7.24.0' }] },
    { name: 'upper case kept in the name (as OSV has it), lowered in the purl', content: '{"name":"JSONStream","version":"1.3.5"}', packages: [{ name: 'JSONStream', version: '1.3.5', purl: 'pkg:npm/jsonstream@1.3.5' }] },
    { name: 'a prerelease with build metadata: + is encoded in the purl', content: '{"name":"a","version":"1.0.0-rc.1+build.5"}', packages: [{ name: 'a', version: '1.0.0-rc.1+build.5', purl: 'pkg:npm/a@1.0.0-rc.1%2Bbuild.5' }] },
    { name: 'a byte order mark before the JSON', content: '\ufeff{"name":"a","version":"1.0.0"}', packages: [{ name: 'a', version: '1.0.0', purl: 'pkg:npm/a@1.0.0' }] },
    { name: 'name not a string', content: '{"name":{"x":1},"version":"1.0.0"}', packages: [] },
    { name: 'version a number', content: '{"name":"a","version":1}', packages: [] },
    { name: 'a JSON array', content: '[]', packages: [], gap: /not a JSON object/ },
    { name: 'a name with a space', content: '{"name":"a b","version":"1.0.0"}', packages: [], gap: /"a b" is not a valid npm package name/ },
    { name: 'a name over 214 characters', content: JSON.stringify({ name: 'a'.repeat(215), version: '1.0.0' }), packages: [], gap: /is not a valid npm package name/ },
    { name: 'a version with a control character', content: '{"name":"a","version":"1.0.0\\u0000"}', packages: [], gap: /version "1.0.0\?" of a is not a version/ },
    { name: 'truncated', content: '{"name":"a","vers', packages: [], gap: /not valid JSON/ },
    { name: 'binary junk', content: Buffer.from([0xff, 0x00, 0x13, 0x37]), packages: [], gap: /not valid JSON/ },
    { name: 'deeply nested JSON (500,000 levels)', content: '{"a":'.repeat(500_000) + '1' + '}'.repeat(500_000), packages: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = npmAnalyser.analyse([madeFile(P, c.content)]);
      expect(r.packages.map(pick)).toEqual(c.packages);
      if (c.gap) {
        expect(r.gaps).toHaveLength(1);
        expect(r.gaps[0]!.reason).toMatch(c.gap);
        expect(r.gaps[0]!.reason).not.toMatch(/[\u0000-\u001f]/);
      } else expect(r.gaps).toEqual([]);
    });
  }

  it('one package per file, each with its own path; a bad file does not stop the others', () => {
    const r = npmAnalyser.analyse([
      madeFile('/a/node_modules/x/package.json', '{"name":"x","version":"1.0.0"}'),
      madeFile('/a/node_modules/bad/package.json', '{'),
      madeFile('/a/node_modules/y/package.json', '{"name":"y","version":"2.0.0"}'),
    ]);
    expect(r.packages.map((p) => [p.name, p.paths])).toEqual([['x', ['/a/node_modules/x/package.json']], ['y', ['/a/node_modules/y/package.json']]]);
    expect(r.gaps.map((g) => g.path)).toEqual(['/a/node_modules/bad/package.json']);
  });

  it(`a manifest over maxFileBytes (${npmAnalyser.maxFileBytes}) is a gap, not parsed`, () => {
    const content = Buffer.alloc(npmAnalyser.maxFileBytes + 1, 0x20);
    const r = npmAnalyser.analyse([madeFile(P, content)]);
    expect(r.packages).toEqual([]);
    expect(r.gaps[0]!.reason).toMatch(/over the 4194304-byte limit/);
  });

  it('a declared size over the limit is a gap even when fewer bytes were delivered', () => {
    const f = { ...madeFile(P, '{"name":"a","version":"1.0.0"}'), size: 10 * 1024 * 1024 * 1024 };
    expect(npmAnalyser.analyse([f]).gaps[0]!.reason).toMatch(/10737418240 bytes is over/);
  });

  it(`the per-file package cap (${MAX_PACKAGES_PER_FILE}) cannot be reached: one manifest is one package`, () => {
    expect(npmAnalyser.analyse([madeFile(P, '{"name":"a","version":"1.0.0"}')]).packages).toHaveLength(1);
  });
});

describe('npm analyser on a real install: this checkout\'s node_modules against its package-lock.json', () => {
  it('finds exactly the installed packages the lockfile lists, with their versions, and no sub-path manifests', () => {
    const files: ReturnType<typeof madeFile>[] = [];
    let seen = 0;
    for (const rel of readdirSync(join(projectRoot, 'node_modules'), { recursive: true }) as string[]) {
      if (++seen > 200_000) throw new Error('node_modules walk bounded at 200,000 entries');
      const imagePath = `/app/node_modules/${rel.split('\\').join('/')}`;
      const full = join(projectRoot, 'node_modules', rel);
      if (!imagePath.endsWith('/package.json') || !statSync(full).isFile()) continue;
      if (npmAnalyser.wants(imagePath, { mode: 0o644, size: 0 })) files.push(madeFile(imagePath, readFileSync(full)));
    }
    const result = npmAnalyser.analyse(files);
    expect(result.gaps).toEqual([]);
    const ours = result.packages.map((p) => `${p.paths[0]!.slice('/app/'.length, -'/package.json'.length)} ${p.name}@${p.version}`).sort();

    const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; name?: string; link?: boolean }> };
    const installed = Object.entries(lock.packages)
      .filter(([key, e]) => key.startsWith('node_modules/') && !e.link && e.version && existsSync(join(projectRoot, key, 'package.json')))
      .map(([key, e]) => `${key} ${e.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${e.version}`)
      .sort();
    expect(installed.length).toBeGreaterThan(50);
    expect(ours).toEqual(installed);
  });
});
