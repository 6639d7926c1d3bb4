import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobCache, BlobVerifyError, isDigest } from './blobs.js';
import { defaultCacheDir } from './paths.js';
import { LayerResultStore } from './results.js';

const root = mkdtempSync(join(tmpdir(), 'chartaudit-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): BlobCache => new BlobCache({ cacheDir: join(root, `c${++n}`) });
const digest = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
async function* chunks(b: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
const tmpFiles = (c: BlobCache): string[] => {
  try {
    return readdirSync(join(c.dir, 'blobs', 'sha256')).filter((f) => f.startsWith('.tmp-'));
  } catch {
    return [];
  }
};

describe('defaultCacheDir', () => {
  it.each([
    [{ XDG_CACHE_HOME: '/x/cache', HOME: '/h' }, '/x/cache/chartaudit'],
    [{ XDG_CACHE_HOME: '', HOME: '/h' }, '/h/.cache/chartaudit'],
    [{ HOME: '/h' }, '/h/.cache/chartaudit'],
  ])('%j → %s', (env, want) => expect(defaultCacheDir(env)).toBe(want));
});

describe('isDigest: only well-formed digests name files', () => {
  it.each([
    [`sha256:${'a'.repeat(64)}`, true],
    [`sha512:${'b'.repeat(128)}`, true],
    [`sha256:${'A'.repeat(64)}`, false],
    [`sha256:${'a'.repeat(63)}`, false],
    ['sha256:../../etc/passwd', false],
    [`md5:${'a'.repeat(32)}`, false],
  ])('%s → %s', (d, ok) => expect(isDigest(d)).toBe(ok));
});

describe('BlobCache.write', () => {
  const data = Buffer.from('hello, layer\n'.repeat(100));
  it('stores a blob that matches its digest (streamed), under blobs/sha256/<hex>', async () => {
    const c = fresh();
    expect(await c.write(digest(data), chunks(data), { expectedSize: data.length })).toBe(data.length);
    expect(c.has(digest(data))).toBe(true);
    expect(c.path(digest(data))).toBe(join(c.dir, 'blobs', 'sha256', digest(data).slice(7)));
    expect(c.readSmall(digest(data), 1 << 20)?.equals(data)).toBe(true);
    expect(tmpFiles(c)).toEqual([]);
  });

  it.each([
    ['a wrong digest', () => digest(Buffer.from('other')), {}, 'digest', /^the content hashes to sha256:[0-9a-f]{64}, not sha256:/],
    ['more bytes than the descriptor', () => digest(data), { expectedSize: 10 }, 'size', /^more bytes than the 10 its descriptor gives$/],
    ['fewer bytes than the descriptor', () => digest(data), { expectedSize: data.length + 1 }, 'size', /^1300 bytes where its descriptor gives 1301$/],
    ['over the size limit', () => digest(data), { maxBytes: 100 }, 'limit', /^larger than the limit of 100 bytes$/],
  ])('refuses %s and caches nothing', async (_n, d, opts, reason, re) => {
    const c = fresh();
    const err = await c.write(d(), chunks(data), opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobVerifyError);
    expect((err as BlobVerifyError).reason).toBe(reason);
    expect((err as Error).message).toMatch(re);
    expect(c.has(d())).toBe(false);
    expect(tmpFiles(c)).toEqual([]);
  });

  it('a source that fails midway leaves nothing behind', async () => {
    const c = fresh();
    async function* broken(): AsyncGenerator<Buffer> {
      yield data.subarray(0, 10);
      throw new Error('connection reset');
    }
    await expect(c.write(digest(data), broken())).rejects.toThrow('connection reset');
    expect(c.has(digest(data))).toBe(false);
    expect(tmpFiles(c)).toEqual([]);
  });

  describe('blobs past the early-flush interval (8 MiB): the disk flush runs during the download', () => {
    const big = Buffer.alloc(21 << 20);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    it('a 21 MiB blob in 1 MiB chunks is stored byte for byte', async () => {
      const c = fresh();
      expect(await c.write(digest(big), chunks(big, 1 << 20), { expectedSize: big.length })).toBe(big.length);
      expect(c.size(digest(big))).toBe(big.length);
      expect(digest(readFileSync(c.path(digest(big))))).toBe(digest(big));
      expect(tmpFiles(c)).toEqual([]);
    });

    it.each([
      ['a wrong digest', () => digest(Buffer.from('other')), {}],
      ['a source that fails after 17 MiB', () => digest(big), { fail: 17 }],
    ])('%s: refused after flushes were started, nothing cached, no temp file left', async (_n, d, o: { fail?: number }) => {
      const c = fresh();
      async function* source(): AsyncGenerator<Buffer> {
        for (let i = 0; i < big.length; i += 1 << 20) {
          if (o.fail !== undefined && i >= o.fail << 20) throw new Error('connection reset');
          yield big.subarray(i, i + (1 << 20));
        }
      }
      await expect(c.write(d(), source())).rejects.toThrow(o.fail !== undefined ? 'connection reset' : BlobVerifyError);
      expect(c.has(d())).toBe(false);
      expect(tmpFiles(c)).toEqual([]);
    });
  });

  it('writeBytes checks the digest too', () => {
    const c = fresh();
    expect(() => c.writeBytes(digest(Buffer.from('a')), Buffer.from('b'))).toThrow(BlobVerifyError);
    c.writeBytes(digest(data), data);
    expect(c.has(digest(data))).toBe(true);
  });

  it('a damaged small blob is a miss and is removed', () => {
    const c = fresh();
    c.writeBytes(digest(data), data);
    writeFileSync(c.path(digest(data)), 'tampered');
    expect(c.readSmall(digest(data), 1 << 20)).toBeNull();
    expect(c.has(digest(data))).toBe(false);
  });
});

describe('BlobCache status and prune (least recently used first)', () => {
  it('counts, then prunes the oldest-used blobs down to the cap', async () => {
    const c = fresh();
    const blobs = [1, 2, 3, 4].map((i) => Buffer.alloc(1000 * i, i));
    for (const b of blobs) await c.write(digest(b), chunks(b, 512));
    expect(c.status()).toEqual({ dir: c.dir, count: 4, bytes: 10_000 });
    // last use: blob 3 oldest, then 1, 4, 2
    const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    utimesSync(c.path(digest(blobs[2]!)), at(1), at(1));
    utimesSync(c.path(digest(blobs[0]!)), at(2), at(2));
    utimesSync(c.path(digest(blobs[3]!)), at(3), at(3));
    utimesSync(c.path(digest(blobs[1]!)), at(4), at(4));
    c.open(digest(blobs[2]!))!.destroy(); // reading blob 3 makes it the most recent
    const r = c.prune({ maxBytes: 6000 });
    expect(r.removed).toBe(2);
    expect(r.freedBytes).toBe(5000);
    expect(blobs.map((b) => c.has(digest(b)))).toEqual([false, true, true, false]);
    expect(r.status).toEqual({ dir: c.dir, count: 2, bytes: 5000 });
    expect(c.prune({ maxBytes: 0 }).status.count).toBe(0);
  });

  it('an empty or missing cache has status 0/0', () => {
    const c = fresh();
    expect(c.status()).toEqual({ dir: c.dir, count: 0, bytes: 0 });
    expect(c.prune({ maxBytes: 0 }).removed).toBe(0);
  });

  it('remembers tags for --offline', () => {
    const c = fresh();
    const d = `sha256:${'c'.repeat(64)}`;
    expect(c.lookupTag('docker.io/library/alpine:3.20')).toBeNull();
    c.rememberTag('docker.io/library/alpine:3.20', d);
    expect(c.lookupTag('docker.io/library/alpine:3.20')).toBe(d);
    expect(c.lookupTag('docker.io/library/alpine:3.21')).toBeNull();
  });

  it('a tag remembered again at the same digest leaves the record alone; a moved tag is rewritten', () => {
    const c = fresh();
    const d1 = `sha256:${'c'.repeat(64)}`;
    const d2 = `sha256:${'e'.repeat(64)}`;
    const refs = join(c.dir, 'refs');
    c.rememberTag('docker.io/library/alpine:3.20', d1);
    const [file] = readdirSync(refs);
    const before = readFileSync(join(refs, file!), 'utf8');
    c.rememberTag('docker.io/library/alpine:3.20', d1);
    expect(readFileSync(join(refs, file!), 'utf8')).toBe(before);
    c.rememberTag('docker.io/library/alpine:3.20', d2);
    expect(c.lookupTag('docker.io/library/alpine:3.20')).toBe(d2);
    expect(readdirSync(refs)).toEqual([file]);
  });
});

describe('LayerResultStore', () => {
  const layer = `sha256:${'d'.repeat(64)}`;
  it('keys by layer digest, analyser id and version', () => {
    const s = new LayerResultStore({ cacheDir: join(root, `r${++n}`) });
    expect(s.get({ layer, analyser: 'dpkg', version: 1 })).toBeUndefined();
    s.put({ layer, analyser: 'dpkg', version: 1 }, { packages: [{ name: 'bash', version: '5.2' }] });
    expect(s.get({ layer, analyser: 'dpkg', version: 1 })).toEqual({ packages: [{ name: 'bash', version: '5.2' }] });
    expect(s.get({ layer, analyser: 'dpkg', version: 2 })).toBeUndefined();
    expect(s.get({ layer, analyser: 'apk', version: 1 })).toBeUndefined();
    s.put({ layer, analyser: 'dpkg', version: 1 }, null);
    expect(s.get({ layer, analyser: 'dpkg', version: 1 })).toBeNull();
    expect(s.status().count).toBe(1);
  });

  it('refuses a key that is not a digest', () => {
    const s = new LayerResultStore({ cacheDir: join(root, `r${++n}`) });
    expect(() => s.put({ layer: '../x', analyser: 'a', version: 1 }, 1)).toThrow(/not a layer digest/);
  });
});
