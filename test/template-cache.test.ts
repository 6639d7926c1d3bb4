/**
 * Parsed templates kept between runs (src/cache/templates.ts): a second render of a chart reads
 * its templates' trees back and prints the same output; damaged or unreadable entries are
 * parsed afresh; CHARTAUDIT_NO_TEMPLATE_CACHE=1 neither reads nor writes; entries are private
 * files and texts too short to gain are not stored; `cache status` counts them and `cache prune`
 * removes old ones (all with --max-size 0).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateTreeCache } from '../src/cache/templates.js';
import { hermeticEnv } from './helpers/hermetic.js';
import { sharedPath } from './helpers/shared.js';

const bin = resolve(import.meta.dirname, '..', 'bin', 'chartaudit.js');
const chart = sharedPath('corpus', 'bitnami', 'charts', 'postgresql-17.1.0.tgz');
// renders the same every time (postgresql's secrets hold random passwords)
const steadyChart = sharedPath('corpus', 'bitnami', 'charts', 'whereabouts-1.2.20.tgz');

function entries(cache: string): string[] {
  const dir = join(cache, 'chartaudit', 'templates');
  let subs: string[];
  try {
    subs = readdirSync(dir);
  } catch {
    return [];
  }
  return subs.flatMap((s) => readdirSync(join(dir, s)).map((f) => join(dir, s, f)));
}

function run(cache: string, args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...hermeticEnv(), XDG_CACHE_HOME: cache, ...extra }, timeout: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('parsed templates kept between runs', () => {
  it.each([
    ['images', ['images', chart, '--format', 'json']],
    ['template', ['template', steadyChart]],
  ])('%s: the second run reads the entries and prints the same', (_, args) => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const first = run(cache, args);
    const stored = entries(cache);
    expect(stored.length).toBeGreaterThan(10);
    const times = stored.map((f) => statSync(f).mtimeMs);
    expect(run(cache, args)).toBe(first);
    // read, not written again
    expect(stored.map((f) => statSync(f).mtimeMs)).toEqual(times);
    expect(run(cache, args, { CHARTAUDIT_NO_TEMPLATE_CACHE: '1' })).toBe(first);
  });

  it('damaged entries are parsed afresh, with the same output', () => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const args = ['images', chart, '--format', 'json'];
    const first = run(cache, args);
    const stored = entries(cache);
    stored.forEach((f, i) => {
      if (i % 3 === 0) truncateSync(f, Math.floor(statSync(f).size / 2));
      else if (i % 3 === 1) writeFileSync(f, '[1,[null,[0,0,[[1,0,5,');
      else writeFileSync(f, '');
    });
    expect(run(cache, args)).toBe(first);
  });

  it('CHARTAUDIT_NO_TEMPLATE_CACHE=1 writes nothing', () => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    run(cache, ['images', chart, '--format', 'json'], { CHARTAUDIT_NO_TEMPLATE_CACHE: '1' });
    expect(entries(cache)).toEqual([]);
  });

  it('a cache directory that cannot be written: the render goes on', () => {
    const home = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const cache = join(home, 'not-a-dir');
    writeFileSync(cache, 'a file where the cache directory would be');
    expect(run(cache, ['images', chart, '--format', 'json'])).toContain('docker.io/bitnami/postgresql');
  });
});

describe('cache status and prune', () => {
  it('count the parsed templates; prune --max-size 0 removes them, a plain prune only old ones', () => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    run(cache, ['images', steadyChart, '--format', 'json']);
    const n = entries(cache).length;
    const status = JSON.parse(run(cache, ['cache', 'status', '--format', 'json'])) as { templates: { count: number; bytes: number } };
    expect(status.templates.count).toBe(n);
    expect(status.templates.bytes).toBeGreaterThan(1000);
    expect(run(cache, ['cache', 'status'])).toContain(`templates: ${n} parsed`);
    // one entry written 31 days ago
    const old = entries(cache)[0]!;
    const then = new Date(Date.now() - 31 * 24 * 3600_000);
    utimesSync(old, then, then);
    expect(JSON.parse(run(cache, ['cache', 'prune', '--format', 'json']))).toMatchObject({ templatesRemoved: 1 });
    expect(entries(cache)).toHaveLength(n - 1);
    expect(run(cache, ['cache', 'prune', '--max-size', '0'])).toContain(`removed ${n - 1} parsed templates`);
    expect(entries(cache)).toEqual([]);
  });
});

describe('TemplateTreeCache', () => {
  const text = `{{ .a }}${' padding'.repeat(50)}`;
  it('stores private files and reads them back; short texts are not stored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const store = new TemplateTreeCache(dir);
    expect(store.get('id', text)).toBeUndefined();
    store.put('id', text, '[1]');
    expect(store.get('id', text)).toBe('[1]');
    expect(store.get('other id', text)).toBeUndefined();
    expect(statSync(store.file('id', text)).mode & 0o777).toBe(0o600);
    expect(statSync(join(store.file('id', text), '..')).mode & 0o777).toBe(0o700);
    store.put('id', '{{ .a }}', '[1]');
    expect(store.get('id', '{{ .a }}')).toBeUndefined();
    expect(readdirSync(join(dir, 'templates')).length).toBe(1);
  });

  it('an entry above 16 MiB is not read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const store = new TemplateTreeCache(dir);
    store.put('id', text, '[1]');
    truncateSync(store.file('id', text), 16 * 1024 * 1024 + 1);
    expect(store.get('id', text)).toBeUndefined();
    expect(readFileSync(store.file('id', text)).length).toBe(16 * 1024 * 1024 + 1);
  });
});
