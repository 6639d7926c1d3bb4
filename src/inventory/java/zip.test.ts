import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/helpers/shared.js';
import { makeZip } from '../../../fixtures/vuln/zip-writer.js';
import type { ZipSpec } from '../../../fixtures/vuln/zip-writer.js';
import { makeZip64 } from '../../../fixtures/zip/zip64-writer.js';
import { MAX_RATIO, readZipDirectory, readZipEntry, ZipFormatError } from './zip.js';
import type { InflateBudget } from './zip.js';

const MiB = 1024 * 1024;
const budget = (n = 1 << 30): InflateBudget => ({ remaining: n });

/** Every entry's name and content, read with generous limits. */
function readAll(buf: Buffer, maxBytes = 64 * MiB): Record<string, string> {
  const out: Record<string, string> = {};
  const b = budget();
  for (const e of readZipDirectory(buf, 1000).entries) out[e.name] = readZipEntry(buf, e, maxBytes, b).toString('utf8');
  return out;
}

/** The message of the ZipFormatError `f` throws (fails the test on anything else). */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ZipFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a ZipFormatError');
}

const firstEntry = (buf: Buffer, maxBytes = 64 * MiB, b = budget()) => () => readZipEntry(buf, readZipDirectory(buf, 1000).entries[0]!, maxBytes, b);

/** Offsets in a makeZip archive (no comment): the end record and the first central header. */
function layout(buf: Buffer) {
  const eocd = buf.length - 22;
  const cd = buf.readUInt32LE(eocd + 16);
  return { eocd, cd };
}

function patched(buf: Buffer, edit: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(buf);
  edit(copy);
  return copy;
}

const two: ZipSpec[] = [
  { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\n\r\n' },
  { name: 'META-INF/maven/g/a/pom.properties', data: 'groupId=g\nartifactId=a\nversion=1\n', method: 0 },
];

describe('zip reader over bytes: well-formed archives', () => {
  it('reads stored and deflated entries', () => {
    expect(readAll(makeZip(two))).toEqual({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\r\n\r\n', 'META-INF/maven/g/a/pom.properties': 'groupId=g\nartifactId=a\nversion=1\n' });
  });

  it('keeps only the entries asked for, but counts them all', () => {
    const dir = readZipDirectory(makeZip(two), 1000, (n) => n.endsWith('.properties'));
    expect(dir.count).toBe(2);
    expect(dir.entries.map((e) => e.name)).toEqual(['META-INF/maven/g/a/pom.properties']);
  });

  it('reads zip64 archives (our writer, laid out as Info-ZIP `zip -fz` does)', () => {
    expect(readAll(makeZip64([{ name: 'a.txt', data: 'deflated' }, { name: 'b.txt', data: 'stored', method: 0 }]))).toEqual({ 'a.txt': 'deflated', 'b.txt': 'stored' });
  });

  it('reads an archive with data in front of it (Spring Boot executable jars start with a launch script)', () => {
    const script = Buffer.from('#!/bin/bash\n# launch script\nexec java -jar "$0" "$@"\n'.repeat(50));
    expect(readAll(Buffer.concat([script, makeZip(two)]))).toEqual(readAll(makeZip(two)));
    expect(readAll(Buffer.concat([script, makeZip64([{ name: 'z.txt', data: 'zip64 behind a script' }])]))).toEqual({ 'z.txt': 'zip64 behind a script' });
  });

  it('reads an archive with bytes between its directory and its end record (offsets not shifted)', () => {
    const zip = makeZip(two);
    const eocd = zip.length - 22;
    expect(readAll(Buffer.concat([zip.subarray(0, eocd), Buffer.from('junk junk'), zip.subarray(eocd)]))).toEqual(readAll(zip));
  });

  it('finds the end record behind an archive comment', () => {
    const zip = makeZip(two);
    const comment = Buffer.from('built by hand');
    const withComment = Buffer.concat([zip, comment]);
    withComment.writeUInt16LE(comment.length, zip.length - 22 + 20);
    expect(readAll(withComment)).toEqual(readAll(zip));
  });
});

describe('zip reader over bytes: interop with the real tools (jar from the JDK, Info-ZIP zip; required, never skipped)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartaudit-javazip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'META-INF/maven/com.example/demo/pom.properties': 'groupId=com.example\nartifactId=demo\nversion=1.0\n',
    'com/example/App.txt': 'x'.repeat(5000),
  };
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'src', name)), { recursive: true });
    writeFileSync(join(dir, 'src', name), data);
  }

  it('jar --create (deflated entries with data descriptors: sizes only in the central directory)', () => {
    const out = join(dir, 'made-by-jar.jar');
    execFileSync('jar', ['--create', '--file', out, '-C', join(dir, 'src'), '.']);
    const buf = readFileSync(out);
    const entries = readZipDirectory(buf, 1000).entries;
    // The JDK's ZipOutputStream sets the data-descriptor flag on deflated entries.
    expect(entries.filter((e) => e.method === 8).every((e) => (e.flags & 0x8) !== 0)).toBe(true);
    const all = readAll(buf);
    for (const [name, data] of Object.entries(files)) expect(all[name]).toBe(data);
    expect(all['META-INF/MANIFEST.MF']).toMatch(/^Manifest-Version: 1\.0\r?\n/);
  });

  it('jar --create --no-compress (stored entries)', () => {
    const out = join(dir, 'stored.jar');
    execFileSync('jar', ['--create', '--no-compress', '--file', out, '-C', join(dir, 'src'), '.']);
    const buf = readFileSync(out);
    expect(readZipDirectory(buf, 1000).entries.every((e) => e.method === 0)).toBe(true);
    expect(readAll(buf)['com/example/App.txt']).toBe(files['com/example/App.txt']);
  });

  it('zip written to a pipe (data descriptors, no seeking) and zip -fz (zip64)', () => {
    const piped = execFileSync('sh', ['-c', 'cd src && zip -q -r - . | cat'], { cwd: dir });
    const entries = readZipDirectory(piped, 1000).entries;
    expect(entries.some((e) => (e.flags & 0x8) !== 0)).toBe(true);
    expect(readAll(piped)['com/example/App.txt']).toBe(files['com/example/App.txt']);
    const z64 = join(dir, 'z64.zip');
    execFileSync('zip', ['-q', '-r', '-fz', z64, '.'], { cwd: join(dir, 'src') });
    expect(readAll(readFileSync(z64))['META-INF/maven/com.example/demo/pom.properties']).toBe(files['META-INF/maven/com.example/demo/pom.properties']);
  });
});

describe('zip reader over bytes: hostile and broken archives are a ZipFormatError with the reason', () => {
  const good = makeZip(two);
  const { eocd, cd } = layout(good);

  const cases: [string, () => unknown, RegExp][] = [
    ['empty file', () => readZipDirectory(Buffer.alloc(0), 10), /^empty file, not a zip archive$/],
    ['too short', () => readZipDirectory(Buffer.from('PK\x03\x04'), 10), /^not a zip archive \(too short\)$/],
    ['not a zip', () => readZipDirectory(randomBytes(4096).fill(0x20, 0, 4), 10), /^not a zip archive$/],
    ['truncated (first half)', () => readZipDirectory(good.subarray(0, good.length >> 1), 10), /^truncated zip archive \(no end of central directory record\)$/],
    ['more entries than the caller allows', () => readZipDirectory(good, 1), /^too many entries \(2; the limit is 1\)$/],
    ['an entry count the directory cannot hold (65,535 in 2 headers)', () => readZipDirectory(patched(good, (b) => b.writeUInt16LE(0xfffe, eocd + 10)), 1e6), /^corrupt central directory \(65534 entries cannot fit in \d+ bytes\)$/],
    ['a directory larger than the archive', () => readZipDirectory(patched(good, (b) => b.writeUInt32LE(0x7fffffff, eocd + 12)), 10), /^corrupt central directory \(larger than the archive\)$/],
    ['a directory offset past the end', () => readZipDirectory(patched(good, (b) => b.writeUInt32LE(good.length * 2, eocd + 16)), 10), /^truncated zip archive \(central directory past the end of the file\)$/],
    ['a broken central header', () => readZipDirectory(patched(good, (b) => b.writeUInt32LE(0x12345678, cd)), 10), /^corrupt central directory$/],
    ['a name length past the directory', () => readZipDirectory(patched(good, (b) => b.writeUInt16LE(0xffff, cd + 28)), 10), /^corrupt central directory$/],
    ['zip64 end record missing', () => readZipDirectory(patched(makeZip64([{ name: 'a', data: 'a' }]), (b) => b.writeUInt32LE(0, b.length - 22 - 20 - 56)), 10), /^corrupt zip64 archive \(no zip64 end record\)$/],
    ['zip64 count of 2^40 entries', () => readZipDirectory(makeZip64([{ name: 'a', data: 'a' }], { count: 1n << 40n }), 1e6), /^too many entries \(1099511627776; the limit is 1000000\)$/],
    ['zip64 count the directory cannot hold', () => readZipDirectory(makeZip64([{ name: 'a', data: 'a' }], { count: 900n }), 1e6), /^corrupt central directory \(900 entries cannot fit/],
    ['a local header offset past the end', firstEntry(patched(good, (b) => b.writeUInt32LE(0x7ffffff0, cd + 42))), /^local header past the end of the archive \(truncated\?\)$/],
    ['a bad local header', firstEntry(patched(good, (b) => b.writeUInt32LE(0, 0))), /^bad local header$/],
    ['entry data past the end', firstEntry(patched(good, (b) => b.writeUInt16LE(0xffff, 28))), /^entry data past the end of the archive \(truncated\?\)$/],
    ['encrypted', firstEntry(makeZip([{ name: 'a', data: 'secret', flags: 1 }])), /^encrypted entry$/],
    ['bzip2 (method 12)', firstEntry(makeZip([{ name: 'a', data: 'BZh9', method: 12 }])), /^unsupported compression method 12$/],
    ['a stored entry whose sizes differ', firstEntry(makeZip([{ name: 'a', data: 'abc', method: 0, declaredSize: 2 }])), /^stored entry with compressed size 3 and size 2$/],
    ['inflating to less than declared', firstEntry(makeZip([{ name: 'a', data: 'abc'.repeat(10), declaredSize: 31 }])), /^inflated to 30 bytes, the directory says 31$/],
    ['inflating past the declared size', firstEntry(makeZip([{ name: 'a', data: 'abc'.repeat(10), declaredSize: 10 }])), /^inflates past its declared size of 10 bytes$/],
    ['inflating one byte past the declared size', firstEntry(makeZip([{ name: 'a', data: 'abc'.repeat(10), declaredSize: 29 }])), /^inflated to 30 bytes, the directory says 29$/],
    ['a CRC-32 mismatch', firstEntry(patched(good, (b) => b.writeUInt32LE(0xdeadbeef, cd + 16))), /^CRC-32 mismatch \(corrupt entry\)$/],
    ['corrupt deflate data', firstEntry(patched(makeZip([{ name: 'a', data: 'hello hello hello' }]), (b) => b.fill(0xff, 31, 36))), /^corrupt deflate data/],
    ['a deflated entry without data', firstEntry(patched(makeZip([{ name: 'a', data: 'x' }]), (b) => b.writeUInt32LE(0, layout(b).cd + 20))), /^deflated entry without data$/],
    ['over the caller\'s size limit', firstEntry(good, 10), /^entry of 25 bytes is over the limit of 10 bytes$/],
    ['over the budget', firstEntry(good, 1000, budget(24)), /^reading 25 more bytes would pass the limit on bytes read from entries \(zip bomb\?\)$/],
  ];
  for (const [name, f, re] of cases) it(name, () => expect(refusal(f)).toMatch(re));

  it(`a ratio over ${MAX_RATIO}:1 past 1 MiB is refused before inflating (16 MiB of zeros in ~16 KiB)`, () => {
    const bomb = makeZip([{ name: 'lib/bomb.jar', data: Buffer.alloc(16 * MiB) }]);
    const b = budget();
    const t = Date.now();
    expect(refusal(firstEntry(bomb, 64 * MiB, b))).toMatch(/^compression ratio \d+:1 \(\d+ bytes inflating to 16777216; zip bomb\?\)$/);
    expect(b.remaining).toBe(1 << 30);
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it('a ratio deflate cannot reach (over 1100:1) is refused at any size', () => {
    expect(refusal(firstEntry(makeZip([{ name: 'a', data: 'x', declaredSize: 100_000 }])))).toMatch(/^compression ratio \d+:1/);
  });

  it('a small entry with a high but real ratio is read (1,000 zeros)', () => {
    expect(readAll(makeZip([{ name: 'z', data: Buffer.alloc(1000) }]))['z']).toHaveLength(1000);
  });

  it('overlapping entries cost the budget each time they are read (the non-recursive zip bomb)', () => {
    const specs: ZipSpec[] = [{ name: 'lib/0.jar', data: randomBytes(64 * 1024) }];
    for (let i = 1; i < 100; i++) specs.push({ name: `lib/${i}.jar`, data: '', sameDataAs: 0 });
    const buf = makeZip(specs);
    const b = budget(10 * 64 * 1024);
    const entries = readZipDirectory(buf, 1000).entries;
    let read = 0;
    const msg = refusal(() => {
      for (const e of entries) readZipEntry(buf, e, MiB, b), read++;
    });
    expect(read).toBe(10);
    expect(msg).toMatch(/would pass the limit on bytes read from entries/);
  });

  it('random mutations of a real jar never throw anything but ZipFormatError (1,500 cases)', () => {
    const jar = readFileSync(sharedPath('testdata', 'images', 'java', 'nested.jar'));
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let i = 0; i < 1500; i++) {
      const m = Buffer.from(jar);
      for (let k = 0, n = 1 + rnd(8); k < n; k++) m[rnd(m.length)] = rnd(256);
      const cut = rnd(10) === 0 ? m.subarray(0, rnd(m.length)) : m;
      try {
        const b = budget(MiB);
        for (const e of readZipDirectory(cut, 1000).entries) {
          try {
            readZipEntry(cut, e, MiB, b);
          } catch (err) {
            if (!(err instanceof ZipFormatError)) throw err;
          }
        }
      } catch (err) {
        if (!(err instanceof ZipFormatError)) throw err;
      }
    }
  });
});
