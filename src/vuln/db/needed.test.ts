import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { neededEcosystems, recordNeededEcosystems } from './needed.js';

const dir = mkdtempSync(join(tmpdir(), 'chartaudit-needed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = (name: string) => ({ XDG_CACHE_HOME: join(dir, name) });

describe('the ecosystems recent scans needed (db update without --ecosystem)', () => {
  it('none before any scan', () => {
    expect(neededEcosystems(env('fresh'))).toEqual([]);
  });

  it('scans add the base ecosystems of their packages, sorted, once each', () => {
    const e = env('scans');
    recordNeededEcosystems(['Debian:12', 'npm', 'Go', 'Debian:11'], e);
    recordNeededEcosystems(['Alpine:v3.20', 'npm', 'Rocky Linux:9'], e);
    expect(neededEcosystems(e)).toEqual(['Alpine', 'Debian', 'Go', 'Rocky Linux', 'npm']);
    expect(JSON.parse(readFileSync(join(e.XDG_CACHE_HOME, 'chartaudit', 'ecosystems-needed.json'), 'utf8'))).toEqual({ ecosystems: ['Alpine', 'Debian', 'Go', 'Rocky Linux', 'npm'] });
  });

  it.each([
    ['not JSON', 'nonsense'],
    ['names that are not ecosystem names (a path, a URL part)', JSON.stringify({ ecosystems: ['../../etc', 'Go', 'a/b', 42] })],
  ])('a damaged file (%s) yields only valid names, never an error', (_n, text) => {
    const e = env(`bad-${_n.length}`);
    mkdirSync(join(e.XDG_CACHE_HOME, 'chartaudit'), { recursive: true });
    writeFileSync(join(e.XDG_CACHE_HOME, 'chartaudit', 'ecosystems-needed.json'), text);
    expect(neededEcosystems(e)).toEqual(text.includes('Go') ? ['Go'] : []);
  });

  it('a cache that cannot be written is passed over', () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the cache dir should be');
    expect(() => recordNeededEcosystems(['Go'], { XDG_CACHE_HOME: blocked })).not.toThrow();
  });
});
