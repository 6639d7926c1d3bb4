import { describe, expect, it } from 'vitest';
import { fixtureFile, fixturesUnder, madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { gemAnalyser } from './gem.js';

const SPECS = '/usr/local/bundle/specifications';
const pick = (p: { name: string; version: string; purl?: string }) => ({ name: p.name, version: p.version, purl: p.purl });

describe('gem analyser on the Trivy gemspec fixtures (../shared/testdata/images/ruby, expected.json)', () => {
  const fixtures = fixturesUnder('ruby');
  it('covers all six fixtures', () => expect(fixtures.length).toBe(6));

  for (const fixture of fixtures) {
    const peer = fixture.expectations[0]!;
    it(`${fixture.path}: ${peer.from.test}`, () => {
      const file = fixtureFile(fixture, `${SPECS}/${fixture.path.slice('ruby/'.length)}`);
      expect(gemAnalyser.wants(file.path, { mode: 0o644, size: file.size })).toBe(true);
      const result = gemAnalyser.analyse([file]);
      if (peer.error !== undefined) {
        // Trivy: "failed to parse gemspec"; here a gap saying which attribute is missing.
        expect(result.packages).toEqual([]);
        expect(result.gaps).toHaveLength(1);
        expect(result.gaps[0]!.reason).toMatch(/^no (spec|s)\.(name|version) assignment$/);
        return;
      }
      expect(result.gaps).toEqual([]);
      const expected = (peer.packages as { name: string; version: string }[]).map((p) => ({ ...p, purl: `pkg:gem/${p.name}@${p.version}` }));
      expect(result.packages.map(pick)).toEqual(expected.map(pick));
      expect(result.packages[0]).toMatchObject({ type: 'gem', ecosystem: 'RubyGems', confidence: 'exact', paths: [file.path] });
    });
  }
});

describe('gem analyser: which files it reads', () => {
  const cases: [string, boolean][] = [
    [`${SPECS}/rake-13.0.3.gemspec`, true],
    ['/usr/local/lib/ruby/gems/3.3.0/specifications/default/json-2.7.1.gemspec', true],
    ['/app/vendor/bundle/ruby/3.3.0/specifications/rack-3.0.8.gemspec', true],
    ['/app/rake.gemspec', false],
    ['/usr/local/lib/ruby/gems/3.3.0/gems/rake-13.0.3/rake.gemspec', false],
    [`${SPECS}/rake-13.0.3.gemspec.orig`, false],
  ];
  for (const [path, want] of cases) it(`${path} → ${want}`, () => expect(gemAnalyser.wants(path, { mode: 0o644, size: 10 })).toBe(want));
});

const spec = (body: string, v = 's') => `# -*- encoding: utf-8 -*-\nGem::Specification.new do |${v}|\n${body}\nend\n`;

describe('gem analyser: the literal forms RubyGems writes, and hostile specs', () => {
  const P = `${SPECS}/x.gemspec`;
  const cases: { name: string; content: string | Buffer; packages: ReturnType<typeof pick>[]; gap?: RegExp }[] = [
    { name: 'double quotes with .freeze (RubyGems ≥ 2.7)', content: spec('  s.name = "rack".freeze\n  s.version = "3.0.8"'), packages: [{ name: 'rack', version: '3.0.8', purl: 'pkg:gem/rack@3.0.8' }] },
    { name: '%q{} (RubyGems 1.x)', content: spec('  s.name = %q{rake}\n  s.version = "0.8.7"'), packages: [{ name: 'rake', version: '0.8.7', purl: 'pkg:gem/rake@0.8.7' }] },
    { name: "%q<> and single quotes", content: spec("  s.name = %q<json>.freeze\n  s.version = '2.7.1'"), packages: [{ name: 'json', version: '2.7.1', purl: 'pkg:gem/json@2.7.1' }] },
    { name: 'a block in braces', content: 'Gem::Specification.new { |gem|\n  gem.name = "a"\n  gem.version = "1.0"\n}\n', packages: [{ name: 'a', version: '1.0', purl: 'pkg:gem/a@1.0' }] },
    {
      name: 'a platform gem: the platform is a purl qualifier',
      content: spec('  s.name = "nokogiri".freeze\n  s.version = "1.16.0"\n  s.platform = "x86_64-linux".freeze'),
      packages: [{ name: 'nokogiri', version: '1.16.0', purl: 'pkg:gem/nokogiri@1.16.0?platform=x86_64-linux' }],
    },
    { name: 'platform "ruby" is the default and is left out', content: spec('  s.name = "a"\n  s.version = "1"\n  s.platform = "ruby"'), packages: [{ name: 'a', version: '1', purl: 'pkg:gem/a@1' }] },
    { name: 'a prerelease version', content: spec('  s.name = "rails"\n  s.version = "7.1.0.rc1"'), packages: [{ name: 'rails', version: '7.1.0.rc1', purl: 'pkg:gem/rails@7.1.0.rc1' }] },
    { name: 'an attribute of another variable is not read', content: spec('  other.name = "x"\n  s.name = "a"\n  s.version = "1"'), packages: [{ name: 'a', version: '1', purl: 'pkg:gem/a@1' }] },
    { name: 's.name_x is not s.name', content: spec('  s.namespace = "x"\n  s.version = "1"'), packages: [], gap: /^no s\.name assignment$/ },
    { name: 'an interpolated string is no literal', content: spec('  s.name = "a#{1}"\n  s.version = "1"'), packages: [], gap: /s\.name is not a plain string literal/ },
    { name: 'an expression is no literal', content: spec('  s.name = "a"\n  s.version = File.read("VERSION")'), packages: [], gap: /s\.version is not a plain string literal \("File\.read/ },
    { name: 'a name RubyGems would refuse', content: spec('  s.name = "a/b"\n  s.version = "1"'), packages: [], gap: /name "a\/b" is not a gem name/ },
    { name: 'a name over 256 characters', content: spec(`  s.name = "${'a'.repeat(257)}"\n  s.version = "1"`), packages: [], gap: /is not a gem name/ },
    { name: 'a version with a blank', content: spec('  s.name = "a"\n  s.version = "1 2"'), packages: [], gap: /version "1 2" of a is not a version/ },
    { name: 'no Gem::Specification block', content: 's.name = "a"\ns.version = "1"\n', packages: [], gap: /no Gem::Specification\.new block/ },
    { name: 'empty file', content: '', packages: [], gap: /no Gem::Specification\.new block/ },
    { name: 'binary junk', content: Buffer.from([0xff, 0, 1, 2, 3]), packages: [], gap: /no Gem::Specification\.new block/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = gemAnalyser.analyse([madeFile(P, c.content)]);
      expect(r.packages.map(pick)).toEqual(c.packages);
      if (c.gap) {
        expect(r.gaps).toHaveLength(1);
        expect(r.gaps[0]!.reason).toMatch(c.gap);
      } else expect(r.gaps).toEqual([]);
    });
  }

  it(`a spec over maxFileBytes (${gemAnalyser.maxFileBytes}) is a gap, not read`, () => {
    const r = gemAnalyser.analyse([madeFile(P, Buffer.alloc(gemAnalyser.maxFileBytes + 1, 0x20))]);
    expect(r.gaps[0]!.reason).toMatch(/over the 2097152-byte limit/);
  });

  it('2 MiB built to make the regular expressions backtrack is read in linear time', () => {
    const text = 'Gem::Specification.new do |s|\n' + ('  s.name = %q{' + 'a'.repeat(1000) + '\n').repeat(1000) + '  s.version = "' + ' '.repeat(500_000);
    expect(text.length).toBeLessThan(gemAnalyser.maxFileBytes);
    const t0 = performance.now();
    const r = gemAnalyser.analyse([madeFile(P, text)]);
    expect(r.packages).toEqual([]);
    expect(r.gaps).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('Gem::Specification.new repeated without a block, 1 MiB of it, is read in linear time', () => {
    const text = 'Gem::Specification.new '.repeat(45_000);
    const t0 = performance.now();
    expect(gemAnalyser.analyse([madeFile(P, text)]).gaps[0]!.reason).toMatch(/no Gem::Specification\.new block/);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
