/**
 * Parsed templates kept between runs (src/cache/templates.ts): a first render notes the texts, a
 * second stores their trees, a third reads them back, all with the same output; damaged or unreadable entries are
 * parsed afresh; a chart archive's inflated tar and its values files are kept by the same rule; CHARTAUDIT_NO_TEMPLATE_CACHE=1 neither reads nor writes; entries are private
 * files and texts too short to gain are not stored; `cache status` counts them and `cache prune`
 * removes old ones (all with --max-size 0).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
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
  try {
    return readdirSync(dir).map((f) => join(dir, f));
  } catch {
    return [];
  }
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
  ])('%s: the first run notes the texts, the second stores them, the third reads them; all print the same', (_, args) => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const first = run(cache, args);
    expect(entries(cache).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect(run(cache, args)).toBe(first);
    const stored = entries(cache).filter((f) => f.endsWith('.json'));
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
    run(cache, args);
    const stored = entries(cache).filter((f) => f.endsWith('.json'));
    stored.forEach((f, i) => {
      if (i % 3 === 0) truncateSync(f, Math.floor(statSync(f).size / 2));
      else if (i % 3 === 1) writeFileSync(f, '[1,[null,[0,0,[[1,0,5,');
      else writeFileSync(f, '');
    });
    expect(run(cache, args)).toBe(first);
  });

  it("an archive's texts are kept in one entry, read alone from the third run", () => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const args = ['template', steadyChart];
    const first = run(cache, args);
    run(cache, args);
    const archive = entries(cache).filter((f) => /\/archive-[0-9a-f]{64}\.json$/.test(f));
    expect(archive).toHaveLength(1);
    // every text, short ones too: the per-text entries are not needed any more
    const perText = (f: string) => /\/[0-9a-f]{64}\.json$/.test(f);
    for (const f of entries(cache)) if (perText(f)) rmSync(f);
    expect(run(cache, args)).toBe(first);
    expect(entries(cache).filter(perText)).toEqual([]);
    const lines = readFileSync(archive[0]!, 'utf8').split('\n');
    expect(lines[0]).toBe('chartaudit archive templates 2');
    expect(lines.length).toBeGreaterThan(20);
  });

  it('an archive entry with a wrong length, a damaged line or a planted link: parsed afresh, the same output, nothing written through the link', () => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const args = ['template', steadyChart];
    const first = run(cache, args);
    run(cache, args);
    const archive = entries(cache).find((f) => /\/archive-[0-9a-f]{64}\.json$/.test(f))!;
    const lines = readFileSync(archive, 'utf8').split('\n');
    // a text of another length, and a line cut short
    lines[1] = lines[1]!.replace(/\t(\d+)\t/, (_, n: string) => `\t${Number(n) + 1}\t`);
    lines[2] = lines[2]!.slice(0, Math.floor(lines[2]!.length / 2));
    writeFileSync(archive, lines.join('\n'));
    const before = statSync(archive).mtimeMs;
    expect(run(cache, args)).toBe(first);
    // written again, whole
    expect(statSync(archive).mtimeMs).not.toBe(before);
    expect(run(cache, args)).toBe(first);
    const victim = join(mkdtempSync(join(tmpdir(), 'chartaudit-victim-')), 'victim');
    writeFileSync(victim, 'not yours');
    rmSync(archive);
    symlinkSync(victim, archive);
    expect(run(cache, args)).toBe(first);
    expect(readFileSync(victim, 'utf8')).toBe('not yours');
  });

  it("an archive's inflated tar: noted, stored, read back; one of another length or a planted link is not read, nothing written through the link", () => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const args = ['template', steadyChart];
    const kept = () => entries(cache).filter((f) => /\/tar-[0-9a-f]{64}\.tar$/.test(f));
    const first = run(cache, args);
    expect(kept()).toEqual([]);
    expect(run(cache, args)).toBe(first);
    expect(kept()).toHaveLength(1);
    const tar = kept()[0]!;
    expect(readFileSync(tar).equals(gunzipSync(readFileSync(steadyChart)))).toBe(true);
    expect(statSync(tar).mode & 0o777).toBe(0o600);
    const before = statSync(tar).mtimeMs;
    expect(run(cache, args)).toBe(first);
    expect(statSync(tar).mtimeMs).toBe(before); // read, not written again
    // cut short (a write another process has not finished): inflated afresh, written again whole
    truncateSync(tar, 1000);
    expect(run(cache, args)).toBe(first);
    expect(readFileSync(tar).equals(gunzipSync(readFileSync(steadyChart)))).toBe(true);
    // a link to a file of the right length is neither read nor written through
    const victim = join(mkdtempSync(join(tmpdir(), 'chartaudit-victim-')), 'victim');
    writeFileSync(victim, Buffer.alloc(statSync(tar).size, 0x41));
    rmSync(tar);
    symlinkSync(victim, tar);
    expect(run(cache, args)).toBe(first);
    expect(readFileSync(victim).every((b) => b === 0x41)).toBe(true);
  });

  it("an archive's values files: noted, stored, read back to the same output; a damaged entry or one of another length is parsed afresh and written again", () => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    // wordpress: values.yaml files of its own and of three subcharts (two nested)
    const args = ['images', sharedPath('corpus', 'bitnami', 'charts', 'wordpress-27.0.0.tgz'), '--format', 'json'];
    const kept = () => entries(cache).filter((f) => /\/values-[0-9a-f]{64}\.json$/.test(f));
    const first = run(cache, args);
    expect(kept()).toEqual([]);
    expect(run(cache, args)).toBe(first);
    expect(kept()).toHaveLength(1);
    const entry = kept()[0]!;
    expect(statSync(entry).mode & 0o777).toBe(0o600);
    const lines = readFileSync(entry, 'latin1').split('\n');
    expect(lines[0]).toBe('chartaudit archive values 1');
    // one line a chart's values, in load order: the top chart, mariadb, memcached, each one's common
    // library; and each chart's Chart.yaml (the top one's twice: its apiVersion read first), Chart.lock
    const keys = lines.filter(Boolean).slice(1).map((l) => JSON.parse(l.split('\t')[0]!) as string);
    expect(keys.filter((k) => !k.includes('Chart.'))).toEqual(
      ['\u00000', 'mariadb\u00000', 'mariadb/common\u00000', 'memcached\u00000', 'memcached/common\u00000', 'common\u00000'],
    );
    expect(keys.filter((k) => k.includes('Chart.'))).toEqual([
      '\u0000Chart.yaml\u0000base', '\u0000Chart.yaml', 'mariadb\u0000Chart.yaml', 'mariadb\u0000Chart.lock', 'mariadb/common\u0000Chart.yaml',
      'memcached\u0000Chart.yaml', 'memcached\u0000Chart.lock', 'memcached/common\u0000Chart.yaml', 'common\u0000Chart.yaml',
    ]);
    const top = lines.findIndex((l) => l.startsWith('"\\u00000"\t'));
    const topChart = lines.findIndex((l) => l.startsWith('"\\u0000Chart.yaml"\t'));
    expect(top).toBeGreaterThan(0);
    expect(topChart).toBeGreaterThan(0);
    const before = statSync(entry).mtimeMs;
    expect(run(cache, args)).toBe(first);
    expect(statSync(entry).mtimeMs).toBe(before); // read, not written again
    // values of another length (another build's file would be another entry), and a damaged line
    const damaged = [...lines];
    damaged[1] = damaged[1]!.replace(/\t(\d+)\t/, (_, n: string) => `\t${Number(n) + 1}\t`);
    damaged[2] = damaged[2]!.slice(0, Math.floor(damaged[2]!.length / 2));
    writeFileSync(entry, damaged.join('\n'));
    expect(run(cache, args)).toBe(first);
    expect(readFileSync(entry, 'latin1')).toBe(lines.join('\n'));
    // values that read back as something else than the file holds show in the output: the entry is what is read
    const edited = (l: string) => l.replace('"imageRegistry":""', '"imageRegistry":"registry.example"').replace('"allowInsecureImages":false', '"allowInsecureImages":true');
    writeFileSync(entry, lines.map((l, i) => (i === top ? edited(l) : l)).join('\n'));
    expect(run(cache, args)).toContain('registry.example/');
    // and so is the Chart.yaml it holds
    writeFileSync(entry, lines.map((l, i) => (i === topChart ? l.replace('"appVersion":"6.8.2"', '"appVersion":"6.8.2-edited"') : l)).join('\n'));
    expect(run(cache, args)).toContain('"appVersion": "6.8.2-edited"');
    expect(run(cache, args, { CHARTAUDIT_NO_TEMPLATE_CACHE: '1' })).toBe(first);
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
  it('count the parsed templates and inflated archives; prune --max-size 0 removes them, a plain prune only old ones', () => {
    const cache = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    run(cache, ['images', steadyChart, '--format', 'json']);
    run(cache, ['images', steadyChart, '--format', 'json']);
    const json = () => entries(cache).filter((f) => f.endsWith('.json') || f.endsWith('.tar'));
    expect(entries(cache).filter((f) => /\/tar-[0-9a-f]{64}\.tar$/.test(f))).toHaveLength(1);
    const n = json().length;
    const status = JSON.parse(run(cache, ['cache', 'status', '--format', 'json'])) as { templates: { count: number; bytes: number } };
    expect(status.templates.count).toBe(n);
    expect(status.templates.bytes).toBeGreaterThan(1000);
    expect(run(cache, ['cache', 'status'])).toContain(`templates: ${n} entries of parsed templates and chart archives`);
    // one entry written 31 days ago
    const old = json()[0]!;
    const then = new Date(Date.now() - 31 * 24 * 3600_000);
    utimesSync(old, then, then);
    expect(JSON.parse(run(cache, ['cache', 'prune', '--format', 'json']))).toMatchObject({ templatesRemoved: 1 });
    expect(json()).toHaveLength(n - 1);
    expect(run(cache, ['cache', 'prune', '--max-size', '0'])).toContain(`removed ${n - 1} entries of parsed templates and chart archives`);
    expect(entries(cache)).toEqual([]); // the log of seen texts too
  });
});

describe('TemplateTreeCache', () => {
  const text = `{{ .a }}${' padding'.repeat(300)}`;
  /** A text is stored the second time it is put (the first only notes it). */
  async function stored(store: TemplateTreeCache, identity: string, t: string, json: string): Promise<void> {
    store.put(identity, t, () => json);
    store.put(identity, t, () => json);
    await store.settled();
  }

  it.each([
    ['plain values', () => JSON.parse('{"a":1,"b":[true,null,"x"],"c":{"d":"\u00e9\ud83d\ude00\ud800","__proto__":"own"}}') as Record<string, unknown>, true],
    // JSON has no -0: such a file is parsed at every load
    ['a negative zero', () => ({ a: { b: [-0] } }), false],
  ])("an archive's values entry: %s", async (_, values, readBack) => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const digest = 'ab'.repeat(32);
    const parsed = new Map([['\u00000', { length: 12, values: values() }]]);
    for (let i = 0; i < 2; i++) {
      const store = new TemplateTreeCache(dir);
      expect(store.parsedValues(digest).get('\u00000', 12)).toBeUndefined();
      store.parsedValues(digest).put(parsed);
      await store.settled();
    }
    const store = new TemplateTreeCache(dir);
    const got = store.parsedValues(digest).get('\u00000', 12);
    if (readBack) {
      expect(got).toEqual(values());
      expect(Object.getOwnPropertyNames(got!.c)).toEqual(['d', '__proto__']);
      expect(store.parsedValues(digest).get('\u00000', 13)).toBeUndefined();
      expect(store.parsedValues('cd'.repeat(32)).get('\u00000', 12)).toBeUndefined();
    } else {
      expect(got).toBeUndefined();
    }
  });

  it('notes a text first, stores it the second time: private files, read back; short texts are not stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const store = new TemplateTreeCache(dir);
    expect(store.get('id', text)).toBeUndefined();
    let encoded = 0;
    store.put('id', text, () => { encoded++; return '[1]'; });
    await store.settled();
    expect(encoded).toBe(0);
    expect(store.get('id', text)).toBeUndefined();
    // another process (a later run) sees the note
    const later = new TemplateTreeCache(dir);
    later.put('id', text, () => { encoded++; return '[1]'; });
    await later.settled();
    expect(encoded).toBe(1);
    expect(store.get('id', text)).toBe('[1]');
    expect(store.get('other id', text)).toBeUndefined();
    expect(statSync(store.file('id', text)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'templates')).mode & 0o777).toBe(0o700);
    await stored(store, 'id', '{{ .a }}', '[1]');
    expect(store.get('id', '{{ .a }}')).toBeUndefined();
    expect(readdirSync(join(dir, 'templates')).sort()).toEqual([`${store.file('id', text).split('/').pop()}`, 'seen.log'].sort());
  });

  it('an entry above 16 MiB is not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const store = new TemplateTreeCache(dir);
    await stored(store, 'id', text, '[1]');
    truncateSync(store.file('id', text), 16 * 1024 * 1024 + 1);
    expect(store.get('id', text)).toBeUndefined();
    expect(readFileSync(store.file('id', text)).length).toBe(16 * 1024 * 1024 + 1);
  });

  it('never writes through a link planted at an entry\'s name or the log\'s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const store = new TemplateTreeCache(dir);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    mkdirSync(join(dir, 'templates'));
    symlinkSync(victim, store.file('id', text));
    await stored(store, 'id', text, '[1]');
    rmSync(join(dir, 'templates', 'seen.log'));
    symlinkSync(victim, join(dir, 'templates', 'seen.log'));
    await stored(new TemplateTreeCache(dir), 'id2', text, '[1]');
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it("an archive's entry is ASCII, read back to the same trees; one with a byte above 0x7f is not read", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    const tree = '[1,[null,[0,0,[[14,3,"{{ \\"café 😀\\" }}","café 😀"]]]]]';
    const texts: [string, string][] = [['templates/é.yaml', '{{ "café 😀" }}'], ['templates/b.yaml', text]];
    for (let run = 0; run < 2; run++) {
      // a render of the archive: noted the first time, written the second
      const cache = new TemplateTreeCache(dir);
      const store = cache.forArchive('ab'.repeat(32));
      for (const [name, t] of texts) {
        expect(store.get('id', t, name)).toBeUndefined();
        store.put('id', t, () => tree, name);
      }
      await new Promise((r) => setImmediate(r));
      await cache.settled();
    }
    const entry = readdirSync(join(dir, 'templates')).find((f) => f.startsWith('archive-'))!;
    const bytes = readFileSync(join(dir, 'templates', entry));
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(bytes.toString('latin1')).toContain('caf\\u00e9 \\ud83d\\ude00');
    const again = new TemplateTreeCache(dir).forArchive('ab'.repeat(32));
    for (const [name, t] of texts) expect(JSON.parse(again.get('id', t, name) as string)).toEqual(JSON.parse(tree));
    writeFileSync(join(dir, 'templates', entry), Buffer.concat([bytes, Buffer.from('é')]));
    expect(new TemplateTreeCache(dir).forArchive('ab'.repeat(32)).get('id', texts[0]![1], texts[0]![0])).toBeUndefined();
  });

  it('a text counts as seen only when its id is a whole line of the log, among ~14,000 others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    mkdirSync(join(dir, 'templates'));
    const id = new TemplateTreeCache(dir).file('id', text).split('/').pop()!.replace(/\.json$/, '');
    const others = Array.from({ length: 14_000 }, (_, i) => `deployed-${i.toString(16).padStart(64, '0')}\n`).join('');
    // [seen.log, stored at this put]
    const cases: Array<[string, boolean]> = [
      [`${others}${id}\n`, true],
      [`${id}\n${others}`, true],
      [`${others}x${id}\n`, false],
      [`${others}tar-${id}\n`, false],
      [`${others}${id}0\n`, false],
      [`${others}${id}`, false],
      [others, false],
    ];
    for (const [log, stores] of cases) {
      rmSync(join(dir, 'templates'), { recursive: true, force: true });
      mkdirSync(join(dir, 'templates'));
      writeFileSync(join(dir, 'templates', 'seen.log'), log);
      const store = new TemplateTreeCache(dir);
      let encoded = 0;
      store.put('id', text, () => { encoded++; return '[1]'; });
      await store.settled();
      expect(encoded, JSON.stringify(log.slice(-80))).toBe(stores ? 1 : 0);
      expect(store.get('id', text)).toBe(stores ? '[1]' : undefined);
      // an id not seen is noted (one line more; a log cut inside its last line gets that line
      // ended first); a second put in the same run finds the note
      const noted = readFileSync(join(dir, 'templates', 'seen.log'), 'latin1').split('\n').filter((l) => l === id).length;
      expect(noted).toBe(log.endsWith(id) ? 2 : 1);
      store.put('id', text, () => { encoded++; return '[1]'; });
      await store.settled();
      expect(store.get('id', text)).toBe('[1]');
    }
  });

  it('a seen log above 1 MiB is started afresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartaudit-tplcache-'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'seen.log'), `${'0'.repeat(64)}\n`.repeat(20_000));
    const store = new TemplateTreeCache(dir);
    store.put('id', text, () => '[1]');
    await store.settled();
    expect(readFileSync(join(dir, 'templates', 'seen.log'), 'latin1').split('\n').filter(Boolean)).toHaveLength(1);
  });
});
