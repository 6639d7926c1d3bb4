/**
 * Hostile layers: every limit of src/image/limits.ts is hit here by a layer built in the test
 * (streamed lazily where it is large), with the error a user sees and bounded memory and time.
 */
import { createReadStream, mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { entryHeader, tarBytes, type TarEntrySpec } from '../fixtures/image/tar-writer.js';
import { readMergedFiles, resolveArchive, type LayerSource } from '../src/image/index.js';
import type { ImageLimits } from '../src/image/limits.js';

const D = (n: number): string => 'sha256:' + String(n).repeat(64).slice(0, 64);

function layer(chunks: () => Iterable<Buffer> | AsyncIterable<Buffer>, n = 1): LayerSource {
  return { digest: D(n), verifyDigest: false, open: () => toAsync(chunks()) };
}
async function* toAsync(it: Iterable<Buffer> | AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield* it as AsyncIterable<Buffer>;
}
const tarLayer = (entries: TarEntrySpec[], n = 1): LayerSource => layer(() => [tarBytes(entries)], n);

async function read(layers: LayerSource[], wants: (p: string) => boolean | number = () => true, limits: Partial<ImageLimits> = {}) {
  const files = new Map<string, Buffer>();
  const skipped = new Map<string, string>();
  await readMergedFiles(layers, wants, (f) => files.set(f.path, f.content), { limits, onSkip: (p, r) => skipped.set(p, r), what: 'img' });
  return { files, skipped };
}

/** A gzip stream of a tar whose one entry is `gib` GiB of zeros: concatenated members, ~1 MB per GiB. */
function* zeroEntryGzip(bytes: number, name = 'big'): Generator<Buffer> {
  yield gzipSync(entryHeader({ name, headerSize: bytes }));
  const member = gzipSync(Buffer.alloc(16 * 2 ** 20));
  for (let left = bytes; left > 0; left -= 16 * 2 ** 20) yield member;
}

describe('hostile layers are refused with a clear error, bounded in memory and time', () => {
  it.each([
    ['../etc/passwd'],
    ['a/../../etc/passwd'],
    ['/../../x'],
  ])('entry name %s climbing out of the root', async (name) => {
    await expect(read([tarLayer([{ name, content: 'x' }])])).rejects.toThrow(/img: layer 1 \(sha256:1{64}\): entry ".*" climbs out of the image root/);
  });

  it('a hard link to a path out of the root', async () => {
    await expect(read([tarLayer([{ name: 'x', type: 'hardlink', linkname: '../../etc/shadow' }])])).rejects.toThrow(/hard link "x" points outside the image root/);
  });

  it('symlinks out of the root are not followed (absolute ones start at the image root)', async () => {
    const { files, skipped } = await read([
      tarLayer([
        { name: 'etc/shadow', content: 'inside\n' },
        { name: 'a/up', type: 'symlink', linkname: '../../../../etc/shadow' },
        { name: 'a/abs', type: 'symlink', linkname: '/etc/shadow' },
        { name: 'a/absup', type: 'symlink', linkname: '/../etc/shadow' },
      ]),
    ]);
    expect(skipped.get('/a/up')).toMatch(/outside the image root/);
    expect(skipped.get('/a/absup')).toMatch(/outside the image root/);
    expect(files.get('/a/abs')?.toString()).toBe('inside\n');
  });

  it('symlink loops and long chains stop at maxSymlinkDepth', async () => {
    const chain: TarEntrySpec[] = [{ name: 'f', content: 'end\n' }, { name: 'l0', type: 'symlink', linkname: 'f' }];
    for (let i = 1; i <= 100; i++) chain.push({ name: `l${i}`, type: 'symlink', linkname: `/l${i - 1}` });
    chain.push({ name: 'loop1', type: 'symlink', linkname: 'loop2' }, { name: 'loop2', type: 'symlink', linkname: './loop1' });
    chain.push({ name: 'dirloop', type: 'symlink', linkname: 'dirloop/x' });
    const t0 = Date.now();
    const { files, skipped } = await read([tarLayer(chain)], (p) => p === '/l7' || p === '/l8' || p === '/l100' || p.startsWith('/loop') || p === '/dirloop');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(files.get('/l7')?.toString()).toBe('end\n'); // 8 links
    expect(skipped.get('/l8')).toMatch(/more than 8 symlinks to follow \(limit maxSymlinkDepth; a loop\?\)/);
    expect(skipped.get('/l100')).toMatch(/more than 8 symlinks/);
    expect(skipped.get('/loop1')).toMatch(/more than 8 symlinks/);
    expect(skipped.get('/dirloop')).toMatch(/more than 8 symlinks/);
  });

  it('gzip bomb: 8 GiB of zeros from ~8 MB is stopped by the ratio cap after 64 MiB', async () => {
    const t0 = Date.now();
    await expect(read([layer(() => zeroEntryGzip(8 * 2 ** 30))], () => false)).rejects.toThrow(
      /img: layer 1 \(sha256:1{64}\): .* of gzip inflated to more than 64(\.\d)? MiB, a ratio above 250:1 \(limit maxRatio\): refusing a compression bomb/,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('inflate cap: an uncompressed layer past maxLayerBytes', async () => {
    await expect(read([layer(() => zeroEntryGzip(64 * 2 ** 20))], () => false, { maxLayerBytes: 8 * 2 ** 20 })).rejects.toThrow(
      /uncompressed layer exceeds 8 MiB \(limit maxLayerBytes\)/,
    );
    function* plain(): Generator<Buffer> {
      yield entryHeader({ name: 'big', headerSize: 32 * 2 ** 20 });
      for (let i = 0; i < 32; i++) yield Buffer.alloc(2 ** 20);
    }
    await expect(read([layer(plain)], () => false, { maxLayerBytes: 8 * 2 ** 20 })).rejects.toThrow(/exceeds 8 MiB \(limit maxLayerBytes\)/);
  });

  it('zstd bomb: RLE blocks of 128 KiB from 4 bytes each are stopped by the ratio cap', async () => {
    function* bomb(): Generator<Buffer> {
      const header = entryHeader({ name: 'big', headerSize: 32 * 2 ** 30 });
      // frame: magic, FHD 0 (window descriptor follows, no checksum), window 128 KiB
      yield Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (17 - 10) << 3]);
      const raw = Buffer.alloc(3);
      raw.writeUIntLE((header.length << 3) | (0 << 1), 0, 3); // raw block with the tar header
      yield Buffer.concat([raw, header]);
      const rle = Buffer.alloc(4);
      rle.writeUIntLE((131072 << 3) | (1 << 1), 0, 3); // RLE block: 128 KiB of one byte (0)
      const many = Buffer.concat(Array.from({ length: 65536 }, () => rle)); // 256 KiB in, 8 GiB out
      for (let i = 0; i < 4; i++) yield many;
    }
    const t0 = Date.now();
    await expect(read([layer(bomb)], () => false)).rejects.toThrow(/of zstd inflated to more than 64(\.\d)? MiB, a ratio above 250:1/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it.each([
    ['a 1 GiB window', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (30 - 10) << 3]), /wants a 1 GiB window, more than the 128 MiB limit \(maxZstdWindow\)/],
    [
      'a single-segment frame declaring 10 GiB',
      Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64LE(10n * 2n ** 30n); return b; })()]),
      /wants a 10 GiB window/,
    ],
    ['a dictionary frame', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x01, 0x50, 0x07]), /needs a dictionary/],
    ['a truncated frame', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50, 0x01, 0x00]), /zstd stream is truncated/],
    ['a reserved block type', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50, 0x07, 0x00, 0x00]), /zstd block of reserved type/],
  ])('zstd: %s is refused before the decoder allocates', async (_n, bytes, msg) => {
    await expect(read([layer(() => [bytes])])).rejects.toThrow(msg);
  });

  it('a corrupt gzip stream', async () => {
    const gz = gzipSync(tarBytes([{ name: 'a', content: 'x'.repeat(5000) }]));
    gz[gz.length - 6] = gz[gz.length - 6]! ^ 0xff; // the CRC
    await expect(read([layer(() => [gz])])).rejects.toThrow(/img: layer 1 \(sha256:1{64}\): gzip stream is corrupt/);
  });

  it('a million tiny files stop at maxEntries (default 500,000), streamed, in bounded time and memory', async () => {
    function* million(): Generator<Buffer> {
      const batch: Buffer[] = [];
      for (let i = 0; i < 1_000_000; i++) {
        batch.push(entryHeader({ name: `d${i % 1000}/f${i}`, content: '' }));
        if (batch.length === 4096) yield Buffer.concat(batch.splice(0));
      }
      yield Buffer.concat(batch);
    }
    const rss0 = process.memoryUsage().rss;
    const t0 = Date.now();
    await expect(read([layer(million)], () => false)).rejects.toThrow(/img: more than 500000 tar entries \(limit maxEntries\)/);
    const grew = process.memoryUsage().rss - rss0;
    console.log(`500,000 entries indexed: RSS grew ${(grew / 2 ** 20).toFixed(0)} MiB in ${Date.now() - t0} ms`);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(grew).toBeLessThan(600 * 2 ** 20);
    await expect(read([tarLayer(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, content: '' })))], () => true, { maxEntries: 10 })).rejects.toThrow(
      /more than 10 tar entries/,
    );
  });

  it('a refused layer closes its file (no descriptor leaks over many refusals)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-hostile-'));
    const file = join(dir, 'layer.tar');
    writeFileSync(file, Buffer.concat([tarBytes([{ name: '../x', content: 'x' }], { end: false }), Buffer.alloc(4 * 2 ** 20)]));
    writeFileSync(file + '.gz', gzipSync(Buffer.concat([tarBytes([{ name: '../x', content: 'x' }], { end: false }), Buffer.alloc(4 * 2 ** 20)])));
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const before = fds();
    for (let i = 0; i < 50; i++) {
      for (const f of [file, file + '.gz']) {
        const src: LayerSource = { digest: D(1), verifyDigest: false, open: () => createReadStream(f, { highWaterMark: 4096 }) };
        await expect(read([src])).rejects.toThrow(/climbs out of the image root/);
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(fds() - before).toBeLessThan(10);
  });

  it('a second pass for link targets does not count entries again', async () => {
    const entries: TarEntrySpec[] = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, content: `${i}` }));
    entries.push({ name: 'link', type: 'symlink', linkname: 'f4' });
    const { files } = await read([tarLayer(entries)], (p) => p === '/link', { maxEntries: 6 });
    expect(files.get('/link')?.toString()).toBe('4');
  });

  it('a 10 GiB entry is never allocated: skipped when not read, too big when wanted, truncated when the bytes are missing', async () => {
    function* sparse(): Generator<Buffer> {
      yield entryHeader({ name: 'var/log/lastlog', headerSize: 10 * 2 ** 30 });
      yield Buffer.alloc(2 ** 20);
    }
    const rss0 = process.memoryUsage().rss;
    await expect(read([layer(sparse)], (p) => p === '/var/log/lastlog')).rejects.toThrow(/layer tar is truncated \(unexpected EOF\)/);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(200 * 2 ** 20);
    // the same entry complete (gzip of zeros) is cut by the ratio cap long before 10 GiB
    await expect(read([layer(() => zeroEntryGzip(10 * 2 ** 30, 'var/log/lastlog'))], (p) => p === '/var/log/lastlog')).rejects.toThrow(/refusing a compression bomb/);
    // with the bomb cap raised, a big wanted file is skipped (never kept), and the small one is read
    const big = tarBytes([{ name: 'big', content: Buffer.alloc(3 * 2 ** 20) }, { name: 'small', content: 'ok' }]);
    const { files, skipped } = await read([layer(() => [big])], () => true, { maxFileBytes: 2 ** 20 });
    expect([...files.keys()]).toEqual(['/small']);
    expect(skipped.get('/big')).toBe('larger than 1 MiB (3 MiB); not read');
  });

  it('GNU sparse entries are refused', async () => {
    const h = entryHeader({ name: 'sparse', content: '' });
    h[156] = 'S'.charCodeAt(0);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += h[i]!;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    await expect(read([layer(() => [Buffer.concat([h, Buffer.alloc(1024)])])])).rejects.toThrow(/sparse files are not accepted in an image layer/);
  });

  it('names and link targets past maxPathBytes', async () => {
    await expect(read([tarLayer([{ name: 'a/'.repeat(3000) + 'x', content: '' }])])).rejects.toThrow(/longer than 4096 bytes \(limit maxPathBytes\)/);
    await expect(read([tarLayer([{ name: 'l', type: 'symlink', linkname: 'b/'.repeat(3000) }])])).rejects.toThrow(/limit maxPathBytes/);
  });

  it('wanted contents past maxKeptBytes', async () => {
    const entries = Array.from({ length: 8 }, (_, i) => ({ name: `f${i}`, content: Buffer.alloc(2 ** 20) }));
    await expect(read([tarLayer(entries)], () => true, { maxKeptBytes: 4 * 2 ** 20 })).rejects.toThrow(/wanted files add up to more than 4 MiB \(limit maxKeptBytes\)/);
  });

  it('more layers than maxLayers', async () => {
    const layers = Array.from({ length: 257 }, (_, i) => tarLayer([], i));
    await expect(read(layers)).rejects.toThrow(/257 layers, more than 256 \(limit maxLayers\)/);
  });

  it('a layer that streams too slowly hits the deadline', async () => {
    async function* slow(): AsyncGenerator<Buffer> {
      const t = tarBytes([{ name: 'a', content: 'x'.repeat(4096) }]);
      for (let i = 0; i < t.length; i += 512) {
        await new Promise((r) => setTimeout(r, 20));
        yield t.subarray(i, i + 512);
      }
    }
    await expect(read([layer(slow)], () => true, { deadlineMs: 50 })).rejects.toThrow(/img: reading the layers took longer than 0 s \(limit deadlineMs\)/);
  });

  it('an archive whose entry claims more bytes than the file holds (plain and gzip)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-hostile-'));
    const bytes = Buffer.concat([tarBytes([{ name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' }], { end: false }), entryHeader({ name: 'index.json', headerSize: 10 * 2 ** 30 }), Buffer.alloc(4096)]);
    writeFileSync(join(dir, 'a.tar'), bytes);
    await expect(resolveArchive(`oci-layout:${join(dir, 'a.tar')}`, { platform: 'linux/amd64' })).rejects.toThrow(/a.tar: archive is truncated/);
    writeFileSync(join(dir, 'a.tar.gz'), gzipSync(bytes));
    await expect(resolveArchive(`oci-layout:${join(dir, 'a.tar.gz')}`, { platform: 'linux/amd64' })).rejects.toThrow(/a.tar.gz: archive is truncated \(unexpected EOF\)/);
  });

  it('an index.json past maxJsonBytes, and a manifest descriptor claiming a huge size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-hostile-'));
    writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(dir, 'index.json'), '{"manifests":[' + ' '.repeat(5 * 2 ** 20) + ']}');
    await expect(resolveArchive(`oci-layout:${dir}`, { platform: 'linux/amd64' })).rejects.toThrow(/index.json: larger than 4 MiB \(limit maxJsonBytes\)/);
    const d2 = mkdtempSync(join(tmpdir(), 'ca-hostile-'));
    mkdirSync(join(d2, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(d2, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(d2, 'index.json'), JSON.stringify({ manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D(3), size: 2 ** 40 }] }));
    await expect(resolveArchive(`oci-layout:${d2}`, { platform: 'linux/amd64' })).rejects.toThrow(/manifest sha256:3{64} is larger than the 4194304-byte limit/);
  });
});
