/**
 * scripts/compile-cache.cjs: bundles load through V8's code cache keyed on Node's version and
 * the bundle's content. The content hash comes from the build's dist/bundle-hashes.json when
 * the bundle is no newer than that list; an edited bundle is hashed afresh, so a cache entry
 * of other code is never used for it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hermeticEnv } from './helpers/hermetic.js';

const loader = resolve(import.meta.dirname, '..', 'scripts', 'compile-cache.cjs');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function load(dist: string, cache: string, nodeFlags: string[] = []): string {
  const r = spawnSync(process.execPath, [...nodeFlags, '-e', `process.stdout.write(String(require(${JSON.stringify(loader)}).load(${JSON.stringify(join(dist, 'b.cjs'))}).v))`], {
    env: { ...hermeticEnv(), XDG_CACHE_HOME: cache }, encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  return r.stdout;
}

const entries = (cache: string) => readdirSync(join(cache, 'chartaudit', 'v8')).sort();

describe('compile cache key', () => {
  it.each([
    ['listed hash, bundle unchanged', 'exports.v = "one";', true, 'exports.v = "one";', false],
    // same length, so V8's own check (source length) would accept the old entry
    ['bundle edited after the build', 'exports.v = "one";', true, 'exports.v = "two";', true],
    ['no hash list', 'exports.v = "one";', false, 'exports.v = "two";', false],
    // a listed bundle is read as latin1 (the build checks that it is ASCII); an edited one as UTF-8
    ['non-ASCII text edited in after the build', 'exports.v = "one";', true, 'exports.v = "\u00fc\u2192";', true],
  ])('%s', (_, first, listed, second, editedLater) => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-cc-'));
    const dist = join(dir, 'dist');
    const cache = join(dir, 'cache');
    mkdirSync(dist);
    writeFileSync(join(dist, 'b.cjs'), first);
    if (listed) writeFileSync(join(dist, 'bundle-hashes.json'), JSON.stringify({ 'b.cjs': sha(first) }));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dist, 'b.cjs'), past, past);
    expect(load(dist, cache)).toBe(first.slice(13, -2));
    expect(entries(cache)).toHaveLength(1);
    const firstEntry = entries(cache)[0];
    writeFileSync(join(dist, 'b.cjs'), second);
    if (!editedLater) utimesSync(join(dist, 'b.cjs'), past, past);
    expect(load(dist, cache)).toBe(second.slice(13, -2));
    const now = entries(cache);
    expect(now).toHaveLength(1);
    if (first === second) expect(now[0]).toBe(firstEntry);
    else expect(now[0]).not.toBe(firstEntry);
  });
});

describe('compile cache entries per set of Node flags', () => {
  it('runs with and without a flag keep an entry each; a new build replaces both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-cc-'));
    const dist = join(dir, 'dist');
    const cache = join(dir, 'cache');
    mkdirSync(dist);
    writeFileSync(join(dist, 'b.cjs'), 'exports.v = "one";');
    expect(load(dist, cache)).toBe('one');
    expect(load(dist, cache, ['--max-semi-space-size=1'])).toBe('one');
    const two = entries(cache);
    expect(two).toHaveLength(2);
    // each later run finds its own entry; neither removes the other
    expect(load(dist, cache)).toBe('one');
    expect(load(dist, cache, ['--max-semi-space-size=1'])).toBe('one');
    expect(entries(cache)).toEqual(two);
    writeFileSync(join(dist, 'b.cjs'), 'exports.v = "new build";');
    expect(load(dist, cache)).toBe('new build');
    expect(entries(cache)).toHaveLength(1);
    expect(two).not.toContain(entries(cache)[0]);
  });
});

describe('bundles the build wraps in the function Node would (BUNDLE_HEAD … BUNDLE_TAIL)', () => {
  const { BUNDLE_HEAD, BUNDLE_TAIL } = createRequire(import.meta.url)(loader) as { BUNDLE_HEAD: string; BUNDLE_TAIL: string };
  const wrap = (body: string) => `${BUNDLE_HEAD}\n${body}${BUNDLE_TAIL}`;

  /** Loads the bundles in turn in one process; their `v`s, joined by spaces. */
  function loadAll(dist: string, cache: string, names: string[], env: Record<string, string>): string {
    const calls = names.map((n) => `require(${JSON.stringify(loader)}).load(${JSON.stringify(join(dist, n))}).v`).join(', ');
    const r = spawnSync(process.execPath, ['-e', `process.stdout.write([${calls}].join(' '))`], {
      env: { ...hermeticEnv(), XDG_CACHE_HOME: cache, ...env }, encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    return r.stdout;
  }

  it.each([
    ['through the code cache', {}],
    ['CHARTAUDIT_NO_COMPILE_CACHE=1', { CHARTAUDIT_NO_COMPILE_CACHE: '1' }],
  ])('wrapped and plain bundles of different sizes, one after another in one process, %s', (_, env) => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-cc-'));
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    // one buffer serves every read: a large bundle, then a small one, then one that is neither
    writeFileSync(join(dist, 'big.cjs'), wrap(`exports.v = "big:" + require("node:path").basename(__filename); /* ${'x'.repeat(300_000)} */`));
    writeFileSync(join(dist, 'small.cjs'), 'exports.v = "small";');
    writeFileSync(join(dist, 'mid.cjs'), wrap(`"use strict"; exports.v = (function () { return this === undefined ? "mid:strict" : "mid"; })(); /* ${'y'.repeat(40_000)} */`));
    const want = 'big:big.cjs small mid:strict';
    expect(loadAll(dist, join(dir, 'cache'), ['big.cjs', 'small.cjs', 'mid.cjs'], env)).toBe(want);
    // a second run reads back the entries the first wrote (or, without the cache, compiles again)
    expect(loadAll(dist, join(dir, 'cache'), ['big.cjs', 'small.cjs', 'mid.cjs'], env)).toBe(want);
    expect(existsSync(join(dir, 'cache', 'chartaudit'))).toBe(!('CHARTAUDIT_NO_COMPILE_CACHE' in env));
  });

  it('the build wraps each bundle the loader reads, and leaves cli-program.cjs (required without the loader) plain', () => {
    const dist = resolve(import.meta.dirname, '..', 'dist');
    const bundles = readdirSync(dist).filter((f) => f.endsWith('.cjs') && f !== 'loader.cjs');
    expect(bundles).toEqual(expect.arrayContaining(['chartaudit.cjs', 'commands-scan.cjs', 'vendor-yaml.cjs', 'cli-program.cjs']));
    for (const f of bundles) {
      const text = readFileSync(join(dist, f), 'latin1');
      expect(text.startsWith(BUNDLE_HEAD), f).toBe(f !== 'cli-program.cjs');
      if (f !== 'cli-program.cjs') expect(text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '').endsWith(BUNDLE_TAIL), f).toBe(true);
    }
  });
});

describe("the build's entries (dist/v8/, scripts/train-code-cache.mjs)", () => {
  /** A run of the loader with these extra variables; its output and stderr. */
  function run(dist: string, cache: string, env: Record<string, string> = {}): { out: string; err: string } {
    const r = spawnSync(process.execPath, ['-e', `process.stdout.write(String(require(${JSON.stringify(loader)}).load(${JSON.stringify(join(dist, 'b.cjs'))}).v))`], {
      env: { ...hermeticEnv(), XDG_CACHE_HOME: cache, CHARTAUDIT_COMPILE_CACHE_TRACE: '1', ...env }, encoding: 'utf8',
    });
    return { out: r.stdout, err: r.stderr };
  }
  const setUp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-cc-'));
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'b.cjs'), 'exports.v = (() => "trained")();');
    return { dir, dist, shipped: join(dist, 'v8') };
  };

  it('training writes the entry every run; a first run with an empty cache reads it and keeps its own', () => {
    const { dir, dist, shipped } = setUp();
    const trained = join(dir, 'train-cache');
    expect(run(dist, trained, { CHARTAUDIT_CODE_CACHE_TRAIN: shipped })).toEqual({ out: 'trained', err: 'code cache: b.cjs: compiled (no entry)\n' });
    expect(readdirSync(shipped)).toHaveLength(1);
    expect(run(dist, trained, { CHARTAUDIT_CODE_CACHE_TRAIN: shipped }).err).toBe("code cache: b.cjs: the cache's entry\n");
    // training writes into its own directory only, never the user's cache
    expect(existsSync(join(trained, 'chartaudit'))).toBe(false);

    const cache = join(dir, 'cache');
    expect(run(dist, cache)).toEqual({ out: 'trained', err: "code cache: b.cjs: the build's entry\n" });
    expect(entries(cache)).toEqual(readdirSync(shipped));
    expect(run(dist, cache).err).toBe("code cache: b.cjs: the cache's entry\n");
  });

  it("an entry made under other Node flags, or damaged, is V8's to refuse: the bundle compiles and runs", () => {
    const { dir, dist, shipped } = setUp();
    run(dist, join(dir, 't'), { CHARTAUDIT_CODE_CACHE_TRAIN: shipped });
    const [name] = readdirSync(shipped);
    writeFileSync(join(shipped, name!), Buffer.alloc(4096, 0x5a));
    expect(run(dist, join(dir, 'cache'))).toEqual({ out: 'trained', err: 'code cache: b.cjs: compiled (entry rejected)\n' });
    // the user's entry, written at exit, serves the next run
    expect(run(dist, join(dir, 'cache')).err).toBe("code cache: b.cjs: the cache's entry\n");
  });
});

describe("the built CLI's first run", () => {
  it("reads the build's entries when the cache is empty (the build trained them with this Node and the CLI's flags)", () => {
    const root = resolve(import.meta.dirname, '..');
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-cc-'));
    const r = spawnSync(join(root, 'bin', 'chartaudit.js'), ['images', join(root, 'fixtures', 'demo', 'storefront-5.0.1.tgz'), '--format', 'json'], {
      env: { ...hermeticEnv(), XDG_CACHE_HOME: cache, CHARTAUDIT_COMPILE_CACHE_TRACE: '1' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("code cache: chartaudit.cjs: the build's entry\n");
    expect(r.stderr).toContain("code cache: commands-images.cjs: the build's entry\n");
    expect(entries(cache)).toEqual(expect.arrayContaining([expect.stringMatching(/^commands-images\.cjs\./)]));
  });
});
