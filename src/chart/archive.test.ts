import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { chartPathOf, checkGzipHeader, ensureArchive, goPathClean, readChartArchive, stripBom, unpackArchive, type InflatedArchiveStore } from './archive.js';
import { LoadBudget } from './budget.js';
import { detectContentType } from './sniff.js';
import { TarParser, type TarHeader } from './tar.js';
import { InputError } from '../model/errors.js';
import { gnuLongName, paxEntry, tar, tarEntry, tarHeader, tgz } from '../../fixtures/hostile/generate.js';

describe("helm's per-entry path rules", () => {
  it.each<[string, string]>([
    ['demo/Chart.yaml', 'Chart.yaml'],
    ['demo/templates/a.yaml', 'templates/a.yaml'],
    ['other/values.yaml', 'values.yaml'], // the first component is dropped, whatever it is
    ['/etc/passwd', 'etc/passwd'], // leading "/" is the (empty) first component
    ['demo/./a//b', 'a/b'],
    ['demo/a/../b', 'b'],
    ['demo\\templates\\x.yaml', 'templates/x.yaml'], // Windows delimiter
  ])('%s → %s', (entry, want) => {
    expect(chartPathOf(entry)).toBe(want);
  });

  it.each<[string, string]>([
    ['demo/../x', 'chart illegally references parent directory'],
    ['demo/a/../../x', 'chart illegally references parent directory'],
    ['demo/..data', 'chart illegally references parent directory'], // helm checks the prefix ".."
    ['demo//etc/passwd', 'chart illegally contains absolute paths'],
    ['demo', 'chart illegally contains content outside the base directory: "demo"'],
    ['Chart.yaml', 'chart illegally contains content outside the base directory: "Chart.yaml"'],
    ['demo/', 'chart illegally contains content outside the base directory: "demo/"'],
    ['demo\\c:\\foo', 'chart contains illegally named files'],
    ['demo/C:/x', 'chart contains illegally named files'],
  ])('%s → %s', (entry, msg) => {
    expect(() => chartPathOf(entry)).toThrow(msg);
  });

  it('goPathClean is path.Clean', () => {
    expect(goPathClean('')).toBe('.');
    expect(goPathClean('/../a')).toBe('/a');
    expect(goPathClean('a/b/../../..')).toBe('..');
    expect(goPathClean('./')).toBe('.');
  });
});

describe('EnsureArchive sniffing', () => {
  it('words non-gzip input like helm', () => {
    expect(() => ensureArchive('x.tgz', Buffer.alloc(0))).toThrow("file 'x.tgz' does not appear to be a gzipped archive; got 'application/octet-stream'");
    expect(() => ensureArchive('x.tgz', Buffer.from('%PDF-1.4 …'))).toThrow("got 'application/pdf'");
    expect(() => ensureArchive('x.tgz', Buffer.from('a'.repeat(600)))).toThrow("got 'text/plain; charset=utf-8'");
    expect(() => ensureArchive('x.tgz', Buffer.from('PK\x03\x04rest'))).toThrow("got 'application/zip'");
    expect(() => ensureArchive('values.yaml', Buffer.from('a: 1'))).toThrow("file 'values.yaml' seems to be a YAML file, but expected a gzipped archive");
    expect(() => ensureArchive('v.yml', Buffer.from('a: 1'))).toThrow('seems to be a YAML file');
    expect(() => ensureArchive('ok.tgz', gzipSync(Buffer.from('x')))).not.toThrow();
  });
  it('short text is padded with zeros (helm reads into a 512-byte buffer): not text/plain', () => {
    const buf = Buffer.alloc(512);
    Buffer.from('hello').copy(buf);
    expect(detectContentType(buf)).toBe('application/octet-stream');
    expect(detectContentType(Buffer.from('<html><body>'))).toBe('text/html; charset=utf-8');
  });
  it("checks the gzip header like Go's gzip.NewReader", () => {
    expect(() => checkGzipHeader(Buffer.alloc(0))).toThrow('EOF');
    expect(() => checkGzipHeader(Buffer.from([0x1f, 0x8b]))).toThrow('unexpected EOF');
    expect(() => checkGzipHeader(Buffer.from('not gzip data'))).toThrow('gzip: invalid header');
    expect(() => checkGzipHeader(Buffer.from([0x1f, 0x8b, 0x08, 0x08, 0, 0, 0, 0, 0, 3, ...Buffer.alloc(600, 0x61)]))).toThrow('gzip: invalid header');
  });
});

function collect(buf: Buffer, chunk: number, views = false): { hdrs: TarHeader[]; data: Map<string, string> } {
  const hdrs: TarHeader[] = [];
  const data = new Map<string, string>();
  const p = new TarParser({
    entry(h) {
      hdrs.push(h);
      return h.typeflag === 'g' ? null : Buffer.alloc(h.dataSize);
    },
    entryDone(h, d) {
      data.set(h.name, d.toString());
    },
  }, { views });
  for (let i = 0; i < buf.length && !p.done; i += chunk) p.write(buf.subarray(i, i + chunk));
  p.end();
  return { hdrs, data };
}

describe('incremental tar parser', () => {
  const archive = tar(
    tarEntry('demo/a.txt', 'hello'),
    paxEntry({ path: 'demo/pax-named.txt', comment: 'x' }),
    tarEntry('demo/ignored-name', 'pax'),
    gnuLongName(`demo/${'l'.repeat(150)}`, 'long'),
    tarEntry('demo/link', '', { type: '2', linkname: '/etc/passwd' }),
    tarEntry('demo/dir/', '', { type: '5' }),
    tarEntry('demo/b.bin', Buffer.alloc(1500, 7)),
  );
  // views: data whole in a chunk is handed over in place, data across chunks is copied
  it.each([[1, false], [7, false], [512, false], [4096, false], [1 << 20, false], [1, true], [7, true], [700, true], [4096, true], [1 << 20, true]])('gives the same entries for chunks of %d bytes (views: %s)', (chunk, views) => {
    const { hdrs, data } = collect(archive, chunk, views);
    expect(hdrs.map((h) => [h.name, h.typeflag])).toEqual([
      ['demo/a.txt', '0'],
      ['demo/pax-named.txt', '0'],
      [`demo/${'l'.repeat(150)}`, '0'],
      ['demo/link', '2'],
      ['demo/dir/', '5'],
      ['demo/b.bin', '0'],
    ]);
    expect(hdrs[3]!.linkname).toBe('/etc/passwd');
    expect(data.get('demo/a.txt')).toBe('hello');
    expect(data.get('demo/pax-named.txt')).toBe('pax');
    expect(data.get('demo/b.bin')!.length).toBe(1500);
  });
  it('reports a bad checksum, truncation and a zero block followed by data', () => {
    const bad = Buffer.from(archive);
    bad[10] = bad[10]! ^ 0xff;
    expect(() => collect(bad, 512)).toThrow('archive/tar: invalid tar header');
    expect(() => collect(archive.subarray(0, 515), 512)).toThrow('unexpected EOF');
    expect(() => collect(archive.subarray(0, 300), 512)).toThrow('unexpected EOF');
    expect(() => collect(Buffer.concat([Buffer.alloc(512), tarHeader('x', 0)]), 512)).toThrow('archive/tar: invalid tar header');
    // Go accepts an archive that simply stops at a block boundary, or inside padding.
    expect(() => collect(tarEntry('demo/a', 'x'), 512)).not.toThrow();
    expect(() => collect(tarEntry('demo/a', 'x').subarray(0, 600), 512)).not.toThrow();
  });
  it('reads base-256 sizes and refuses negative ones', () => {
    const h = tarHeader('demo/x', 0);
    h.fill(0, 124, 136);
    h[124] = 0x80;
    h[135] = 3;
    h.write('        ', 148, 'latin1');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += h[i]!;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    const { data } = collect(Buffer.concat([h, Buffer.from('abc'), Buffer.alloc(509), Buffer.alloc(1024)]), 512);
    expect(data.get('demo/x')).toBe('abc');
  });
});

describe('header formats and checksums, wherever the block lies in memory', () => {
  /** A header of `format` for `name` with its checksum written as `sum` computes it. */
  function header(format: 'v7' | 'ustar' | 'gnu' | 'star', name: string, prefix: string, signed: boolean): Buffer {
    const h = tarHeader(name, 3);
    h.fill(0, 257, 512);
    if (format === 'ustar' || format === 'star') h.write('ustar\x0000', 257, 'latin1');
    if (format === 'gnu') h.write('ustar  \0', 257, 'latin1');
    if (format === 'ustar') h.write(prefix, 345, 'latin1');
    if (format === 'star') {
      h.write(prefix, 345, 'latin1');
      h.write('tar\0', 508, 'latin1');
    }
    h[90] = 0xe9; // a byte above 0x7f in the name's tail (after its NUL): the two sums differ
    h.write('        ', 148, 'latin1');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += signed && h[i]! >= 0x80 ? h[i]! - 256 : h[i]!;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    return h;
  }
  const cases: Array<['v7' | 'ustar' | 'gnu' | 'star', string, boolean]> = [];
  for (const format of ['v7', 'ustar', 'gnu', 'star'] as const) {
    for (const signed of [false, true]) cases.push([format, format === 'ustar' || format === 'star' ? 'demo' : '', signed]);
  }
  it.each(cases)('%s (prefix %j, signed sum: %s) at every alignment', (format, prefix, signed) => {
    const entry = Buffer.concat([header(format, prefix ? 'x.txt' : 'demo/x.txt', prefix, signed), Buffer.from('abc'), Buffer.alloc(509), Buffer.alloc(1024)]);
    for (let offset = 0; offset < 4; offset++) {
      // the same bytes at byte offsets 0–3 of their memory: read four bytes a step, or one
      const placed = Buffer.alloc(entry.length + 4).subarray(offset, offset + entry.length);
      entry.copy(placed);
      const { hdrs, data } = collect(placed, 1 << 20);
      expect(hdrs.map((h) => h.name)).toEqual(['demo/x.txt']);
      expect(data.get('demo/x.txt')).toBe('abc');
      const bad = Buffer.from(placed);
      bad[200] = 1;
      const badPlaced = Buffer.alloc(bad.length + 4).subarray(offset, offset + bad.length);
      bad.copy(badPlaced);
      expect(() => collect(badPlaced, 1 << 20)).toThrow('archive/tar: invalid tar header');
    }
  });
  it('a checksum field with a NUL before its digits end, and one of spaces only', () => {
    const h = header('ustar', 'demo/x.txt', '', false);
    const sum = h.toString('latin1', 148, 154);
    h.write(`${sum}\0\0`, 148, 'latin1');
    expect(collect(Buffer.concat([h, Buffer.from('abc'), Buffer.alloc(509 + 1024)]), 512).hdrs).toHaveLength(1);
    h.write('        ', 148, 'latin1');
    expect(() => collect(Buffer.concat([h, Buffer.from('abc'), Buffer.alloc(509 + 1024)]), 512)).toThrow('archive/tar: invalid tar header');
  });
});

describe('unpackArchive / readChartArchive', () => {
  it('strips the BOM and turns links into empty files with a warning', async () => {
    const bytes = tgz(
      tarEntry('demo/Chart.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: demo')])),
      tarEntry('demo/l', '', { type: '2', linkname: '../../etc/shadow' }),
    );
    const warnings: string[] = [];
    const files = await unpackArchive(bytes, new LoadBudget(), 'x.tgz', warnings);
    expect(files.map((f) => [f.name, f.data.toString()])).toEqual([
      ['Chart.yaml', 'name: demo'],
      ['l', ''],
    ]);
    expect(warnings.join('\n')).toMatch(/symbolic link to "\.\.\/\.\.\/etc\/shadow"/);
  });
  it('errors are InputErrors naming the file', async () => {
    const err = await readChartArchive(tgz(tarEntry('demo/../x', 'x')), 'evil.tgz', new LoadBudget()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe('evil.tgz: chart illegally references parent directory');
    expect((err as InputError).file).toBe('evil.tgz');
  });
  it('shares one budget across archives', async () => {
    const budget = new LoadBudget({ maxTotalBytes: 1000 });
    await unpackArchive(tgz(tarEntry('d/a', Buffer.alloc(600))), budget, 'a', []);
    await expect(unpackArchive(tgz(tarEntry('d/b', Buffer.alloc(600))), budget, 'b', [])).rejects.toThrow(
      'decompressed chart is larger than the maximum size 1000',
    );
  });
  it('exactly the total limit fails, like helm (remaining <= 0)', async () => {
    const budget = new LoadBudget({ maxTotalBytes: 600 });
    await expect(unpackArchive(tgz(tarEntry('d/a', Buffer.alloc(600))), budget, 'a', [])).rejects.toThrow('maximum size 600');
  });
  it('counts files', async () => {
    const budget = new LoadBudget({ maxFiles: 2 });
    await expect(unpackArchive(tgz(tarEntry('d/a'), tarEntry('d/b'), tarEntry('d/c')), budget, 'a', [])).rejects.toThrow('more than 2 files');
  });
  it('stripBom', () => {
    expect(stripBom(Buffer.from([0xef, 0xbb, 0xbf, 0x61])).toString()).toBe('a');
    expect(stripBom(Buffer.from('ab')).toString()).toBe('ab');
  });
});

describe('an inflated archive kept between loads', () => {
  const archive = tgz(
    tarEntry('demo/Chart.yaml', 'name: demo\nversion: 1.0.0'),
    tarEntry('demo/values.yaml', 'a: 1'),
    tarEntry('demo/templates/big.yaml', Buffer.alloc(3 * 1024 * 1024, 0x61)), // more than one inflate chunk
  );
  const files = (fs: { name: string; data: Buffer }[]) => fs.map((f) => [f.name, f.data.length, f.data.subarray(0, 16).toString()]);

  it('a load that inflates hands back the whole tar; a later load parses the kept tar to the same files', async () => {
    const puts: Buffer[][] = [];
    const asked: number[] = [];
    const first = await unpackArchive(archive, new LoadBudget(), 'a', [], { get: (n) => { asked.push(n); return undefined; }, put: (t) => { puts.push([...t]); } });
    const tar = gunzipSync(archive);
    expect(asked).toEqual([tar.length]); // the gzip trailer's size
    expect(puts).toHaveLength(1);
    expect(Buffer.concat(puts[0]!).equals(tar)).toBe(true);
    let putAgain = 0;
    const again = await unpackArchive(archive, new LoadBudget(), 'a', [], { get: (n) => (n === tar.length ? tar : undefined), put: () => { putAgain++; } });
    expect(files(again)).toEqual(files(first));
    expect(putAgain).toBe(0);
  });

  it('the kept tar is charged to the budget and refused by it like an inflated one', async () => {
    const tar = gunzipSync(archive);
    const store: InflatedArchiveStore = { get: () => tar, put: () => {} };
    const inflating = await unpackArchive(archive, new LoadBudget({ maxTotalBytes: 1024 * 1024 }), 'a', []).catch((e: unknown) => (e as Error).message);
    const kept = await unpackArchive(archive, new LoadBudget({ maxTotalBytes: 1024 * 1024 }), 'a', [], store).catch((e: unknown) => (e as Error).message);
    expect(kept).toBe(inflating);
    expect(kept).toMatch(/larger than the maximum size/);
  });

  it('no kept tar is asked for when the trailer states more than the budget inflates', async () => {
    let asked = 0;
    const store: InflatedArchiveStore = { get: () => { asked++; return undefined; }, put: () => {} };
    await unpackArchive(archive, new LoadBudget({ maxInflatedBytes: 1024 }), 'a', [], store).catch(() => undefined);
    expect(asked).toBe(0);
  });

  it('nothing is handed back from a load that failed or did not inflate the whole archive', async () => {
    let puts = 0;
    const store: InflatedArchiveStore = { get: () => undefined, put: () => { puts++; } };
    await expect(unpackArchive(tgz(tarEntry('demo/../x', 'x')), new LoadBudget(), 'a', [], store)).rejects.toThrow('parent directory');
    // two gzip members: the trailer states the last one's size only
    const twoMembers = Buffer.concat([gzipSync(tar(tarEntry('demo/Chart.yaml', 'name: demo')).subarray(0, 512)), gzipSync(tar(tarEntry('demo/Chart.yaml', 'name: demo')).subarray(512))]);
    await unpackArchive(twoMembers, new LoadBudget(), 'a', [], store);
    expect(puts).toBe(0);
  });
});
