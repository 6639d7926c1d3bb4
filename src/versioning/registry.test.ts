import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidVersionError, schemeForEcosystem, schemes } from './index.js';
import type { VersionScheme } from './types.js';
import { fixtures } from './__fixtures__/index.js';
import { allRows, orderViolations, versionsOf } from './__fixtures__/table.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
const NOT_SCHEMES = new Set(['index.ts', 'types.ts', 'common.ts']);
const schemeFiles = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !NOT_SCHEMES.has(f));
const registered = Object.values(schemes) as VersionScheme[];

/**
 * Versions on which the reference implementation itself is not transitive, reproduced
 * faithfully (see the scheme's test). Kept out of the property check, and only these.
 */
const KNOWN_INTRANSITIVE: Record<string, string[]> = {
  // Maven 3.9 ComparableVersion: 1 < 1-a < 1-0.alpha, yet 1-0.alpha < 1; 0 < aardvark < 0.rc < 0
  // (maven.test.ts, which also shows a real-world cycle: 3.5.0 < 3.5-EA < 3.5.0.Beta-1 < 3.5.0).
  maven: ['1-0.alpha', '1-0.beta', '0.rc'],
};

const isScheme = (x: unknown): x is VersionScheme =>
  typeof x === 'object' && x !== null && typeof (x as VersionScheme).compare === 'function' && typeof (x as VersionScheme).id === 'string';

describe('the registry', () => {
  it.each(schemeFiles)('%s exports schemes that are all registered', async (file) => {
    const mod = (await import(/* @vite-ignore */ `./${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
    const exported = Object.values(mod).filter(isScheme);
    expect(exported.length).toBeGreaterThan(0);
    for (const s of exported) expect(registered).toContain(s);
  });

  it('has every scheme under its own id, ids unique', () => {
    for (const [key, s] of Object.entries(schemes)) expect(s.id).toBe(key);
    expect(new Set(registered.map((s) => s.id)).size).toBe(registered.length);
  });

  it('describes every scheme: name, spec links, ecosystems claimed once', () => {
    const claimed = new Map<string, string>();
    for (const s of registered) {
      expect(s.displayName).not.toBe('');
      expect(s.specUrls.length).toBeGreaterThan(0);
      for (const u of s.specUrls) expect(u).toMatch(/^https:\/\//);
      for (const e of s.ecosystems) {
        expect(e).not.toContain(':');
        expect(claimed.get(e), `${e} claimed by ${claimed.get(e)} and ${s.id}`).toBeUndefined();
        claimed.set(e, s.id);
      }
    }
  });
});

describe('schemeForEcosystem', () => {
  it.each([
    ['npm', 'semver-like'],
    ['crates.io', 'semver-like'],
    ['Hex', 'semver-like'],
    ['SwiftURL', 'semver-like'],
    ['Go', 'go'],
    ['Bitnami', 'bitnami'],
    ['PyPI', 'pep440'],
    ['Maven', 'maven'],
    ['Maven:https://maven.google.com', 'maven'],
    ['NuGet', 'nuget'],
    ['RubyGems', 'rubygems'],
    ['Debian', 'debian'],
    ['Debian:12', 'debian'],
    ['Ubuntu', 'debian'],
    ['Ubuntu:22.04:LTS', 'debian'],
    ['Ubuntu:Pro:18.04:LTS', 'debian'],
    ['Alpine', 'alpine'],
    ['Alpine:v3.20', 'alpine'],
    ['Wolfi', 'alpine'],
    ['Chainguard', 'alpine'],
    ['MinimOS', 'alpine'],
    ['Red Hat', 'rpm'],
    ['Red Hat:rhel_aus:8.4::appstream', 'rpm'],
    ['AlmaLinux:9', 'rpm'],
    ['Rocky Linux', 'rpm'],
    ['openSUSE', 'rpm'],
    ['SUSE', 'rpm'],
    ['Mageia', 'rpm'],
    ['openEuler', 'rpm'],
  ])('%s → %s', (eco, id) => {
    expect(schemeForEcosystem(eco)?.id).toBe(id);
  });

  it.each(['Packagist', 'Pub', 'CRAN', 'GIT', 'pypi', 'debian', '', ':12'])('%j → none', (eco) => {
    expect(schemeForEcosystem(eco)).toBeUndefined();
  });
});

describe.each(registered.map((s) => [s.id, s] as const))('%s: properties', (id, scheme) => {
  const fx = fixtures[id]!;

  it('has a fixture with at least 30 orderings from its ecosystem', () => {
    expect(fx).toBeDefined();
    expect(allRows(fx).length).toBeGreaterThanOrEqual(30);
  });

  it('is reflexive, antisymmetric and transitive over its fixture versions', () => {
    const versions = versionsOf(fx).filter((v) => scheme.isValid(v) && !(KNOWN_INTRANSITIVE[id] ?? []).includes(v));
    // Keep the cubic check fast: every version up to 300, then an even sample.
    const step = Math.ceil(versions.length / 300);
    const sample = versions.filter((_, i) => i % step === 0);
    expect(orderViolations(scheme, sample)).toEqual([]);
  });

  it('throws InvalidVersionError naming the bad side, never orders it', () => {
    const good = fx.valid[0]!;
    for (const bad of fx.invalid.slice(0, 5)) {
      expect(() => scheme.compare(good, bad)).toThrow(InvalidVersionError);
      try {
        scheme.compare(bad, good);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidVersionError);
        expect((e as InvalidVersionError).version).toBe(bad);
        expect((e as InvalidVersionError).scheme).toBe(id);
      }
    }
  });

  it('answers quickly, even for hostile input', () => {
    const hostile = ['1.'.repeat(20_000) + '!', 'a'.repeat(50_000) + '1', '0'.repeat(50_000), '-'.repeat(50_000), '\u0000'];
    const t0 = performance.now();
    for (const h of hostile) scheme.isValid(h);
    const versions = versionsOf(fx).filter((v) => scheme.isValid(v)).slice(0, 100);
    for (const a of versions) for (const b of versions) scheme.compare(a, b);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
